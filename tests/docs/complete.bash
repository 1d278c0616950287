# complete.bash DIR CASES: drive the bash completion DIR/vmmap.bash as
# readline would and print, for each line of CASES, "@@LINE" then the
# candidates (COMPREPLY), one a line; "@@LINE" also goes to standard error,
# to tell what printed errors. Run with bash --norc --noprofile.
#
# Each line is split as readline splits it with the default
# COMP_WORDBREAKS: at blanks, and around '=' ("--output=x" is the three
# words "--output" "=" "x"). A line ending in a blank completes an empty
# word.

. "$1/vmmap.bash" || exit 1
# the function `complete -F` registered, called as bash calls it
func=$(complete -p vmmap) || exit 1
func=${func#*-F }
func=${func%% *}

while IFS= read -r line; do
	printf '@@%s\n' "$line"
	printf '@@%s\n' "$line" >&2
	read -ra raw <<<"$line"
	[[ $line == *[[:blank:]] ]] && raw+=("")
	COMP_WORDS=()
	for w in "${raw[@]}"; do
		if [[ $w != *=* ]]; then
			COMP_WORDS+=("$w")
			continue
		fi
		while [[ $w == *=* ]]; do
			[[ -n ${w%%=*} ]] && COMP_WORDS+=("${w%%=*}")
			COMP_WORDS+=("=")
			w=${w#*=}
		done
		[[ -n $w ]] && COMP_WORDS+=("$w")
	done
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	"$func" vmmap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
done <"$2"
exit 0
