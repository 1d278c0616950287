#!/bin/sh
# escapes.sh: `vmmap --watch` on a process whose names are made of control
# characters (tests/live/oddnames.c: ESC, BEL, an OSC that sets the title,
# a clear-screen CSI, CSI as one byte and as U+009B, NEL, DEL, CR, LF, TAB,
# BS, a byte that is not UTF-8). What vmmap writes to the terminal (recorded
# with tmux pipe-pane) must hold none of them: the pane's title stays, and
# the screen shows every name escaped exactly as the table does (octal for
# control bytes, \xhh for what the locale cannot print): the header (comm
# and executable), the rows, the warning, the detail pane (path, sections,
# a thread's name), in a UTF-8 locale and in the C locale. The table views
# too, when standard output is the terminal (one table fitted to it).
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"

need_tmux
prog=$top_builddir/tests/live/oddnames
if [ ! -x "$prog" ]; then
	echo "skip: $prog is not built (make check builds it)"
	exit 77
fi
mkdir "$tmp/odd" || exit 1
"$prog" "$tmp/ready" "$tmp/odd" &
gpid=$!
if ! wait_file "$tmp/ready"; then
	echo "FAIL: oddnames wrote no ready file"
	exit 1
fi

# the names as every view shows them
esc_odd='\033]0;PWN\007\033[2J\x9b1m\xc2\x9b2J\xc2\x85\177\015\012\011\010\xff'
esc_comm='\033]0;PWN\007\033[2J\x9b\177\012'
esc_thread='\033]0;PWN\007\015\011\010\xff\xc2\x9b'

# has SESSION TEXT: the pane shows TEXT (as it is, not a pattern). The
# escaped names are never echoed: dash's echo would turn \033 into ESC.
has() {
	screen "$1" | grep -q -F -e "$2"
}

# wait_has SESSION TEXT [TENTHS]
wait_has() {
	n=0
	while ! has "$1" "$2"; do
		n=$((n + 1))
		[ "$n" -gt "${3:-50}" ] && return 1
		sleep 0.1
	done
	return 0
}

# raw_clean FILE: what vmmap wrote to the terminal holds no OSC (ncurses
# sends none), no BEL, no C1 control as UTF-8 (U+009B, U+0085) and no byte
# 0xff, which is never UTF-8
raw_clean() {
	for seq in '\033]' '\007' '\302\233' '\302\205' '\377'; do
		if LC_ALL=C grep -q -F -e "$(printf "$seq")" "$1"; then
			printf '  the terminal received %s\n' "$seq"
			return 1
		fi
	done
	return 0
}

# ncurses draws a name once: record the pane before vmmap starts
cat >"$tmp/late.sh" <<EOF
sleep 0.5
exec "$VMMAP" "\$@"
EOF

loc=$(utf8_locale)
i=0
for l in ${loc:+"$loc"} C; do
	i=$((i + 1))
	s=odd$i
	VMMAP_RUN="sh $tmp/late.sh" run_watch "$s" 300 50 "LC_ALL=$l NO_COLOR=1" \
		--watch --interval 0.3 "$gpid"
	T pipe-pane -t "$s" "cat >>'$tmp/$s.out'"
	title=$(T display -p -t "$s" '#{pane_title}')

	if wait_has "$s" "PID $gpid  $esc_comm  threads" &&
		has "$s" "/odd/exe$esc_odd"; then
		ok "$l: the header shows comm and the executable escaped"
	else
		bad "$l: no header with the escaped comm and executable"
		screen "$s"
	fi
	if has "$s" "/odd/elf$esc_odd.so"; then
		ok "$l: the rows show the odd path escaped"
	else
		bad "$l: no row with the escaped path of the ELF file"
		screen "$s"
	fi
	if wait_has "$s" "warning: cannot read the ELF headers of $tmp/odd/junk$esc_odd"; then
		ok "$l: the warning quotes the path escaped"
	else
		bad "$l: no warning with the escaped path"
		screen "$s"
	fi

	# the detail of the ELF file's region: its path and its section
	T send-keys -t "$s" -l "/elf"
	T send-keys -t "$s" Enter
	wait_screen "$s" "^/elf: found at" 30 || bad "$l: the search for the ELF file failed"
	T send-keys -t "$s" Enter
	if wait_has "$s" "sections: $esc_odd" && has "$s" "path:     $tmp/odd/elf$esc_odd.so"; then
		ok "$l: the detail pane shows the path and the section escaped"
	else
		bad "$l: no detail pane with the escaped path and section"
		screen "$s"
	fi
	# Close the pane before typing on: an ESC and the next key sent at
	# once reach curses as one Alt-key. On a loaded machine an ESC was
	# seen not to close the pane at all (twice in CI, never here by hand),
	# and under a sanitizer build on a machine busy with another job the
	# view took over 2 s to redraw: try up to three, 5 s each, and say so
	# when more than one was needed.
	tries=0
	while screen "$s" | grep -q '^DETAIL' && [ $tries -lt 3 ]; do
		T send-keys -t "$s" Escape
		tries=$((tries + 1))
		n=0
		while screen "$s" | grep -q '^DETAIL' && [ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
	done
	[ $tries -gt 1 ] && echo "note: $l: Esc closed the detail pane only at try $tries"

	# the detail of the thread's stack: the thread's name
	T send-keys -t "$s" -l "/by stack pointer"
	T send-keys -t "$s" Enter
	wait_screen "$s" "^/by stack pointer: found at" 30 ||
		bad "$l: the search for the thread's stack failed"
	T send-keys -t "$s" Enter
	if wait_screen "$s" "^thread: +[0-9]+ " 100 && has "$s" "($esc_thread)"; then
		ok "$l: the detail pane shows the thread's name escaped"
	else
		bad "$l: no detail pane with the thread's escaped name"
		screen "$s"
	fi
	T send-keys -t "$s" Escape

	if [ "$(T display -p -t "$s" '#{pane_title}')" = "$title" ]; then
		ok "$l: the pane's title is unchanged"
	else
		bad "$l: the pane's title became '$(T display -p -t "$s" '#{pane_title}')'"
	fi
	if [ "$l" = C ] && screen "$s" | LC_ALL=C grep -q '[^ -~]'; then
		bad "$l: the screen has bytes that are not printable ASCII"
		screen "$s" | LC_ALL=C grep '[^ -~]' | od -c | head -20
	fi
	T send-keys -t "$s" q
	if wait_file "$tmp/$s.status" 30 && [ "$(cat "$tmp/$s.status")" = 0 ]; then
		ok "$l: q quits with status 0"
	else
		bad "$l: exit status $(cat "$tmp/$s.status" 2>/dev/null)"
	fi
	T pipe-pane -t "$s"
	if [ -s "$tmp/$s.out" ] && LC_ALL=C grep -q -F 'PWN' "$tmp/$s.out" &&
		raw_clean "$tmp/$s.out"; then
		ok "$l: what reached the terminal holds no control from the names"
	else
		bad "$l: a control from the names reached the terminal"
	fi
done

# --- the table views on a terminal: one table fitted to its width ------
elf=$(sed -n 's/^elf=//p' "$tmp/ready")
for l in ${loc:+"$loc"} C; do
	for args in "" --summary --by-image --layout "--addr $elf"; do
		i=$((i + 1))
		s=odd$i
		VMMAP_RUN="sh $tmp/late.sh" run_watch "$s" 300 100 "LC_ALL=$l" $args "$gpid"
		T pipe-pane -t "$s" "cat >>'$tmp/$s.out'"
		title=$(T display -p -t "$s" '#{pane_title}')
		what="$l: vmmap ${args:+$args }on a terminal"
		# the line about the process (--addr has none), and the warning
		case $args in
		--addr*) head="warning: $gpid: cannot read the ELF headers of $tmp/odd/junk$esc_odd: "
			named="the warning" ;;
		*) head="$gpid ($esc_comm)"
			named="comm" ;;
		esac
		if wait_screen "$s" "^$s DONE" 50 && [ "$(cat "$tmp/$s.status")" = 0 ] &&
			has "$s" "$head"; then
			ok "$what shows $named escaped"
		else
			bad "$what: exit $(cat "$tmp/$s.status" 2>/dev/null), $named not escaped"
			screen "$s"
		fi
		case $args in
		--addr*) want="section      $esc_odd" named="the section" ;;
		--summary|--layout) want="/odd/exe$esc_odd" named="the executable" ;;
		*) want="/odd/elf$esc_odd.so" named="the path" ;;
		esac
		if has "$s" "$want"; then
			ok "$what shows $named escaped"
		else
			bad "$what: $named not escaped"
			screen "$s"
		fi
		T pipe-pane -t "$s"
		if [ "$(T display -p -t "$s" '#{pane_title}')" = "$title" ] &&
			[ -s "$tmp/$s.out" ] && raw_clean "$tmp/$s.out"; then
			ok "$what sends the terminal no control from the names"
		else
			bad "$what: a control from the names reached the terminal (title '$(T display -p -t "$s" '#{pane_title}')')"
		fi
	done
done

exit $fail
