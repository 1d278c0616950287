#!/bin/sh
# core.sh: vmmap on a core taken with gdb's gcore, against the same process
# live (tests/live/core.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to run tests/live/core.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-core.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$py" "$top_srcdir/tests/live/core.py" "$VMMAP" \
	"${top_builddir:-.}/tests/live/coredumpee" "$tmp"
