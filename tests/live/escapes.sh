#!/bin/sh
# escapes.sh: names full of control characters (tests/live/oddnames.c, and
# a capture) never reach the terminal raw, in any view (tests/live/
# escapes.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to run tests/live/escapes.py"
prog=${top_builddir:-.}/tests/live/oddnames
if [ ! -x "$prog" ]; then
	echo "SKIP: $prog is not built (make check builds it)"
	exit 77
fi
exec "$py" "$top_srcdir/tests/live/escapes.py" "$VMMAP" "$prog" "$top_srcdir/tests/fixtures"
