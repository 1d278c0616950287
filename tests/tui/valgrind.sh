#!/bin/sh
# valgrind.sh: the live view leaks nothing and touches no uninitialised
# memory: a TUI run in tmux (with keys that open the detail pane, which
# reads the page tables, the summary, the sort and kind menus, grouping,
# search and the picker) and a JSON Lines run. ncurses keeps some of its
# allocations until exit ("still reachable"): only definite and indirect
# leaks count.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"

if [ "${SANITIZERS:-no}" = yes ]; then
	echo "skip: this build uses the sanitizers, which valgrind cannot run"
	exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skip: valgrind is not installed (apt-get install valgrind)"
	exit 77
fi
need_tmux
start_grower

vg="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"

# the TUI: 5 samples at 0.3 s; keys while it runs
VMMAP_RUN="$vg --log-file=$tmp/vg-tui.log $VMMAP"
run_watch vg 120 40 "LC_ALL=$(utf8_locale)" --watch --interval 0.3 --iterations 12 "$gpid"
if wait_screen vg "^PID $gpid " 150; then
	kill -USR1 "$gpid"
	for k in Enter Escape Tab Tab s 3 g g g k Space Enter / g r o w Enter n o Escape; do
		T send-keys -t vg "$k"
		sleep 0.05
	done
fi
if wait_file "$tmp/vg.status" 300 && [ "$(cat "$tmp/vg.status")" = 0 ]; then
	ok "valgrind: vmmap --watch (TUI)"
else
	bad "valgrind: vmmap --watch (TUI): status $(cat "$tmp/vg.status" 2>/dev/null)"
	cat "$tmp/vg-tui.log"
	screen vg
fi

# 100 refreshes, the grower mapping and growing memory meanwhile
VMMAP_RUN="$vg --log-file=$tmp/vg-100.log $VMMAP"
run_watch vg100 100 30 "LC_ALL=C" --watch --interval 0.05 --iterations 100 "$gpid"
if wait_screen vg100 "^PID $gpid " 150; then
	kill -USR1 "$gpid"
	sleep 0.5
	kill -USR2 "$gpid"
fi
if wait_file "$tmp/vg100.status" 900 && [ "$(cat "$tmp/vg100.status")" = 0 ]; then
	ok "valgrind: vmmap --watch, 100 refreshes"
else
	bad "valgrind: vmmap --watch, 100 refreshes: status $(cat "$tmp/vg100.status" 2>/dev/null)"
	cat "$tmp/vg-100.log"
fi

if $vg --log-file="$tmp/vg-json.log" "$VMMAP" --watch --json --iterations 3 --interval 0.2 \
	"$gpid" >/dev/null 2>&1; then
	ok "valgrind: vmmap --watch --json"
else
	bad "valgrind: vmmap --watch --json"
	cat "$tmp/vg-json.log"
fi
exit $fail
