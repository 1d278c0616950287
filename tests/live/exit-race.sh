#!/bin/sh
# exit-race.sh: vmmap against processes that exit or are killed while it
# reads them (tests/live/race.py does the work). vmmap must never crash or
# hang, exits 0, 1 or 32, and says why when it fails. Kept under ~20 s.
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
if [ -x /usr/bin/python3 ]; then
	py=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then
	py=python3
else
	echo "SKIP: no python3 to drive the race"
	exit 77
fi
exec "$py" "$top_srcdir/tests/live/race.py" "$VMMAP" 400 15 \
	"${top_builddir:-.}/tests/live/zoo"
