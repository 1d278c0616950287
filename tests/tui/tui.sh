#!/bin/sh
# tui.sh: drive `vmmap --watch PID` in a detached tmux session and read the
# screen back: the header, a region that appears and grows (tests/tui/
# grower.c), search, sorting, the detail pane, a resize to 80x24, quitting
# with q and with SIGTERM (exit 0, terminal restored), --iterations, and a
# plain ASCII locale without colour.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"

need_tmux
start_grower
loc=$(utf8_locale)
loc=${loc:-C}

# --- the main session: 120x40, UTF-8 when the machine has it ----------
run_watch main 120 40 "LC_ALL=$loc" --watch --interval 1.5 "$gpid"
if wait_screen main "^PID $gpid +grower "; then
	ok "the header shows the pid and comm"
else
	bad "no header with PID $gpid and grower"
	screen main
fi

# sorted by growth, the region that grows comes first, however many
# regions there are (a sanitizer's shadow memory makes many)
T send-keys -t main s
wait_screen main "7 +GROWTH" 20 || bad "no sort menu"
T send-keys -t main 7
wait_screen main "^sorted by GROWTH" || bad "cannot sort by growth"

kill -USR1 "$gpid"
wait_file "$tmp/grower.pid.step" || bad "the grower did not map its region"
if wait_screen main ' rw-p +32M +32M '; then
	ok "the new 32M region is listed"
else
	bad "the new region did not appear"
	screen main
fi

kill -USR2 "$gpid"
n=0
while [ "$(cat "$tmp/grower.pid.step" 2>/dev/null)" != 2 ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
if wait_screen main ' rw-p +64M +64M .*[+]32M/[+]64M'; then
	ok "the region grew to 64M and the growth column says +32M/+64M"
else
	bad "no growth shown"
	screen main
fi

T send-keys -t main s 1
wait_screen main "^sorted by address" || bad "cannot sort by address"
T send-keys -t main -l "/grower"
T send-keys -t main Enter
if wait_screen main "^/grower: found at .*grower"; then
	ok "search finds the grower's path"
else
	bad "search did not find the grower"
	screen main
fi

# sort by RSS (the menu's third entry): the 64M region comes first
first=$(screen main | sed -n 7p)
T send-keys -t main s
wait_screen main "3 +RSS" 20 || bad "no sort menu"
T send-keys -t main 3
if wait_screen main "^sorted by RSS" && [ -n "$(screen main | sed -n '7{/ rw-p  *64M  *64M /p}')" ]; then
	ok "sorted by RSS the 64M region is first (was: $(echo "$first" | cut -c1-40))"
else
	bad "sorting by RSS did not put the 64M region first"
	screen main
fi

# the selected row is the grower's 64M region after the sort? Enter shows
# the detail of whichever row is selected: its counters and flags
T send-keys -t main Enter
if wait_screen main "Private_Dirty" && wait_screen main "VmFlags" &&
	wait_screen main "rd +readable"; then
	ok "Enter shows the counters and the VmFlags spelled out"
else
	bad "no detail pane"
	screen main
fi
T send-keys -t main Escape

T resize-window -t main -x 80 -y 24
sleep 0.3
if wait_screen main "^PID $gpid +grower " && wait_screen main '\?:help q:quit' &&
	[ "$(screen main | wc -l)" -le 24 ]; then
	ok "at 80x24 the screen still renders the header"
else
	bad "nothing sensible at 80x24"
	screen main
fi

T send-keys -t main q
if wait_file "$tmp/main.status" 30 && [ "$(cat "$tmp/main.status")" = 0 ]; then
	ok "q quits with status 0"
else
	bad "q: exit status $(cat "$tmp/main.status" 2>/dev/null)"
fi
if terminal_restored main; then
	ok "q leaves the terminal restored"
else
	bad "q left the terminal in curses mode"
	screen main
	cat "$tmp/main.stty"
fi

# --- SIGTERM ---------------------------------------------------------
run_watch term 100 30 "LC_ALL=$loc" --watch --interval 0.3 "$gpid"
if wait_screen term "^PID $gpid " && wait_file "$tmp/term.pid"; then
	kill -TERM "$(cat "$tmp/term.pid")"
	if wait_file "$tmp/term.status" 30 && [ "$(cat "$tmp/term.status")" = 0 ] &&
		terminal_restored term; then
		ok "SIGTERM ends it with status 0 and a restored terminal"
	else
		bad "SIGTERM: status $(cat "$tmp/term.status" 2>/dev/null)"
		screen term
	fi
else
	bad "the SIGTERM session did not start"
	screen term
fi

# --- a crash: the handler restores the terminal, then dies of the signal
run_watch crash 100 30 "LC_ALL=$loc" --watch --interval 0.3 "$gpid"
if wait_screen crash "^PID $gpid " && wait_file "$tmp/crash.pid"; then
	kill -SEGV "$(cat "$tmp/crash.pid")"
	if wait_file "$tmp/crash.status" 30 && [ "$(cat "$tmp/crash.status")" -gt 128 ] &&
		terminal_restored crash; then
		ok "a crash (SIGSEGV) still restores the terminal"
	else
		bad "SIGSEGV: status $(cat "$tmp/crash.status" 2>/dev/null)"
		screen crash
	fi
else
	bad "the crash session did not start"
	screen crash
fi

# --- no PID: the picker; search for the grower and watch it ----------
run_watch pick 120 40 "LC_ALL=$loc" --watch --interval 0.3
if wait_screen pick "pick a process"; then
	T send-keys -t pick -l "/$gpid"
	T send-keys -t pick Enter
	wait_screen pick "^/$gpid: process $gpid" 30 || bad "the picker search did not find the grower"
	T send-keys -t pick Enter
	if wait_screen pick "^PID $gpid +grower "; then
		ok "the picker finds the grower by its pid and Enter watches it"
	else
		bad "picking the grower did not watch it"
		screen pick
	fi
	T send-keys -t pick o
	wait_screen pick "pick a process" 30 || bad "o does not open the picker"
	T send-keys -t pick Escape
	wait_screen pick "^PID $gpid +grower " 30 || bad "Esc does not leave the picker"
	T send-keys -t pick q
	wait_file "$tmp/pick.status" 30 && [ "$(cat "$tmp/pick.status")" = 0 ] ||
		bad "the picker session did not quit with 0"
else
	bad "no picker without a PID"
	screen pick
fi

# --- --iterations: it ends by itself ---------------------------------
run_watch iter 100 30 "LC_ALL=$loc" --watch --interval 0.2 --iterations 2 "$gpid"
if wait_file "$tmp/iter.status" 50 && [ "$(cat "$tmp/iter.status")" = 0 ] &&
	terminal_restored iter; then
	ok "--iterations 2 ends by itself with status 0"
else
	bad "--iterations 2: status $(cat "$tmp/iter.status" 2>/dev/null)"
	screen iter
fi

# --- a plain ASCII locale, no colour, with the summary pane ----------
run_watch ascii 80 24 "LC_ALL=C NO_COLOR=1" --watch --interval 0.3 "$gpid"
if wait_screen ascii "^PID $gpid +grower "; then
	T send-keys -t ascii Tab
	if wait_screen ascii "^total +[0-9]+ " &&
		! screen ascii | LC_ALL=C grep -q '[^ -~]'; then
		ok "in the C locale the screen is plain ASCII, and Tab shows the summary"
	else
		bad "the C locale screen has non-ASCII bytes or no summary"
		screen ascii
	fi
else
	bad "no header in the C locale"
	screen ascii
fi
T send-keys -t ascii q
wait_file "$tmp/ascii.status" 30 && [ "$(cat "$tmp/ascii.status")" = 0 ] ||
	bad "the ASCII session did not quit with 0"

exit $fail
