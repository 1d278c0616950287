#!/bin/sh
# diff.sh: vmmap --diff (tests/cli/diff.py does the work).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"
. "$top_srcdir/tests/python.sh"
need_python "to run tests/cli/diff.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-diff.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$py" "$top_srcdir/tests/cli/diff.py" "$VMMAP" "$top_srcdir" "$tmp"
