#!/bin/sh
# oddprocs.sh: a process whose executable was deleted, and non-dumpable
# processes (tests/live/oddprocs.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to run tests/live/oddprocs.py"
exec "$py" "$top_srcdir/tests/live/oddprocs.py" "$VMMAP" \
	"${top_builddir:-.}/tests/live/manyregions"
