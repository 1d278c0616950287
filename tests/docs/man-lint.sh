#!/bin/sh
# man-lint.sh: the man page is clean under mandoc and groff, and documents
# every option of `vmmap --help`, every column of `vmmap -H` and every kind.
#
# Environment (from the test harness): top_srcdir, VMMAP, MANDOC and GROFF
# (paths, or empty when configure did not find them).
set -u

man=${top_srcdir:-.}/man/vmmap.1
vmmap=${VMMAP:-./vmmap}
fail=0

[ -s "$man" ] || { echo "FAIL: $man is missing or empty"; exit 1; }

# The text of one section (.SH NAME up to the next .SH), with roff escapes
# that hide words removed: \- becomes -, font changes and \& go away.
section() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\&//g' "$man" |
		awk -v want="$1" '
			/^\.SH / { sub(/^\.SH +/, ""); gsub(/"/, ""); on = ($0 == want); next }
			on { print }'
}

# has SECTION WORD: WORD appears in SECTION, not as part of a longer name.
has() {
	section "$1" | grep -qE "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|$)"
}

help=$("$vmmap" --help) || { echo "FAIL: $vmmap --help failed"; exit 1; }
columns=$("$vmmap" -H | awk '{ print $1 }') || { echo "FAIL: $vmmap -H failed"; exit 1; }
longopts=$(printf '%s\n' "$help" | grep -o -e '--[a-z][a-z-]*' | sort -u)
shortopts=$(printf '%s\n' "$help" | sed -n 's/^ \(-[A-Za-z]\),.*/\1/p')
kinds=$(printf '%s\n' "$help" | sed -n '/^Kinds:/,/^$/p' | sed 1d)

[ -n "$longopts" ] || { echo "FAIL: no long options found in --help"; exit 1; }
[ -n "$columns" ] || { echo "FAIL: no columns found in -H"; exit 1; }
[ -n "$kinds" ] || { echo "FAIL: no kinds found in --help"; exit 1; }

for o in $longopts $shortopts; do
	has OPTIONS "$o" || { echo "FAIL: option $o (vmmap --help) is not in OPTIONS of vmmap.1"; fail=1; }
done
for c in $columns; do
	has COLUMNS "$c" || { echo "FAIL: column $c (vmmap -H) is not in COLUMNS of vmmap.1"; fail=1; }
done
for k in $kinds; do
	has KINDS "$k" || { echo "FAIL: kind $k (vmmap --help) is not in KINDS of vmmap.1"; fail=1; }
done
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COLUMNS KINDS "JSON OUTPUT" \
	"SORTING AND FILTERING" PERMISSIONS "EXIT STATUS" ENVIRONMENT FILES \
	EXAMPLES "SEE ALSO"; do
	[ -n "$(section "$s")" ] || { echo "FAIL: vmmap.1 has no section $s"; fail=1; }
done
for code in 0 1 32 64; do
	has "EXIT STATUS" "$code" || { echo "FAIL: exit status $code is not in EXIT STATUS"; fail=1; }
done

linted=
if [ -n "${MANDOC:-}" ]; then
	linted="${linted:+$linted and }mandoc"
	out=$("$MANDOC" -T lint -W style "$man" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		echo "FAIL: mandoc -T lint -W style (exit $rc):"
		printf '%s\n' "$out"
		fail=1
	fi
fi
if [ -n "${GROFF:-}" ]; then
	linted="${linted:+$linted and }groff"
	out=$("$GROFF" -ww -z -man "$man" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		echo "FAIL: groff -ww -z -man (exit $rc):"
		printf '%s\n' "$out"
		fail=1
	fi
fi

[ $fail -eq 0 ] || exit 1
if [ -z "$linted" ]; then
	echo "SKIP: neither mandoc nor groff found (apt-get install mandoc); the contents were checked"
	exit 77
fi
echo "ok: vmmap.1 is clean under $linted and documents every option, column and kind"
exit 0
