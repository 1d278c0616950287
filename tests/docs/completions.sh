#!/bin/sh
# completions.sh: the bash, zsh and fish completions parse, know every long
# option of `vmmap --help`, every column of `vmmap -H` and every kind, and the
# bash one completes what it should.
#
# Environment (from the test harness): top_srcdir and VMMAP.
set -u

dir=${top_srcdir:-.}/completions
vmmap=${VMMAP:-./vmmap}
fail=0
skipped=

help=$("$vmmap" --help) || { echo "FAIL: $vmmap --help failed"; exit 1; }
columns=$("$vmmap" -H | awk '{ print $1 }') || { echo "FAIL: $vmmap -H failed"; exit 1; }
longopts=$(printf '%s\n' "$help" | grep -o -e '--[a-z][a-z-]*' | sort -u)
kinds=$(printf '%s\n' "$help" | sed -n '/^Kinds:/,/^$/p' | sed 1d)
[ -n "$longopts" ] && [ -n "$columns" ] && [ -n "$kinds" ] ||
	{ echo "FAIL: cannot read options, columns or kinds from $vmmap"; exit 1; }

# Every long option, column and kind is named in each completion file. The
# files spell long options as --name (bash, zsh) or "-l name" (fish).
for f in vmmap.bash _vmmap vmmap.fish; do
	file=$dir/$f
	[ -s "$file" ] || { echo "FAIL: $file is missing or empty"; fail=1; continue; }
	for o in $longopts; do
		name=${o#--}
		if [ "$f" = vmmap.fish ]; then
			grep -qE -- "-l $name( |$)" "$file"
		else
			grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" "$file"
		fi || { echo "FAIL: $f does not complete $o"; fail=1; }
	done
	for w in $columns $kinds; do
		grep -qE "(^|[^A-Za-z0-9_])$w([^A-Za-z0-9_]|$)" "$file" ||
			{ echo "FAIL: $f does not know $w"; fail=1; }
	done
done

# bash: syntax, then drive the completion function as readline would.
if command -v bash >/dev/null 2>&1; then
	bash -n "$dir/vmmap.bash" || { echo "FAIL: bash -n $dir/vmmap.bash"; fail=1; }
	# Columns starting with R: what `-o START,R` must offer after START,.
	rcols=$(printf '%s\n' $columns | grep '^R' | sed 's/^/START,/' | sort | tr '\n' ' ')
	COLUMNS_R=$rcols bash -c '
		. "$1" || exit 1
		fail=0
		# comp WORD...: complete the last WORD of "vmmap WORD..."; prints
		# the sorted candidates on one line.
		comp() {
			COMP_WORDS=(vmmap "$@")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE="${COMP_WORDS[*]}"
			COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			_vmmap vmmap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
		}
		expect() {
			local want=$1 got
			shift
			got=$(comp "$@")
			if [ "$got" != "$want" ]; then
				echo "FAIL: bash: vmmap $*<TAB> offers [$got], want [$want]"
				fail=1
			fi
		}
		contains() {
			local want=$1 got
			shift
			got=$(comp "$@")
			case " $got" in
			*" $want "*) ;;
			*) echo "FAIL: bash: vmmap $*<TAB> offers [$got], not $want"; fail=1 ;;
			esac
		}
		lacks() {
			local bad=$1 got
			shift
			got=$(comp "$@")
			case " $got" in
			*" $bad "*) echo "FAIL: bash: vmmap $*<TAB> offers $bad: [$got]"; fail=1 ;;
			esac
		}
		expect "--sort " --so
		contains START,RSS -o START,R
		expect "$COLUMNS_R" -o START,R
		expect "$COLUMNS_R" --output = START,R
		contains start,rss -o start,r
		expect "heap " --kind he
		expect "heap,shm heap,stack " -k heap,s
		contains vmflags -x vmf
		# --color takes its value attached: --color=WHEN
		expect "always auto never " --color = ""
		expect "--color=always --color=auto --color=never " --color=
		lacks auto --color ""
		lacks --json --json = ""
		exit $fail
	' sh "$dir/vmmap.bash" || fail=1
else
	skipped="$skipped bash"
fi

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$dir/_vmmap" || { echo "FAIL: zsh -n $dir/_vmmap"; fail=1; }
else
	skipped="$skipped zsh"
fi
if command -v fish >/dev/null 2>&1; then
	fish -n "$dir/vmmap.fish" || { echo "FAIL: fish -n $dir/vmmap.fish"; fail=1; }
else
	skipped="$skipped fish"
fi

[ $fail -eq 0 ] || exit 1
[ -z "$skipped" ] || echo "note: not installed, not checked:$skipped"
echo "ok: completions"
exit 0
