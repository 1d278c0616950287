#!/bin/sh
# hostile-captures.sh: --sysroot captures with FIFOs, devices, symlinks
# that lead out, huge and endless files, lying task/ entries and missing
# files. tests/cli/hostile_captures.py makes each case and says what failed.
set -u

: "${top_srcdir:?}" "${VMMAP:?}"

. "$top_srcdir/tests/python.sh"
need_python "to run tests/cli/hostile_captures.py"
exec "$py" "$top_srcdir/tests/cli/hostile_captures.py" "$VMMAP" \
	"$top_srcdir/tests/fixtures" "$top_srcdir/doc/vmmap.schema.json"
