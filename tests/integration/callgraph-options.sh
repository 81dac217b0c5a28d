#!/bin/bash
# callgraph-options: the command line of call graphs (cg.md, SPEC.md).
#   spellings   -g fp, -gfp, --call-graph=fp, --call-graph fp, -g dwarf,
#               -gdwarf, --call-graph=dwarf, -g none: each says so on the
#               'call graph:' line of the text output (none without -g)
#   auto        -g alone (last, or before another option), -g auto and
#               --call-graph alone choose: fp for callgraph_fp (frame
#               pointers), dwarf for callgraph_nofp and _stripped (none),
#               and say so: 'call graph: MODE (chosen...)'; also for a
#               command started with --
#   --max-stack 3   -g fp and -g dwarf: no folded stack has more than 3
#               frames, and each stack of the construction is cut to its 3
#               frames nearest the leaf (outer;left;burn 30 %,
#               recurse;recurse;recurse 30 %, ...) within +-8 points
#   bounds      --max-stack 1 and 1024, --stack-size 8, 7 (rounded up to
#               8), 65528 are taken
#   cut short   --stack-size 64: stacks that cannot reach main end under
#               an [unknown] root (most of them), none under another one;
#               8192: (nearly) none cut
#   drained     -d 3 with 8 KB stacks: far more than the ring holds, yet
#               (nearly) nothing lost: the ring is drained between ticks
#   bad values  -g bogus, -gbogus, --call-graph=bogus, --max-stack 0, 1025,
#               -1, abc, --stack-size 0, 65529 (rounds up past 65528),
#               100000, -8, abc: exit status 2 and one line on stderr
#               naming the option (or the bad mode)
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_perf
require_python

# Short runs: only the header and the exit status are looked at.
quick=(-b -d 0.3 -n 1)

# mode NAME REGEX ARG...: rrstat-top ARG... exits 0 and its call graph line
# matches REGEX.
mode() {
	local name=$1 rx=$2
	shift 2
	rr_run "$name" "$@"
	expect_rc 0
	cg_header_is "$name" "$rx"
}

start_target callgraph_fp 300
fp=$TARGET_PID
start_target callgraph_nofp 300
nofp=$TARGET_PID
start_target callgraph_stripped 300
stripped=$TARGET_PID

# Spellings, and none.
mode none 'none' "${quick[@]}" -p "$fp"
mode g-none 'none' "${quick[@]}" -p "$fp" -g none
mode g-fp 'fp(,? .*)?' "${quick[@]}" -p "$fp" -g fp
mode gfp 'fp(,? .*)?' "${quick[@]}" -p "$fp" -gfp
mode cg-eq-fp 'fp(,? .*)?' "${quick[@]}" -p "$fp" --call-graph=fp
mode cg-fp 'fp(,? .*)?' "${quick[@]}" -p "$fp" --call-graph fp
mode g-dwarf 'dwarf(,? .*)?' -g dwarf "${quick[@]}" -p "$nofp"
mode gdwarf 'dwarf(,? .*)?' "${quick[@]}" -p "$nofp" -gdwarf
mode cg-eq-dwarf 'dwarf(,? .*)?' "${quick[@]}" -p "$nofp" --call-graph=dwarf
for n in g-fp gfp cg-eq-fp cg-fp g-dwarf gdwarf cg-eq-dwarf; do
	! grep -E '^call graph:' "$n.out" | grep -q chosen ||
		fail "$n: the mode was given, but the call graph line says it was chosen"
done

# Auto: fp where the executable has frame pointers, dwarf where not.
# (The premise, checked first: callgraph_nofp's main does not set up a
# frame pointer, callgraph_fp's does; a CFLAGS of -fno-omit-frame-pointer
# given to configure would give _nofp frame pointers too.)
if command -v objdump >/dev/null 2>&1; then
	for b in fp nofp; do
		objdump -d --no-show-raw-insn "$(target_path "callgraph_$b")" |
		    awk '/<main>:/ { on = 1; next } on && NF == 0 { exit } on' | head -n 4 >"main-$b.s"
	done
	grep -q 'mov *%rsp,%rbp' main-fp.s || { show main-fp.s; fail "callgraph_fp's main sets up no frame pointer"; }
	if grep -q 'mov *%rsp,%rbp' main-nofp.s; then
		show main-nofp.s
		skip "callgraph_nofp has frame pointers (configure's CFLAGS?): cannot check that -g alone chooses dwarf"
	fi
fi
chosen='(chosen[:)].*|chosen)'
mode auto-fp "fp \\($chosen" "${quick[@]}" -p "$fp" -g
mode auto-fp2 "fp \\($chosen" -g "${quick[@]}" -p "$fp"
mode auto-word "fp \\($chosen" "${quick[@]}" -p "$fp" -g auto
mode auto-nofp "dwarf \\($chosen" "${quick[@]}" -p "$nofp" -g
mode auto-long "dwarf \\($chosen" "${quick[@]}" -p "$nofp" --call-graph
mode auto-stripped "dwarf \\($chosen" "${quick[@]}" -p "$stripped" -g
mode auto-cmd "dwarf \\($chosen" -b -d 0.3 --duration 20 -g -- "$(target_path callgraph_nofp)" 1
mode auto-cmd-fp "fp \\($chosen" -b -d 0.3 --duration 20 -g -- "$(target_path callgraph_fp)" 1

# --max-stack 3: stacks cut to their 3 frames nearest the leaf.
for m in fp dwarf; do
	cg_run "max-$m" -b -p "$fp" -g "$m" --max-stack 3 --format folded -o "max-$m.folded"
	expect_rc 0
	cgcheck c folded "max-$m.folded" --max-stack 3 ||
		{ show "max-$m.folded"; fail "-g $m --max-stack 3: the stacks are not those of the construction cut to 3 frames (above)"; }
done

# Bounds that are taken.
mode max1 'fp(,? .*)?' "${quick[@]}" -p "$fp" -g fp --max-stack 1
mode max1024 'fp(,? .*)?' "${quick[@]}" -p "$fp" -g fp --max-stack 1024
mode size8 'dwarf(,? .*)?' "${quick[@]}" -p "$nofp" -g dwarf --stack-size 8
mode size7 'dwarf(,? .*)?' "${quick[@]}" -p "$nofp" -g dwarf --stack-size 7
mode size65528 'dwarf(,? .*)?' "${quick[@]}" -p "$nofp" -g dwarf --stack-size 65528

# bad NAME WORD ARG...: exit status 2, one line on stderr containing WORD
# (a regex, grep -E; nothing checked when empty).
bad() {
	local name=$1 word=$2
	shift 2
	RR_TIMEOUT=10 rr_run "$name" "$@"
	expect_rc 2
	expect_one_line_stderr
	if [ -n "$word" ] && ! grep -Eq -- "$word" "$name.err"; then
		fail "$name: the message does not name '$word': $(cat "$name.err")"
	fi
}
bad bad-g '' "${quick[@]}" -p "$fp" -g bogus
bad bad-gword bogus "${quick[@]}" -p "$fp" -gbogus
bad bad-cg bogus "${quick[@]}" -p "$fp" --call-graph=bogus
bad bad-max0 max-stack "${quick[@]}" -p "$fp" -g fp --max-stack 0
bad bad-max1025 max-stack "${quick[@]}" -p "$fp" -g fp --max-stack 1025
bad bad-maxneg max-stack "${quick[@]}" -p "$fp" -g fp --max-stack -1
bad bad-maxabc max-stack "${quick[@]}" -p "$fp" -g fp --max-stack abc
bad bad-size0 stack-size "${quick[@]}" -p "$nofp" -g dwarf --stack-size 0
bad bad-size65529 stack-size "${quick[@]}" -p "$nofp" -g dwarf --stack-size 65529
bad bad-size100000 stack-size "${quick[@]}" -p "$nofp" -g dwarf --stack-size 100000
bad bad-sizeneg stack-size "${quick[@]}" -p "$nofp" -g dwarf --stack-size -8
bad bad-sizeabc stack-size "${quick[@]}" -p "$nofp" -g dwarf --stack-size abc
# A stack cut short (64 bytes of stack copied: too few to reach main)
# ends under an [unknown] root, never passing for a whole stack; with the
# default 8 KB every stack reaches _start.  Shares of the folded counts.
# roots FILE: "UNKNOWN_PCT OTHER_ROOTS" of a folded file.
roots() {
	awk '{ n = $NF; t += n; split($0, f, ";")
	       if (f[1] == "[unknown]") u += n
	       else if (f[1] != "_start") o += n }
	     END { printf "%.1f %d\n", t ? 100 * u / t : 0, o }' "$1"
}
rr_run cut -b -p "$nofp" -g dwarf --stack-size 64 -d 0.5 -n 2 \
    --format folded -o cut.folded
expect_rc 0
read -r pct other <<<"$(roots cut.folded)"
note "--stack-size 64: $pct % of the stacks under [unknown], $other samples under another root"
awk -v p="$pct" 'BEGIN { exit !(p > 50) }' ||
	{ show cut.folded; fail "cut: only $pct % of the stacks cut short under [unknown]"; }
[ "$other" = 0 ] || { show cut.folded; fail "cut: a cut-short stack passes for a whole one"; }
rr_run whole -b -p "$nofp" -g dwarf -d 0.5 -n 2 --format folded -o whole.folded
expect_rc 0
read -r pct other <<<"$(roots whole.folded)"
note "--stack-size 8192: $pct % under [unknown], $other under another root"
awk -v p="$pct" 'BEGIN { exit !(p < 2) }' ||
	{ show whole.folded; fail "whole: $pct % of the stacks cut short with 8 KB copied"; }

# A refresh much longer than the ring holds (3 s at 1 kHz of 8 KB stacks:
# 3,000 samples; the ring is sized for 512 of them): the session drains it
# between ticks, so the samples are not lost. A target starved by a
# loaded machine gets fewer: then one refresh of 9 s.
for d in 3 9; do
	rr_run drain -b -p "$nofp" -g dwarf -d "$d" -n 1
	expect_rc 0
	read -r got lost <<<"$(awk '/^samples: /{s=$2} /^lost: /{l=$2} END {print s+0, l+0}' "$tmp/drain.out")"
	note "-d $d: $got samples, $lost lost"
	[ "$got" -le 1000 ] || break
done
[ "$got" -gt 1000 ] || { show "$tmp/drain.out"; fail "drain: only $got samples in $d s"; }
[ "$lost" -lt $((got / 20)) ] || fail "drain: $lost of $got samples lost: the ring was not drained between ticks"

for p in "$fp" "$nofp" "$stripped"; do
	kill -0 "$p" 2>/dev/null || fail "target $p died along the way"
done
