# bash completion for rrstat-top                           -*- shell-script -*-
#
# Options; events from `rrstat-top --list-events`; pids for -p (a comm
# prefix such as `-p xz<TAB>` completes to the pids of the processes of
# that name; comma lists too); formats, sort keys, samplers, -g modes;
# files and directories; after --, a command and its arguments.
# Installed as $(datadir)/bash-completion/completions/rrstat-top.

# The options of `rrstat-top --help` (tests/completion.sh keeps the two
# in step).
_rrstat_top_opts='-p --pid --demo -e --event -F --freq -c --count --sampler
-g --call-graph --max-stack --stack-size --no-kernel --list-events -d --delay
-n --iterations --duration -b --batch -o --output --format -s --sort --window
--debug-dir --source-dir --no-color --no-config --no-debuginfod --columns
--baseline -h --help -V --version'

# Prints the event names rrstat-top knows, one a line.
_rrstat_top_events()
{
	local prog=$1
	LC_ALL=C "$prog" --list-events 2>/dev/null | awk '{ print $1 }' ||
	    printf '%s\n' cpu-cycles instructions cache-misses task-clock \
	    cpu-clock wait-time context-switches page-faults
}

# Prints "PID COMM" for every process, one a line.
_rrstat_top_procs()
{
	local d comm
	for d in /proc/[0-9]*; do
		[ -r "$d/comm" ] && read -r comm <"$d/comm" 2>/dev/null &&
		    printf '%s %s\n' "${d#/proc/}" "$comm"
	done
}

# COMPREPLY from compgen ARG..., one match a line (names with blanks
# stay whole).
_rrstat_top_gen()
{
	mapfile -t COMPREPLY < <(compgen "$@")
}

# Completes the last element of a comma list: $1 the word, then the
# candidates; the elements before the last one are kept.
_rrstat_top_list()
{
	local word=$1 head='' c
	shift
	case $word in
	*,*) head=${word%,*},; word=${word##*,} ;;
	esac
	COMPREPLY=()
	for c in "$@"; do
		[[ $c == "$word"* ]] && COMPREPLY+=("$head$c")
	done
}

# Completes pids for -p: by pid prefix, else by command name prefix.
_rrstat_top_pids()
{
	local word=$1 last=${1##*,} pid comm
	local -a cands=()
	while read -r pid comm; do
		if [[ $last == *[!0-9]* ]]; then
			[[ $comm == "$last"* ]] && cands+=("$pid")
		else
			cands+=("$pid")
		fi
	done < <(_rrstat_top_procs)
	if [[ $last == *[!0-9]* ]]; then
		# A name: its pids replace it.
		local head=''
		[[ $word == *,* ]] && head=${word%,*},
		COMPREPLY=("${cands[@]/#/$head}")
	else
		_rrstat_top_list "$word" "${cands[@]}"
	fi
}

# The completion function.
_rrstat_top()
{
	local cur prev i
	local -a words=("${COMP_WORDS[@]}")
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_CWORD:+${COMP_WORDS[COMP_CWORD - 1]}}

	# After --: a command, then its arguments.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${words[i]} == -- ]]; then
			if ((i + 1 == COMP_CWORD)); then
				_rrstat_top_gen -c -- "$cur"
			else
				_rrstat_top_gen -f -- "$cur"
				compopt -o filenames 2>/dev/null
			fi
			return 0
		fi
	done

	# --opt=value: '=' breaks words (COMP_WORDBREAKS).
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	case $prev in
	-p | --pid)
		_rrstat_top_pids "$cur"
		return 0 ;;
	-e | --event)
		local -a evs
		mapfile -t evs < <(_rrstat_top_events "${COMP_WORDS[0]}")
		_rrstat_top_list "$cur" "${evs[@]}"
		return 0 ;;
	--format)
		_rrstat_top_gen -W 'text csv json folded pprof' -- "$cur"
		return 0 ;;
	-s | --sort)
		_rrstat_top_gen -W 'self total samples function binary' -- "$cur"
		return 0 ;;
	--sampler)
		_rrstat_top_gen -W 'auto perf ptrace' -- "$cur"
		return 0 ;;
	-g | --call-graph)
		# The mode is optional: options too.
		if [[ $cur == -* ]]; then
			_rrstat_top_gen -W "$_rrstat_top_opts" -- "$cur"
		else
			_rrstat_top_gen -W 'fp dwarf auto none' -- "$cur"
		fi
		return 0 ;;
	-o | --output | --baseline)
		_rrstat_top_gen -f -- "$cur"
		compopt -o filenames 2>/dev/null
		return 0 ;;
	--debug-dir | --source-dir)
		_rrstat_top_gen -d -- "$cur"
		compopt -o filenames 2>/dev/null
		return 0 ;;
	-F | --freq | -c | --count | -d | --delay | -n | --iterations | \
	--duration | --window | --max-stack | --stack-size)
		return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		_rrstat_top_gen -W "$_rrstat_top_opts" -- "$cur"
	fi
	return 0
}
complete -F _rrstat_top rrstat-top
