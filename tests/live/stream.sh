#!/bin/sh
# stream.sh: the pipelined load against a process with 5,000 regions, still
# and churning (tests/live/stream.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to run tests/live/stream.py"
exec "$py" "$top_srcdir/tests/live/stream.py" "$VMMAP" \
	"${top_builddir:-.}/tests/live/manyregions"
