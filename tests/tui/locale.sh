#!/bin/sh
# locale.sh: numbers do not depend on the user's locale. Under a locale
# whose decimal separator is a comma (de_DE.UTF-8, generated here with
# localedef when the machine has the locale sources), option values and
# /proc text are still read the C way ("--interval 0.5", /proc/uptime);
# only display may follow the locale.
set -u

. "$top_srcdir/tests/tui/lib.sh"
need_tmux

if ! command -v localedef >/dev/null 2>&1; then
	echo "skip: no localedef (apt-get install locales)"
	exit 77
fi
mkdir -p "$tmp/loc"
if ! localedef -i de_DE -f UTF-8 "$tmp/loc/de_DE.UTF-8" >/dev/null 2>&1 &&
   [ ! -d "$tmp/loc/de_DE.UTF-8" ]; then
	echo "skip: cannot generate de_DE.UTF-8 (apt-get install locales)"
	exit 77
fi
LOCPATH=$tmp/loc
export LOCPATH
loc=de_DE.UTF-8
if [ "$(LC_ALL=$loc locale decimal_point 2>/dev/null)" != "," ]; then
	echo "FAIL: the generated $loc does not use a decimal comma"
	exit 1
fi

fixture=$top_srcdir/tests/fixtures/sleep
fpid=$(ls "$fixture/proc" | grep -E '^[0-9]+$' | head -n 1)

out=$(LC_ALL=$loc "$VMMAP" --watch --json --interval 0.5 --iterations 2 \
	--sysroot "$fixture" "$fpid" 2>"$tmp/err")
rc=$?
if [ "$rc" = 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 2 ]; then
	ok "$loc: --interval 0.5 is taken"
else
	bad "$loc: --interval 0.5: exit $rc: $(cat "$tmp/err")"
fi
LC_ALL=$loc "$VMMAP" --watch --json --interval 0,5 --iterations 1 \
	--sysroot "$fixture" "$fpid" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'invalid --interval' "$tmp/err"; then
	ok "$loc: --interval 0,5 is refused"
else
	bad "$loc: --interval 0,5: exit $rc, want 1 and 'invalid --interval'"
fi

# The live view's header: the process's age comes from /proc/uptime.
start_grower
run_watch main 120 30 "LOCPATH=$LOCPATH LC_ALL=$loc" --watch --interval 0.5 "$gpid"
if wait_screen main "PID $gpid .* up [0-9]"; then
	ok "$loc: the live view shows the process's age"
else
	bad "$loc: the live view shows no age (up -)"
	screen main
fi
T send-keys -t main q
terminal_restored main || bad "$loc: the terminal was not restored"
exit $fail
