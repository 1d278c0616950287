# shellcheck shell=sh
# python.sh: sourced by the test scripts that use python3.
#
# find_python sets py to the interpreter, or to nothing when there is none.
# need_python WHAT does the same, but without one it skips the test (exit
# 77, automake's skip) and says what python3 was wanted for.

find_python()
{
	if [ -x /usr/bin/python3 ]; then
		py=/usr/bin/python3
	elif command -v python3 >/dev/null 2>&1; then
		py=python3
	else
		py=
	fi
}

need_python()
{
	find_python
	if [ -z "$py" ]; then
		echo "SKIP: no python3 $1"
		exit 77
	fi
}
