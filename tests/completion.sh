#!/bin/bash
# completion: the bash completion (completions/rrstat-top.bash), sourced
# in a bash subshell and driven through COMP_WORDS/COMP_CWORD, completes
# events from --list-events (comma lists too), pids by number and by
# command name, formats, sort keys, samplers, -g modes, --opt=value, a
# command after --, and offers exactly the options of --help. The zsh
# completion (completions/_rrstat-top) parses (zsh -n) and, driven in a
# real zsh through zpty with compadd recorded, completes the same.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/setup.sh"
comp=$TESTS_SRCDIR/../completions
[ -x "$RRSTAT_TOP" ] || fail "no rrstat-top at $RRSTAT_TOP"
PATH=$(dirname "$RRSTAT_TOP"):$PATH
export PATH

# A process with a name of its own (this test's pid in it: the name is
# no other run's, nor a prefix of one), for -p.
zzname=rrcz$$xyz
cp "$(command -v sleep)" "$tmp/$zzname"
"$tmp/$zzname" 120 &
zz=$!
bg_pids+=("$zz")

# What --help and --list-events say.
"$RRSTAT_TOP" --help | grep -E '^ +-' |
    grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z]*' | tr -d ' ,' | sort -u >help-opts
[ "$(wc -l <help-opts)" -ge 20 ] || fail "only $(wc -l <help-opts) options in --help"
"$RRSTAT_TOP" --list-events | awk '{ print $1 }' | sort >events
[ -s events ] || fail "--list-events lists nothing"

# bc WORD...: COMPREPLY, sorted, one a line, for the command line WORD...
# (the last word is the one completed).
bc() {
	(
		# shellcheck source=/dev/null
		. "$comp/rrstat-top.bash"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_rrstat_top
		[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
	)
}
# flat LINES: the lines on one line.
flat() {
	tr '\n' ' ' <<<"$1" | sed 's/ *$//'
}
# expect NAME WANT GOT: GOT (lines) is WANT (words, or lines).
expect() {
	local want
	want=$(tr ' ' '\n' <<<"$2" | sort)
	if [ "$want" != "$3" ]; then
		fail "$1: completed '$(flat "$3")', expected '$(flat "$want")'"
	fi
	note "$1: $(flat "$3")"
}
# expect_has NAME WORD GOT: GOT has the line WORD.
expect_has() {
	grep -qx -- "$2" <<<"$3" || fail "$1: '$2' is not among '$(flat "$3" | cut -c1-200)'"
}

expect "bash -e" "$(cat events)" "$(bc rrstat-top -e '')"
expect "bash -e page-faults,c" "page-faults,cpu-cycles page-faults,cpu-clock page-faults,cache-misses page-faults,context-switches" \
    "$(bc rrstat-top -b -e page-faults,c)"
expect "bash --event=w" "wait-time" "$(bc rrstat-top --event = w)"
got=$(bc rrstat-top -p '')
expect_has "bash -p" "$zz" "$got"
expect_has "bash -p" "$$" "$got"
expect "bash -p ${zzname%yz}" "$zz" "$(bc rrstat-top -p "${zzname%yz}")"
expect "bash -p 1,${zzname%yz}" "1,$zz" "$(bc rrstat-top -p "1,${zzname%yz}")"
expect "bash -p $zz" "$zz" "$(bc rrstat-top --pid "$zz")"
expect "bash --format" "text csv json folded pprof" "$(bc rrstat-top --format '')"
expect "bash --format=j" "json" "$(bc rrstat-top --format = j)"
expect "bash --sort" "self total samples function binary" "$(bc rrstat-top --sort '')"
expect "bash -s f" "function" "$(bc rrstat-top -s f)"
expect "bash --sampler" "auto perf ptrace" "$(bc rrstat-top --sampler '')"
expect "bash -g" "fp dwarf auto none" "$(bc rrstat-top -g '')"
expect "bash --no-" "--no-kernel --no-color --no-config --no-debuginfod" "$(bc rrstat-top --no-)"
expect "bash --s" "--sampler --stack-size --sort --source-dir" "$(bc rrstat-top --s)"
expect "bash -" "$(cat help-opts)" "$(bc rrstat-top -)"
expect_has "bash -- ech" echo "$(bc rrstat-top -b -- ech)"

# zsh
command -v zsh >/dev/null 2>&1 || skip "no zsh: the zsh completion is not tested"
zsh -n "$comp/_rrstat-top" || fail "zsh -n rejects completions/_rrstat-top"
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty: only the zsh syntax was checked"
cat >zc.zsh <<'EOZ'
# zc.zsh DIR OUT LINE: types LINE and TAB in an interactive zsh whose
# completion system has DIR in fpath; every match that compadd adds is
# appended to OUT, then a line END once the completion is over.
zmodload zsh/zpty
dir=$1 out=$2 line=$3
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D; echo READY"
zpty -r z junk '*READY*'
zpty -w z 'compadd() { if (( ${@[(I)-[ADO]]} )); then builtin compadd "$@"; return; fi; local -a h; builtin compadd -O h "$@"; print -rl -- ${^h} >>'"$out"'; builtin compadd "$@"; }; zc_end() { print END >>'"$out"'; }; comppostfuncs=(zc_end); echo ARMED'
zpty -r z junk '*ARMED*'
zpty -w -n z "$line"$'\t'
# Keys typed during a completion would cut it short: wait for its end.
for i in {1..250}; do
	[[ -f $out ]] && grep -qx END $out && break
	sleep 0.1
done
zpty -d z
EOZ
# zc LINE: the matches zsh offers for LINE, sorted, unique.
zc() {
	rm -f zc.out
	timeout 30 zsh -f zc.zsh "$comp" "$tmp/zc.out" "$1" >/dev/null 2>&1 ||
	    fail "zsh did not complete '$1' within 30 s"
	grep -qx END zc.out 2>/dev/null || fail "zsh did not complete '$1' within 25 s"
	# (Empty words are no matches: zsh adds them with lists of descriptions.)
	grep -vxE 'END|' zc.out | sort -u
}
expect "zsh -e" "$(cat events)" "$(zc 'rrstat-top -e ')"
expect "zsh -e cpu-clock,w" "wait-time" "$(zc 'rrstat-top -e cpu-clock,w')"
got=$(zc 'rrstat-top -b -p ')
expect_has "zsh -p" "$zz" "$got"
expect_has "zsh -p" "$$" "$got"
expect_has "zsh -p 1," "$zz" "$(zc 'rrstat-top -p 1,')"
expect "zsh --format" "text csv json folded pprof" "$(zc 'rrstat-top --format ')"
expect "zsh --format=c" "csv" "$(zc 'rrstat-top --format=c')"
expect "zsh --sort" "self total samples function binary" "$(zc 'rrstat-top --sort ')"
expect "zsh --sampler" "auto perf ptrace" "$(zc 'rrstat-top --sampler ')"
expect "zsh -g" "fp dwarf auto none" "$(zc 'rrstat-top -g ')"
expect "zsh --call-graph=d" "dwarf" "$(zc 'rrstat-top --call-graph=d')"
expect "zsh --no-" "--no-kernel --no-color --no-config --no-debuginfod" "$(zc 'rrstat-top --no-')"
# Every option of --help (the bare "-" zsh offers aside).
zc 'rrstat-top -' | grep -vx -- - >zsh-opts || true
expect "zsh -" "$(cat help-opts)" "$(cat zsh-opts)"
expect_has "zsh -- ech" echo "$(zc 'rrstat-top -b -- ech')"
