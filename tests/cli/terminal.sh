#!/bin/sh
# terminal.sh: vmmap with a terminal on stdout. --color=auto colours only
# for a terminal that shows colour (TERM set and not "dumb", NO_COLOR unset
# or empty).
#
# script(1) run without a terminal of its own gives vmmap a terminal.
set -u

: "${top_srcdir:?}" "${top_builddir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/tui/lib.sh"
if ! command -v script >/dev/null 2>&1; then
	echo "skip: script(1) is not installed (util-linux)"
	exit 77
fi

LC_ALL=C
export LC_ALL
unset NO_COLOR COLUMNS
fixture=tests/fixtures/python-threads
fpid=$(ls "$top_srcdir/$fixture/proc" | grep -E '^[0-9]+$' | head -n 1)
esc=$(printf '\033')

# on_tty OUT ENV ARGS...: vmmap ARGS on the fixture, with ENV (VAR=value
# words, or -u VAR), stdout a terminal; its output, less the carriage
# returns, in OUT
on_tty() {
	o=$1 e=$2
	shift 2
	(cd "$top_srcdir" && script -qec "env $e '$VMMAP' --sysroot $fixture $* $fpid" \
		/dev/null </dev/null | tr -d '\r' >"$o")
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

exit $fail
