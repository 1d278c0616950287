/* search.c: / and n: the prompt on the status line, and the next region
 * (or process in the picker) that matches. */
#include "config.h"

#include <stdio.h>

#include "output/format.h"
#include "output/output.h"
#include "tui/draw.h"
#include "tui/screen.h"

void search_start(struct tui *t)
{
	t->searching = true;
	t->search_len = 0;
}

void search_next(struct tui *t)
{
	const char *needle = t->last_search;
	size_t k;

	if (!needle[0]) {
		status_set(t, false, "no search yet: / starts one");
		return;
	}
	if (t->mode == MODE_PICKER) {
		if (process_list_find(&t->procs, needle, t->pcursor, &k)) {
			t->pcursor = k;
			status_set(t, false, "/%s: process %d", needle, (int)t->procs.v[k].pid);
			return;
		}
	} else {
		if (rows_find(&t->rows, &t->smp, needle, t->rows.cursor, &k)) {
			const struct row *r = &t->rows.v[k];
			const char *p = row_path(&t->smp, r);
			char esc[300], a[32];

			t->rows.cursor = k;
			format_addr(row_start(&t->smp, r), 12, a, sizeof(a));
			format_escape_name(p ? p : region_kind_name(row_kind(&t->rows, &t->smp, r)),
					   esc, sizeof(esc));
			status_set(t, false, "/%s: found at %s %s (row %zu of %zu)", needle, a, esc,
				   k + 1, t->rows.n);
			return;
		}
	}
	status_set(t, true, "/%s: not found", needle);
}

/* The row before at, round from the first to the last of n. */
static size_t back_one(size_t at, size_t n)
{
	return at ? at - 1 : (n ? n - 1 : 0);
}

void search_key(struct tui *t, int ch)
{
	switch (ch) {
	case 27:	/* Esc */
		t->searching = false;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		t->searching = false;
		if (t->search_len) {
			snprintf(t->last_search, sizeof(t->last_search), "%.*s",
				 (int)t->search_len, t->search);
			/* the current row counts too */
			if (t->mode == MODE_PICKER)
				t->pcursor = back_one(t->pcursor, t->procs.n);
			else
				t->rows.cursor = back_one(t->rows.cursor, t->rows.n);
			search_next(t);
		}
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (t->search_len)
			t->search_len--;
		else
			t->searching = false;
		break;
	default:
		if (ch >= 32 && ch < 256 && ch != 127 && t->search_len < sizeof(t->search) - 1)
			t->search[t->search_len++] = (char)ch;
		break;
	}
}
