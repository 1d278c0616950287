#!/bin/sh
# terminal.sh: vmmap with a terminal on stdout. --color=auto colours only
# for a terminal that shows colour (TERM set and not "dumb", NO_COLOR unset
# or empty); tables are fitted to the terminal's width: the size it says,
# else COLUMNS; also the chunked table of a process with thousands of
# regions.
#
# script(1) run without a terminal of its own gives vmmap a terminal that
# says no size (COLUMNS then counts); tmux gives it one of a known size.
set -u

: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/tui/lib.sh"
need_tmux
if ! command -v script >/dev/null 2>&1; then
	echo "skip: script(1) is not installed (util-linux)"
	exit 77
fi
manyregions=$top_builddir/tests/live/manyregions
if [ ! -x "$manyregions" ]; then
	echo "skip: $manyregions is not built (make check builds it)"
	exit 77
fi

# names as ASCII: a line's length in bytes is its width on the screen
LC_ALL=C
export LC_ALL
unset NO_COLOR COLUMNS
fixture=tests/fixtures/python-threads
fpid=$(ls "$top_srcdir/$fixture/proc" | grep -E '^[0-9]+$' | head -n 1)
esc=$(printf '\033')

# on_tty OUT ENV ARGS...: vmmap ARGS on the fixture, with ENV (VAR=value
# words, or -u VAR), stdout a terminal that says no size; its output, less
# the carriage returns, in OUT
on_tty() {
	o=$1 e=$2
	shift 2
	(cd "$top_srcdir" && script -qec "env $e '$VMMAP' --sysroot $fixture $* $fpid" \
		/dev/null </dev/null | tr -d '\r' >"$o")
}

# widest FILE: the longest line's length
widest() {
	awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$1"
}

# --color=auto
on_tty "$tmp/xterm" "TERM=xterm" --summary
on_tty "$tmp/dumb" "TERM=dumb" --summary
on_tty "$tmp/unset" "-u TERM" --summary
on_tty "$tmp/empty" "TERM=" --summary
on_tty "$tmp/nocolor" "TERM=xterm NO_COLOR=1" --summary
on_tty "$tmp/always" "TERM=dumb" --summary --color=always
if grep -q "$esc" "$tmp/xterm" && grep -q '^total' "$tmp/xterm"; then
	ok "TERM=xterm: colour on a terminal"
else
	bad "TERM=xterm: no colour on a terminal: $(head -n 3 "$tmp/xterm")"
fi
for t in dumb unset empty nocolor; do
	if grep -q '^total' "$tmp/$t" && ! grep -q "$esc" "$tmp/$t"; then
		ok "--color=auto, $t: no escape sequences"
	else
		bad "--color=auto, $t: escape sequences or no table: $(grep -m 1 "$esc" "$tmp/$t" | cat -v)"
	fi
done
if grep -q "$esc" "$tmp/always"; then
	ok "--color=always colours for TERM=dumb too"
else
	bad "--color=always, TERM=dumb: no colour"
fi

# COLUMNS, for a terminal that says no size
on_tty "$tmp/c70" "TERM=xterm COLUMNS=70" --color=never
on_tty "$tmp/c80" "TERM=xterm" --color=never
on_tty "$tmp/cbad" "TERM=xterm COLUMNS=70x" --color=never
w70=$(widest "$tmp/c70") w80=$(widest "$tmp/c80") wbad=$(widest "$tmp/cbad")
if [ "$w70" -le 70 ] && [ "$w70" -gt 60 ] && grep -q '^START ' "$tmp/c70" &&
	grep -q '^total' "$tmp/c70"; then
	ok "COLUMNS=70: lines of at most 70 columns ($w70)"
else
	bad "COLUMNS=70: widest line $w70: $(head -n 4 "$tmp/c70")"
fi
if [ "$w80" -le 80 ] && [ "$w80" -gt 70 ] && [ "$wbad" = "$w80" ]; then
	ok "no COLUMNS, or not a number: 80 columns ($w80, $wbad)"
else
	bad "no COLUMNS: widest line $w80, COLUMNS=70x: $wbad, expected 71 to 80"
fi
# what the terminal says comes first
stty_run() {
	(cd "$top_srcdir" && script -qec "stty cols $1 rows 50; env TERM=xterm COLUMNS=$2 '$VMMAP' --sysroot $fixture --color=never $fpid" \
		/dev/null </dev/null | tr -d '\r' >"$3")
}
stty_run 100 70 "$tmp/s100"
w=$(widest "$tmp/s100")
if [ "$w" -le 100 ] && [ "$w" -gt 70 ]; then
	ok "a terminal's own size wins over COLUMNS ($w)"
else
	bad "100-column terminal with COLUMNS=70: widest line $w"
fi

# a pipe: nothing cut, unless --width says so
(cd "$top_srcdir" && COLUMNS=60 "$VMMAP" --sysroot $fixture $fpid) >"$tmp/pipe"
(cd "$top_srcdir" && "$VMMAP" --sysroot $fixture --width 60 $fpid) >"$tmp/pipe60"
if grep -q '/usr/lib/x86_64-linux-gnu/libc.so.6$' "$tmp/pipe" &&
	[ "$(widest "$tmp/pipe")" -gt 100 ] && [ "$(widest "$tmp/pipe60")" -le 60 ] &&
	grep -q '^total ' "$tmp/pipe60"; then
	ok "a pipe gets whole lines, whatever COLUMNS says; --width 60 fits 60"
else
	bad "a pipe: widest $(widest "$tmp/pipe"), with --width 60: $(widest "$tmp/pipe60")"
fi

# A 60-column tmux pane: lines joined back where the pane wrapped them
# (capture-pane -J), so a line too long shows as one.
T new-session -d -s keep "sleep 600" \; set-option -g history-limit 50000
pane() {
	T capture-pane -p -J -S - -E - -t "$1" | sed -e "/^$1 DONE/,\$d"
}
run_watch fix 60 40 "LC_ALL=C TERM=xterm" --sysroot "$top_srcdir/$fixture" --color=never $fpid
if ! wait_screen fix "^fix DONE" 100; then
	bad "60-column pane: vmmap did not finish: $(screen fix)"
else
	pane fix >"$tmp/fix"
	w=$(widest "$tmp/fix")
	if [ "$w" -le 60 ] && grep -q '^START .* PATH$' "$tmp/fix" &&
		grep -q ' \.\.\..*/libc\.so\.6$' "$tmp/fix" &&
		! grep -q '/usr/lib/x86_64-linux-gnu/libc\.so\.6' "$tmp/fix" &&
		grep -q '^total ' "$tmp/fix" && [ "$(cat "$tmp/fix.status")" = 0 ]; then
		ok "60-column pane: lines of at most 60 columns, PATH cut at its start ($w)"
	else
		bad "60-column pane: widest line $w, status $(cat "$tmp/fix.status"):
$(head -n 6 "$tmp/fix")"
	fi
fi

# The chunked table: more than 2,048 regions, sized as smaps is read.
"$manyregions" 3000 still >"$tmp/mr.out" &
mpid=$!
trap 'kill -KILL $mpid 2>/dev/null; cleanup' EXIT
if ! wait_file "$tmp/mr.out"; then
	bad "manyregions did not start"
	exit 1
fi
run_watch many 60 40 "LC_ALL=C TERM=xterm" --color=never $mpid
if ! wait_screen many "^many DONE" 300; then
	bad "60-column pane, 3000 regions: vmmap did not finish"
else
	pane many >"$tmp/many"
	# from the heading on: the line about the process holds the path of
	# the build tree, which is not cut
	sed -n -e 's/ *$//' -e '/^START/,$p' "$tmp/many" >"$tmp/manytable"
	w=$(widest "$tmp/manytable")
	rows=$(grep -c -E '^[0-9a-f]{12,16} ' "$tmp/many")
	# the memfd's name cut at its start
	memfd=$(grep -c ' \.\.\..*\\xff (deleted)$' "$tmp/many")
	# every region row has its KIND (after START, SIZE, RSS) at one place
	kinds=$(grep -E '^[0-9a-f]{12,16} ' "$tmp/many" | awk '{
		rest = $0
		sub(/^[^ ]+ +[^ ]+ +[^ ]+ +/, "", rest)
		print length($0) - length(rest)
	}' | sort -u | wc -l)
	if [ "$w" -le 60 ] && [ "$rows" -gt 3000 ] && [ "$memfd" -ge 1000 ] && [ "$kinds" = 1 ] &&
		! grep -q '/memfd:wide' "$tmp/many" && [ "$(cat "$tmp/many.status")" = 0 ]; then
		ok "60-column pane, chunked table: $rows rows of at most 60 columns, PATH cut"
	else
		bad "60-column pane, chunked table: widest $w, $rows rows, $memfd memfd rows, KIND at $kinds places, status $(cat "$tmp/many.status"):
$(grep -m 2 'deleted)$' "$tmp/many")"
	fi
	# the same table as --width 60 prints to a pipe
	"$VMMAP" --width 60 $mpid | sed -n -e 's/ *$//' -e '/^START/,$p' >"$tmp/many60"
	if cmp -s "$tmp/manytable" "$tmp/many60"; then
		ok "the pane shows what --width 60 prints to a pipe"
	else
		bad "the pane and --width 60 differ: $(diff "$tmp/manytable" "$tmp/many60" | head -n 5)"
	fi
fi

exit $fail
