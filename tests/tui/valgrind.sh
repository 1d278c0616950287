#!/bin/sh
# valgrind.sh: the live view leaks nothing and touches no uninitialised
# memory: a TUI run in tmux (with keys that open the detail pane, which
# reads the page tables, the summary, the sort and kind menus, grouping,
# search and the picker) and a JSON Lines run. ncurses keeps some of its
# allocations until exit ("still reachable"): only definite and indirect
# leaks count. The errors go through tests/valgrind-errors.py, which
# excuses the reads of what the PAGEMAP_SCAN ioctl returns (valgrind does
# not model it; see there): the detail pane reads page states with it when
# vmmap cannot read /proc/kpageflags, as any user but root. Root reads
# them with pread(2), and tests/live/valgrind.sh covers the ioctl as nobody.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/python.sh"

if [ "${SANITIZERS:-no}" = yes ]; then
	echo "skip: this build uses the sanitizers, which valgrind cannot run"
	exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skip: valgrind is not installed (apt-get install valgrind)"
	exit 77
fi
need_tmux
need_python "to read valgrind's XML reports"
start_grower

vg="valgrind -q --track-origins=yes --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --xml=yes"
# vg_errors NAME: the errors of the run whose report is $tmp/NAME.xml
vg_errors() {
	"$py" "$top_srcdir/tests/valgrind-errors.py" "$tmp/$1.xml" >"$tmp/$1.errors"
}

# the TUI: 5 samples at 0.3 s; keys while it runs
VMMAP_RUN="$vg --xml-file=$tmp/vg-tui.xml --log-file=$tmp/vg-tui.log $VMMAP"
run_watch vg 120 40 "LC_ALL=$(utf8_locale)" --watch --interval 0.3 --iterations 12 "$gpid"
if wait_screen vg "^PID $gpid " 150; then
	kill -USR1 "$gpid"
	for k in Enter Escape Tab Tab s 3 g g g k Space Enter / g r o w Enter n o Escape; do
		T send-keys -t vg "$k"
		sleep 0.05
	done
fi
if wait_file "$tmp/vg.status" 300 && [ "$(cat "$tmp/vg.status")" = 0 ] && vg_errors vg-tui; then
	ok "valgrind: vmmap --watch (TUI)"
	cat "$tmp/vg-tui.errors"
else
	bad "valgrind: vmmap --watch (TUI): status $(cat "$tmp/vg.status" 2>/dev/null)"
	cat "$tmp/vg-tui.errors" "$tmp/vg-tui.log" 2>/dev/null
	screen vg
fi

# 100 refreshes, the grower mapping and growing memory meanwhile
VMMAP_RUN="$vg --xml-file=$tmp/vg-100.xml --log-file=$tmp/vg-100.log $VMMAP"
run_watch vg100 100 30 "LC_ALL=C" --watch --interval 0.05 --iterations 100 "$gpid"
if wait_screen vg100 "^PID $gpid " 150; then
	kill -USR1 "$gpid"
	sleep 0.5
	kill -USR2 "$gpid"
fi
if wait_file "$tmp/vg100.status" 900 && [ "$(cat "$tmp/vg100.status")" = 0 ] && vg_errors vg-100; then
	ok "valgrind: vmmap --watch, 100 refreshes"
	cat "$tmp/vg-100.errors"
else
	bad "valgrind: vmmap --watch, 100 refreshes: status $(cat "$tmp/vg100.status" 2>/dev/null)"
	cat "$tmp/vg-100.errors" "$tmp/vg-100.log" 2>/dev/null
fi

if $vg --xml-file="$tmp/vg-json.xml" --log-file="$tmp/vg-json.log" "$VMMAP" --watch --json \
	--iterations 3 --interval 0.2 "$gpid" >/dev/null 2>&1 && vg_errors vg-json; then
	ok "valgrind: vmmap --watch --json"
	cat "$tmp/vg-json.errors"
else
	bad "valgrind: vmmap --watch --json"
	cat "$tmp/vg-json.errors" "$tmp/vg-json.log" 2>/dev/null
fi
exit $fail
