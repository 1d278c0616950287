# bash completion for vmmap(1)                              -*- shell-script -*-
#
# Installed as "vmmap" in bash-completion's completions directory, where it is
# loaded on demand; it can also be sourced directly. It needs no helper of the
# bash-completion package.

_vmmap_columns='START END PERMS OFFSET DEV INODE SIZE RSS PSS PSS_DIRTY
	SHARED_CLEAN SHARED_DIRTY PRIVATE_CLEAN PRIVATE_DIRTY DIRTY USS
	REFERENCED ANONYMOUS KSM LAZYFREE ANONHUGE SHMEMPMD FILEPMD
	SHARED_HUGETLB PRIVATE_HUGETLB SWAP SWAPPSS LOCKED KPAGESIZE KIND DETAIL
	PATH IMAGE SECTIONS TID DELETED VMFLAGS DUMPED NUMA NUMA_POLICY PRESENT SWAPPED EXCLUSIVE
	HUGE GUARD PHYS_DIRTY PHYS_ACTIVE PHYS_SHARED PHYS_UNEVICTABLE RESIDENCY
	PID USER COMM REGIONS CODE DATA HEAP STACK ANON FILE SHM OTHER REASON'

_vmmap_kinds='code rodata relro data bss heap stack thread_stack guard anon
	file shm device vdso vvar vsyscall other'

_vmmap_options='-J --json -s --summary -T --by-image -L --layout -P --pages -A --addr -K --kernel -w --watch --interval --iterations -o --output --output-all
	-H --list-columns -x --sort -k --kind -R --range -r --raw
	-n --noheadings -b --bytes --color --width --sysroot -h --help -V --version
	-a --all --user --top --openmetrics --by-comm --output-file --accurate
	--diff --all-regions --force --numa --capture'

# the short options that take no value, which may run together: -Jo
_vmmap_flags=JsTLPKHrnbwahV

# _vmmap_case WORD NAMES: NAMES in the case WORD is typed in (vmmap accepts
# column and kind names in any case).
_vmmap_case()
{
	case $1 in
	*[[:lower:]]*) printf '%s\n' "${2,,}" ;;
	*[[:upper:]]*) printf '%s\n' "${2^^}" ;;
	*) printf '%s\n' "$2" ;;
	esac
}

# _vmmap_list CUR NAMES [+]: complete the last item of a comma-separated
# list, leaving out the items already given; with "+", CUR may start with
# '+' (-o +LIST adds to the default columns).
_vmmap_list()
{
	local cur=$1 names=$2 plus= prefix last item words=
	local -A used=()

	if [[ $3 == + && $cur == +* ]]; then
		plus=+
		cur=${cur#+}
	fi
	last=${cur##*,}
	prefix=${cur%"$last"}
	local IFS=,
	for item in $prefix; do
		[[ -n $item ]] && used[${item^^}]=1
	done
	IFS=$' \t\n'
	for item in $(_vmmap_case "$last" "$names"); do
		[[ -n ${used[${item^^}]} ]] || words+=" $item"
	done
	COMPREPLY=($(compgen -P "$plus$prefix" -W "$words" -- "$last"))
	compopt -o nospace 2>/dev/null
}

# _vmmap_processes CUR PROC: PIDs, /proc/PID and process names under PROC.
# Never kernel threads (PF_KTHREAD, 0x00200000, in field 9 of stat); in the
# live /proc, only processes whose executable this user can see, the ones
# vmmap can read. A name with blanks is left out: it is not one word.
_vmmap_processes()
{
	local cur=$1 proc=$2 d n stat pids= names= paths=
	local -a f
	local -A seen=()

	for d in "$proc"/[0-9]*; do
		[[ -d $d && ${d##*/} == +([0-9]) ]] || continue
		[[ $proc == /proc && ! -e $d/exe ]] && continue
		stat= n=
		read -r -d '' stat <"$d/stat"
		# the fields after "(comm) ", comm being anything
		read -r -a f <<<"${stat##*') '}"
		[[ ${f[6]} =~ ^[0-9]{1,10}$ ]] && ((10#${f[6]} & 0x200000)) && continue
		pids+=" ${d##*/}"
		paths+=" /proc/${d##*/}"
		read -r n <"$d/comm"
		if [[ -n $n && $n != *[[:space:]]* && -z ${seen[$n]} ]]; then
			names+=" $n"
			seen[$n]=1
		fi
	done 2>/dev/null
	# a path is /proc/PID or a core file
	case $cur in
	[0-9]*) COMPREPLY=($(compgen -W "$pids" -- "$cur")) ;;
	/proc/*) COMPREPLY=($(compgen -W "$paths" -- "$cur")) ;;
	*/* | .* | "~"*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	*) COMPREPLY=($(compgen -W "$pids $names" -- "$cur")) ;;
	esac
}

_vmmap()
{
	local cur prev pre= eq= sysroot= i

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}

	# "--opt=value" arrives as three words, "--opt" "=" "value", when '='
	# is in COMP_WORDBREAKS (the default), else as one word.
	if [[ $cur == = ]]; then
		cur=
		eq=1
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD-2]}
		eq=1
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		pre=$prev=
		cur=${cur#*=}
		eq=1
	fi
	if [[ -n $eq ]]; then
		case $prev in
		--output|--sort|--kind|--range|--addr|--interval|--iterations|--color|--width|--sysroot|--user|--top|--output-file|--diff|--capture) ;;
		*) return 0 ;;
		esac
	elif [[ $prev == --color ]]; then
		# --color takes its value only as --color=WHEN: the next
		# word is a process.
		prev=
	elif [[ $cur =~ ^-[$_vmmap_flags]*([oxk])(.+)$ ]]; then
		# the value in the same word: -oSTART,RSS, -JoSTART
		prev=-${BASH_REMATCH[1]}
		pre=${cur%"${BASH_REMATCH[2]}"}
		cur=${BASH_REMATCH[2]}
	elif [[ $prev =~ ^-[$_vmmap_flags]+([oxkAR])$ ]]; then
		# short options run together, the last taking the value: -Jo
		prev=-${BASH_REMATCH[1]}
	fi

	case $prev in
	-o|--output)
		_vmmap_list "$cur" "$_vmmap_columns" +
		;;
	-x|--sort)
		COMPREPLY=($(compgen -W "$(_vmmap_case "$cur" "$_vmmap_columns")" -- "$cur"))
		;;
	-k|--kind)
		_vmmap_list "$cur" "$_vmmap_kinds"
		;;
	--user)
		COMPREPLY=($(compgen -u -- "$cur"))
		;;
	--output-file|--diff)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	-R|--range|-A|--addr|--interval|--iterations|--width|--top)
		# addresses and numbers: nothing to offer
		;;
	--color)
		COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
		;;
	--sysroot|--capture)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	*)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_vmmap_options" -- "$cur"))
			return 0
		fi
		# Processes, under the --sysroot given on the line if any.
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--sysroot)
				sysroot=${COMP_WORDS[i+1]}
				[[ $sysroot == = ]] && sysroot=${COMP_WORDS[i+2]}
				;;
			--sysroot=*)
				sysroot=${COMP_WORDS[i]#--sysroot=}
				;;
			esac
		done
		_vmmap_processes "$cur" "$sysroot/proc"
		return 0
		;;
	esac
	[[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]/#/$pre}")
	return 0
}
complete -F _vmmap vmmap
