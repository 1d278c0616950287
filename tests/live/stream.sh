#!/bin/sh
# stream.sh: the pipelined load against a process with 5,000 regions, still
# and churning (tests/live/stream.py does the work).
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
exec "$py" "$top_srcdir/tests/live/stream.py" "$VMMAP" \
	"${top_builddir:-.}/tests/live/manyregions"
