# complete.zsh DIR CASES HOME: drive the zsh completion DIR/_vmmap as a user
# would, and print, for each line of CASES, "@@LINE" then the candidates, one
# a line. Run with zsh -f.
#
# An interactive zsh runs in a pseudo-terminal (zpty), with HOME as a clean
# ZDOTDIR whose .zshrc puts DIR on fpath and runs compinit, as a user's
# would. Each line is typed, then TAB, and the completion listing is read
# from the terminal; when TAB completed the word instead of listing, the
# completed word is the candidate. What the completion writes on standard
# error, and lines of the listing that look like errors, are printed as
# "!!LINE".
emulate -L zsh
setopt extended_glob
zmodload zsh/zpty zsh/system zsh/zselect || exit 1
local dir=${1:a} cases=$2 home=${3:a} fd line out buf chunk l word err
integer nerr=0
local -a lines words

mkdir -p $home || exit 1
# list on the first TAB even when there is a common prefix to insert, and
# never ask before listing
cat >$home/.zshrc <<EOF
PS1='<P>' RPS1= PS2=
unset zle_bracketed_paste
unsetopt beep list_ambiguous
LISTMAX=100000
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -d ${(q)home}/.zcompdump
vmmap-dump() { zle -I; print -r -- "<<BUF:\$BUFFER:FUB>>"; BUFFER= }
zle -N vmmap-dump
bindkey '^X^D' vmmap-dump
EOF

# readto PATTERN: read the terminal into $out until all of it matches
# PATTERN; fail after 60 s without output
readto() {
	local chunk
	out=
	until [[ $out == $~1 ]]; do
		zselect -t 6000 -r $fd && sysread -i $fd chunk || return 1
		out+=$chunk
	done
}

zpty vz "stty rows 1000 cols 120 2>/dev/null; TERM=dumb ZDOTDIR=${(q)home} HOME=${(q)home} exec zsh -i 2>${(q)home}/stderr" ||
	exit 1
fd=$REPLY
readto '*<P>' || exit 1

while IFS= read -r line; do
	print -r -- "@@$line"
	zpty -w -n vz "$line"$'\t'
	# the completion runs before the next key is read: this one prints
	# the buffer TAB left, then the prompt comes back
	zpty -w -n vz $'\C-x\C-d'
	readto '*:FUB>>*<P>' || exit 1
	out=${out//$'\r'/}
	buf=${${out#*<<BUF:}%%:FUB>>*}
	chunk=${out%%<<BUF:*}
	# the typed line, the listing, then the prompt redrawn under it
	lines=("${(@f)chunk}")
	shift lines
	words=()
	for l in $lines; do
		[[ $l == '<P>'* ]] && break
		if [[ $l == [^[:space:]]##:<->:\ * || $l == zsh:* || $l == *'do you wish'* ]]; then
			print -r -- "!!$l"
			continue
		fi
		# "cand [cand...] -- description"
		l=${l%%[[:space:]]--[[:space:]]*}
		words+=(${=l})
	done
	if (( ! $#words )) && [[ $buf != "$line" ]]; then
		# TAB completed the word: the last one, less the suffix that
		# the next character would remove
		word=${(Q)${(z)buf}[-1]}
		words=(${word%,})
	fi
	(( $#words )) && print -rl -- $words
	# what this TAB wrote on standard error
	err=$(<$home/stderr)
	for l in ${(f)err[nerr+1,-1]}; do
		print -r -- "!!$l"
	done
	nerr=$#err
done <$cases
zpty -d vz
exit 0
