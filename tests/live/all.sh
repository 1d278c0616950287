#!/bin/sh
# all.sh: vmmap --all against processes the test starts (users, a zombie,
# memory of known size; tests/live/all.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to run tests/live/all.py"
exec "$py" "$top_srcdir/tests/live/all.py" "$VMMAP"
