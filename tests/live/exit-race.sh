#!/bin/sh
# exit-race.sh: vmmap against processes that exit or are killed while it
# reads them (tests/live/race.py does the work). vmmap must never crash or
# hang, exits 0, 1 or 32, and says why when it fails. Kept under ~20 s.
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to drive the race"
exec "$py" "$top_srcdir/tests/live/race.py" "$VMMAP" 400 15 \
	"${top_builddir:-.}/tests/live/zoo"
