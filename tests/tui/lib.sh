# lib.sh: helpers for the live view's tests (sourced by tests/tui/*.sh).
#
# Each test gets its own tmux server (a socket in its scratch directory,
# no user configuration), its own scratch directory and its own grower;
# cleanup ends exactly those.

: "${top_builddir:?}" "${VMMAP:?}"
grower=$top_builddir/tests/tui/grower

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-tui.XXXXXX") || exit 1
gpid=
tsock=$tmp/tmux.sock
unset TMUX

T() {
	tmux -S "$tsock" -f /dev/null "$@"
}

cleanup() {
	if [ -n "$gpid" ]; then
		kill -KILL "$gpid" 2>/dev/null
	fi
	if [ -n "${have_tmux:-}" ]; then
		T kill-server >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

need_tmux() {
	if ! command -v tmux >/dev/null 2>&1; then
		echo "skip: tmux is not installed (apt-get install tmux)"
		exit 77
	fi
	have_tmux=1
}

# A UTF-8 locale for the screen, when the machine has one.
utf8_locale() {
	locale -a 2>/dev/null | grep -i -E '^(C|en_US)\.utf-?8$' | head -n 1
}

# wait_file FILE [TENTHS]: until FILE exists and is not empty (default 10 s)
wait_file() {
	n=0
	while [ ! -s "$1" ]; do
		n=$((n + 1))
		[ "$n" -gt "${2:-100}" ] && return 1
		sleep 0.1
	done
	return 0
}

start_grower() {
	if [ ! -x "$grower" ]; then
		echo "skip: $grower is not built (make check builds it)"
		exit 77
	fi
	"$grower" "$tmp/grower.pid" &
	gpid=$!
	if ! wait_file "$tmp/grower.pid"; then
		echo "FAIL: the grower wrote no pid file"
		exit 1
	fi
	gpid=$(cat "$tmp/grower.pid")
}

# screen SESSION: the pane as text
screen() {
	T capture-pane -p -t "$1" 2>/dev/null
}

# wait_screen SESSION ERE [TENTHS]: until the pane shows a line matching ERE
wait_screen() {
	n=0
	while ! screen "$1" | grep -E -q -e "$2"; do
		n=$((n + 1))
		if [ "$n" -gt "${3:-50}" ]; then
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# run_watch SESSION WIDTH HEIGHT ENV ARGS...: run vmmap in a new detached
# session through a wrapper that records its pid (the shell execs vmmap),
# its exit status and the terminal modes after it, then says DONE.
# VMMAP_RUN, when set, is the command line to run instead of $VMMAP.
run_watch() {
	s=$1 w=$2 h=$3 e=$4
	shift 4
	rm -f "$tmp/$s.pid" "$tmp/$s.status" "$tmp/$s.stty"
	cat >"$tmp/$s.run" <<EOF
ulimit -c 0 2>/dev/null
sh -c 'echo \$\$ > "$tmp/$s.pid"; exec env $e ${VMMAP_RUN:-$VMMAP} $*'
echo \$? > "$tmp/$s.status"
stty -a > "$tmp/$s.stty" 2>&1
echo "$s DONE"
sleep 600
EOF
	T new-session -d -s "$s" -x "$w" -y "$h" "sh '$tmp/$s.run'"
}

# terminal_restored SESSION: the wrapper got its prompt back: the curses
# screen is gone and the line discipline echoes and edits lines again
terminal_restored() {
	wait_screen "$1" "^$1 DONE" 30 &&
		grep -q -E '(^| )icanon( |$)' "$tmp/$1.stty" &&
		grep -q -E '(^| )echo( |$)' "$tmp/$1.stty"
}
