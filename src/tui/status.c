/* status.c: the last line: a message (an error in red), the search prompt
 * while one is typed, and the hint of the keys. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output/format.h"
#include "tui/draw.h"
#include "tui/screen.h"

void status_set(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
	t->status_error = error;
}

void status_set_quoting(struct tui *t, bool error, const char *prefix, const char *text)
{
	char esc[sizeof(t->status)];

	format_escape_name(text, esc, sizeof(esc));
	status_set(t, error, "%s%s", prefix, esc);
}

void status_draw(struct tui *t)
{
	int y = LINES - 1;
	const char *hint = "?:help q:quit";

	if (t->searching) {
		char line[200];

		snprintf(line, sizeof(line), "/%.*s", (int)t->search_len, t->search);
		put_text(y, 0, COLS, line, A_BOLD);
		curs_set(1);
		move(y, (int)t->search_len + 1 < COLS ? (int)t->search_len + 1 : COLS - 1);
		return;
	}
	curs_set(0);
	if (t->status[0]) {
		put_text(y, 0, COLS - (int)strlen(hint) - 1, t->status,
			 t->status_error ? A_BOLD | color_attr(COLOR_RED) : A_NORMAL);
	}
	put_right(y, COLS - (int)strlen(hint) - 1, (int)strlen(hint), hint, A_DIM);
}
