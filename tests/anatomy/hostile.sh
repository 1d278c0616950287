#!/bin/sh
# hostile.sh: vmmap against a process whose mapped file's path now names
# something else: the file deleted and replaced (by another ELF, a FIFO, a
# symlink to /dev/zero or to another ELF), or, in the process's own mount
# namespace, the path covered by a bind mount of a FIFO, /dev/zero or
# another ELF, or the other way round. vmmap must finish (a FIFO is never
# opened), exit 0, and never describe the mapped image with the data of the
# wrong file. And a mapped file whose section-header string table claims
# 2 GiB, in a sparse file: vmmap must not read it (peak RSS under 100 MB)
# and must say it skipped it. tests/anatomy/hostile.py does the work and
# says what it skipped (the namespace cases need root).
set -u

: "${top_srcdir:?}" "${VMMAP:?}"

. "$top_srcdir/tests/python.sh"
need_python "to run tests/anatomy/hostile.py"
if [ ! -x "$VMMAP" ]; then
	echo "FAIL: $VMMAP is not built"
	exit 1
fi

# The mapped file is a copy of vmmap itself: an ELF file that is sure to exist.
exec "$py" "$top_srcdir/tests/anatomy/hostile.py" "$VMMAP" "$VMMAP"
