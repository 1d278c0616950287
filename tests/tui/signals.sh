#!/bin/sh
# signals.sh: the live view under job control, in an interactive bash in
# tmux. ^Z gives the terminal back to the shell and fg takes it again. A
# SIGSTOP from elsewhere goes past curses: the shell prints over the
# screen and puts the terminal in its own modes, so on SIGCONT the view
# must take the terminal again and repaint all of it (keys are read one by
# one again: q quits without Enter). And SIGINT and SIGHUP end it like
# SIGTERM (tui.sh): status 0, terminal restored.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"

need_tmux
if ! command -v bash >/dev/null 2>&1; then
	echo "skip: no bash for job control"
	exit 77
fi
fixture=$top_srcdir/tests/fixtures/zoo
pid=$(ls "$fixture/proc" | grep -E '^[0-9]+$' | head -n 1)

# the view's pid, and whether it still runs
vpid() { cat "$tmp/js.pid" 2>/dev/null; }
running() { kill -0 "$(vpid)" 2>/dev/null; }

T new-session -d -s js -x 100 -y 30 \
	"env -u PROMPT_COMMAND PS1='js\$ ' bash --norc --noprofile -i"
if ! wait_screen js '^js\$'; then
	bad "no interactive bash"
	screen js
	exit 1
fi
T send-keys -t js -l "sh -c 'echo \$\$ > $tmp/js.pid; exec env LC_ALL=C $VMMAP --sysroot $fixture --watch --interval 0.3 $pid'"
T send-keys -t js Enter
if ! wait_screen js "^PID $pid " || ! wait_file "$tmp/js.pid"; then
	bad "the view did not start"
	screen js
	exit 1
fi

# --- ^Z, then fg -------------------------------------------------------
T send-keys -t js C-z
if wait_screen js 'Stopped' && wait_screen js '^js\$ *$'; then
	T send-keys -t js -l "stty -a > $tmp/js.stty"
	T send-keys -t js Enter
	if wait_file "$tmp/js.stty" && grep -q -E '(^| )icanon( |$)' "$tmp/js.stty" &&
		grep -q -E '(^| )echo( |$)' "$tmp/js.stty"; then
		ok "^Z gives the shell its terminal back"
	else
		bad "after ^Z the terminal is not the shell's"
		cat "$tmp/js.stty"
	fi
else
	bad "^Z did not stop the view"
	screen js
fi
T send-keys -t js fg Enter
if wait_screen js "^PID $pid "; then
	ok "fg takes the screen again"
else
	bad "no view after fg"
	screen js
fi

# --- SIGSTOP from elsewhere, then fg -----------------------------------
kill -STOP "$(vpid)"
if wait_screen js 'Stopped' && wait_screen js '^js\$ *$'; then
	T send-keys -t js fg Enter
	sleep 1
	if wait_screen js "^PID $pid " && ! screen js | grep -q -e 'Stopped' -e '^js\$'; then
		ok "after SIGSTOP and fg the screen is repainted whole"
	else
		bad "after SIGSTOP and fg the shell's lines stay on the screen"
		screen js
	fi
	T send-keys -t js q
	n=0
	while running && [ $n -lt 30 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if ! running; then
		ok "after SIGSTOP and fg a key is read at once (q quits)"
	else
		bad "after SIGSTOP and fg q does not quit: the terminal is in the shell's modes"
		screen js
		kill -TERM "$(vpid)"
	fi
	T send-keys -t js -l 'echo "status=$?"'
	T send-keys -t js Enter
	wait_screen js '^status=0' || bad "the view did not end with status 0"
else
	bad "SIGSTOP: the shell did not report the view stopped"
	screen js
fi

# --- SIGINT and SIGHUP -------------------------------------------------
for sig in INT HUP; do
	run_watch "$sig" 100 30 "LC_ALL=C" --sysroot "$fixture" --watch --interval 0.3 "$pid"
	if wait_screen "$sig" "^PID $pid " && wait_file "$tmp/$sig.pid"; then
		kill -"$sig" "$(cat "$tmp/$sig.pid")"
		if wait_file "$tmp/$sig.status" 30 && [ "$(cat "$tmp/$sig.status")" = 0 ] &&
			terminal_restored "$sig"; then
			ok "SIG$sig ends it with status 0 and a restored terminal"
		else
			bad "SIG$sig: status $(cat "$tmp/$sig.status" 2>/dev/null)"
			screen "$sig"
		fi
	else
		bad "the SIG$sig session did not start"
		screen "$sig"
	fi
done

exit $fail
