#!/bin/sh
# completions.sh: drive the bash, zsh and fish completions as TAB does and
# check what each offers: every option of `vmmap --help`, the argument of
# each (columns of `vmmap -H`, kinds, colour modes, directories, nothing for
# numbers and addresses), processes by PID, name and /proc/PID, never kernel
# threads, both live and under --sysroot, and no error text.
#
# The shells are driven by complete.bash (readline's words, the function
# `complete -F` names, COMPREPLY), complete.zsh (an interactive zsh with
# compinit in a pseudo-terminal: TAB and the listing it prints) and
# complete.fish (`complete -C`). A shell that is not installed is not
# checked, and the test then skips (77) unless another failed.
#
# Environment (from the test harness): top_srcdir and VMMAP.
set -u

srcdir=${top_srcdir:-.}
dir=$(cd "$srcdir/completions" && pwd) || exit 1
vmmap=${VMMAP:-./vmmap}
bindir=$(cd "$(dirname "$vmmap")" && pwd) || exit 1
fail=0
skipped=
sleeper=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-compl.XXXXXX") || exit 1
cleanup() {
	[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

help=$("$vmmap" --help) || { echo "FAIL: $vmmap --help failed"; exit 1; }
columns=$("$vmmap" -H | awk '{ print $1 }') || { echo "FAIL: $vmmap -H failed"; exit 1; }
longopts=$(printf '%s\n' "$help" | grep -o -e '--[a-z][a-z-]*' | sort -u)
shortopts=$(printf '%s\n' "$help" | sed -n 's/^ *\(-[A-Za-z]\),.*/\1/p')
# the options that take an argument: "--opt <x>" or "--opt[=<x>]"
argopts=$(printf '%s\n' "$help" | sed -nE 's/^ *(-[A-Za-z], )?(--[a-z-]+)( |\[=)<.*/\2/p')
kinds=$(printf '%s\n' "$help" | sed -n '/^Kinds:/,/^$/p' | sed 1d)
[ -n "$longopts" ] && [ -n "$shortopts" ] && [ -n "$argopts" ] &&
	[ -n "$columns" ] && [ -n "$kinds" ] ||
	{ echo "FAIL: cannot read options, columns or kinds from $vmmap"; exit 1; }
for o in $argopts; do
	case $o in
	--output|--sort|--kind|--addr|--range|--interval|--iterations|--width|--color|--sysroot) ;;
	--user|--top|--output-file|--diff|--capture) ;;
	*) echo "FAIL: $o takes an argument this test does not check"; fail=1 ;;
	esac
done

# A process of ours to find by PID and by name, once it is sleep.
sleep 300 &
sleeper=$!
i=0
while [ "$(cat "/proc/$sleeper/comm" 2>/dev/null)" != sleep ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

# A kernel thread (PF_KTHREAD in the flags, field 9 of stat), if this
# machine shows one, to see it is not offered.
kpid=
kname=
for s in /proc/2/stat /proc/[0-9]*/stat; do
	read -r st 2>/dev/null <"$s" || continue
	# shellcheck disable=SC2086 # the fields after "(comm) "
	set -- ${st##*) }
	[ $# -ge 7 ] || continue
	case $7 in ''|*[!0-9]*) continue ;; esac
	[ $(($7 & 0x200000)) -ne 0 ] || continue
	kpid=${s#/proc/}
	kpid=${kpid%/stat}
	kname=$(cat "/proc/$kpid/comm" 2>/dev/null) || kpid=
	[ -n "$kpid" ] && break
done

# A capture for --sysroot: a process, a kernel thread, a process whose name
# holds ") " and what would be kernel-thread flags, one without stat, one
# with a ':' in its name, one with a blank (a name not offered).
fake() { # fake PID NAME FLAGS
	mkdir -p "$tmp/root/proc/$1"
	printf '%s\n' "$2" >"$tmp/root/proc/$1/comm"
	[ -z "$3" ] || printf '%s (%s) S 1 %s %s 0 -1 %s 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0\n' \
		"$1" "$2" "$1" "$1" "$3" >"$tmp/root/proc/$1/stat"
}
fake 4242 fakeproc 4194304
fake 4243 kfakethread 2129984
fake 4244 'x) S 1 1 1 0 -1 2129984' 4194304
fake 4245 nostat ''
fake 4246 memfd:x 4194304
fake 4247 'zz top' 4194304
# directories for --sysroot, and a file that is not one
mkdir -p "$tmp/dirs/capture"
: >"$tmp/dirs/cfile"

# c LINE offers|lacks|is|none WORD...: what TAB after LINE must offer.
# Records LINE in cases, for the drivers, and the check in checks.
c() {
	grep -qxF -e "$1" "$tmp/cases" || printf '%s\n' "$1" >>"$tmp/cases"
	(IFS='	' && printf '%s\n' "$*") >>"$tmp/checks"
}

# verify SHELL: run the checks on SHELL.out, the candidates after each
# "@@LINE". Candidates and words compare in any case (vmmap takes names in
# any case), less a trailing '/', ',' or '='; a word also matches the end of
# a candidate after a ',', '=' or '/' (bash and fish offer "START,RSS" where
# zsh lists "RSS"). "is" wants a candidate that is exactly WORD.
verify() {
	awk -F '\t' -v sh="$1" '
	function norm(s) {
		s = tolower(s)
		sub(/[\/,=]+$/, "", s)
		return s
	}
	function hit(c, w, exact, n) {
		n = length(c) - length(w)
		if (c == w)
			return 1
		return !exact && n > 0 && substr(c, n + 1) == w &&
		       index(",=/", substr(c, n, 1))
	}
	# has(LINE, WORD, EXACT): whether TAB after LINE offers WORD
	function has(l, w, exact, i) {
		w = norm(w)
		for (i = 1; i <= n[l]; i++)
			if (hit(cand[l, i], w, exact))
				return 1
		return 0
	}
	function bad(l, msg) {
		print substr("FAIL: " sh ": " l "<TAB> " msg ": [" all[l] " ]", 1, 400)
		failed = 1
	}
	FNR == NR {
		check[++nchecks] = $0
		next
	}
	/^@@/ {
		l = substr($0, 3)
		next
	}
	/^!!/ {
		next
	}
	{
		cand[l, ++n[l]] = norm($0)
		all[l] = all[l] " " $0
	}
	END {
		for (k = 1; k <= nchecks; k++) {
			nf = split(check[k], f, "\t")
			l = f[1]
			miss = ""
			if (f[2] == "none") {
				if (n[l])
					bad(l, "offers something, want nothing")
				continue
			}
			for (i = 3; i <= nf; i++)
				if (has(l, f[i], f[2] == "is") != (f[2] != "lacks"))
					miss = miss " " f[i]
			if (miss == "")
				continue
			if (f[2] == "lacks")
				bad(l, "offers" miss)
			else if (f[2] == "is")
				bad(l, "does not offer exactly" miss)
			else
				bad(l, "does not offer" miss)
		}
		exit failed
	}' "$tmp/checks" "$tmp/$1.out"
}

checks() {
	# every option, and what follows each
	c 'vmmap --' offers $longopts
	c 'vmmap -' offers $shortopts
	c 'vmmap --o' offers --output --output-all
	c 'vmmap --o' lacks --json
	for o in '-o ' '--output ' '--output=' '-x ' '--sort ' '--sort='; do
		c "vmmap $o" offers $columns
		c "vmmap $o" lacks "$sleeper"
	done
	for o in '-k ' '--kind ' '--kind='; do
		c "vmmap $o" offers $kinds
	done
	for o in '-A ' '--addr ' '-R ' '--range ' '--interval ' '--iterations ' '--width ' '--top '; do
		c "vmmap $o" none
	done
	c 'vmmap --color=' offers auto always never
	# --color takes its value only as --color=WHEN
	c 'vmmap --color ' offers "$sleeper"
	c 'vmmap --color ' lacks auto
	for o in '--sysroot ' '--sysroot=' '--capture ' '--capture='; do
		c "vmmap $o$tmp/dirs/c" offers capture
		c "vmmap $o$tmp/dirs/c" lacks cfile
	done
	# the machine view: users, files, its columns
	c 'vmmap --user roo' offers root
	c "vmmap --output-file $tmp/dirs/cf" offers cfile
	c "vmmap --diff $tmp/dirs/cf" offers cfile
	c 'vmmap --all -o HE' offers HEAP
	c 'vmmap --all --sort rea' offers REASON
	for o in -J --json -w --output-all -a --all --openmetrics; do
		c "vmmap $o " offers "$sleeper" sleep
	done

	# columns and kinds, in any case, as comma-separated lists
	c 'vmmap -o st' offers START
	c 'vmmap -o S' offers SIZE SWAP SHARED_DIRTY
	c 'vmmap -o start,r' offers RSS REFERENCED RESIDENCY
	c 'vmmap -o start,r' lacks START SIZE
	c 'vmmap -o start,' lacks START
	c 'vmmap -o start,' offers SIZE
	c 'vmmap -o start,rs' is start,rss
	c 'vmmap --output=START,R' offers RSS REFERENCED
	c 'vmmap -o +start,r' offers RSS
	c 'vmmap -ostart,r' offers RSS
	c 'vmmap -Jo ' offers START SIZE
	c 'vmmap -Jostart,r' offers RSS
	c 'vmmap --sort sw' offers SWAP SWAPPSS SWAPPED
	c 'vmmap --sort sw' lacks SIZE
	c 'vmmap -x vmf' offers VMFLAGS
	c 'vmmap --kind c' offers code
	c 'vmmap -k heap,s' offers shm stack
	c 'vmmap -k heap,s' lacks heap
	c 'vmmap -k heap,' lacks heap
	c 'vmmap -k heap,' offers code stack
	c 'vmmap --sort start,' none
	c 'vmmap -k HE' offers HEAP

	# processes: PID, /proc/PID, name; no kernel thread
	c "vmmap ${sleeper%?}" offers "$sleeper"
	c "vmmap /proc/${sleeper%?}" offers "/proc/$sleeper"
	c 'vmmap sle' offers sleep
	c 'vmmap ' offers "$sleeper" sleep
	c 'vmmap ' lacks "/proc/$sleeper"
	if [ -n "$kpid" ]; then
		c 'vmmap ' lacks "$kpid" "$kname"
		c "vmmap $kpid" lacks "$kpid"
		c "vmmap ${kname%?}" lacks "$kname"
	fi
	# the same under --sysroot, from its proc
	c "vmmap --sysroot $tmp/root " offers 4242 fakeproc 4244 4245 nostat
	c "vmmap --sysroot $tmp/root " lacks 4243 kfakethread "$sleeper"
	c "vmmap --sysroot=$tmp/root 42" offers 4242 4244 4245
	c "vmmap --sysroot=$tmp/root 42" lacks 4243
	c "vmmap --sysroot $tmp/root kf" lacks kfakethread
	c "vmmap --sysroot $tmp/root fa" offers fakeproc
	c "vmmap --sysroot $tmp/root me" offers memfd:x
	c "vmmap --sysroot $tmp/root zz" none
}

: >"$tmp/cases"
: >"$tmp/checks"
checks
if [ -n "$kpid" ]; then
	echo "note: the kernel thread not to offer: $kpid ($kname)"
else
	echo "note: no kernel thread in /proc here: only the --sysroot one is checked"
fi

for shell in bash zsh fish; do
	if ! command -v $shell >/dev/null 2>&1; then
		skipped="$skipped $shell"
		continue
	fi
	case $shell in
	bash)
		timeout 300 bash --norc --noprofile "$srcdir/tests/docs/complete.bash" \
			"$dir" "$tmp/cases" >"$tmp/bash.out" 2>"$tmp/bash.err"
		;;
	zsh)
		timeout 300 zsh -f "$srcdir/tests/docs/complete.zsh" \
			"$dir" "$tmp/cases" "$tmp/zsh" >"$tmp/zsh.out" 2>"$tmp/zsh.err"
		;;
	fish)
		mkdir -p "$tmp/fish"
		HOME=$tmp/fish XDG_CONFIG_HOME=$tmp/fish/config \
		XDG_DATA_HOME=$tmp/fish/data XDG_CACHE_HOME=$tmp/fish/cache \
		PATH=$bindir:$PATH \
			timeout 300 fish "$srcdir/tests/docs/complete.fish" \
			"$dir" "$tmp/cases" >"$tmp/fish.out" 2>"$tmp/fish.err"
		;;
	esac
	rc=$?
	[ $rc -eq 0 ] || { echo "FAIL: $shell: the driver exited with $rc"; fail=1; }
	# no error text: on standard error (where the drivers repeat each
	# "@@LINE"), or in the terminal (zsh, as "!!TEXT" after "@@LINE")
	awk -v sh=$shell '
		/^@@/ { l = substr($0, 3); next }
		FILENAME ~ /err$/ && /./ && !seen[l]++ { print "FAIL: " sh ": " l "<TAB> printed: " $0 }
		/^!!/ && !seen[l]++ { print "FAIL: " sh ": " l "<TAB> printed: " substr($0, 3) }' \
		"$tmp/$shell.err" "$tmp/$shell.out" | head -n 20 | grep . && fail=1
	verify $shell || fail=1
done

[ $fail -eq 0 ] || exit 1
if [ -n "$skipped" ]; then
	echo "SKIP: not installed, so their completion is not checked:$skipped"
	exit 77
fi
echo "ok: completions"
exit 0
