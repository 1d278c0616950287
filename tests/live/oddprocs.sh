#!/bin/sh
# oddprocs.sh: a process whose executable was deleted, and non-dumpable
# processes (tests/live/oddprocs.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
if [ -x /usr/bin/python3 ]; then
	py=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then
	py=python3
else
	echo "SKIP: no python3"
	exit 77
fi
exec "$py" "$top_srcdir/tests/live/oddprocs.py" "$VMMAP" \
	"${top_builddir:-.}/tests/live/manyregions"
