/* overlay.c: what stands over the screen: the help, the sort menu and the
 * kinds menu, and the keys while one is up. */
#include "config.h"

#include <stdio.h>

#include "model/region.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/screen.h"

/* Below the keys: what the screen shows. */
static const char *const legend[] = {
	"",
	"Marks: + new  ^ grew  v shrank  x gone  ! writable and executable",
	"GROWTH: RSS change since the last sample / since the watch started",
	"Bar: the address space on a log scale, low to high addresses;",
	" c code r rodata R relro d data b bss h heap s stack t thread stack",
	" g guard a anon f file S shm D device v vdso/vvar  ~ hole  K kernel",
};

#define NLEGEND ((int)(sizeof(legend) / sizeof(legend[0])))

/* The keys (from the key table), then the legend. */
static void draw_help(void)
{
	char line[KEYS_HELP_WIDTH + 1];
	int nkeys = 0, n, w, h, y, x, i;

	while (keys_help_line((size_t)nkeys, line, sizeof(line)))
		nkeys++;
	n = nkeys + NLEGEND;
	w = COLS < KEYS_HELP_WIDTH + 4 ? COLS : KEYS_HELP_WIDTH + 4;
	h = LINES < n + 2 ? LINES : n + 2;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	draw_box(y, x, h, w, " keys (any key closes) ");
	for (i = 0; i < n && i < h - 2; i++) {
		if (i < nkeys)
			keys_help_line((size_t)i, line, sizeof(line));
		put_text(y + 1 + i, x + 2, w - 4, i < nkeys ? line : legend[i - nkeys], A_NORMAL);
	}
}

void overlay_draw(struct tui *t)
{
	int w, h, y, x, i;

	switch (t->overlay) {
	case OVERLAY_HELP:
		draw_help();
		break;
	case OVERLAY_SORT:
		w = 30;
		h = ROW_NSORTS + 2;
		y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0;
		x = (COLS - w) / 2 > 0 ? (COLS - w) / 2 : 0;
		draw_box(y, x, h, w, " sort by ");
		for (i = 0; i < ROW_NSORTS && i < h - 2; i++) {
			char line[64];

			snprintf(line, sizeof(line), "%d %c %s", i + 1, i == t->rows.sort ? '*' : ' ',
				 row_sorts[i].label);
			put_text(y + 1 + i, x + 2, w - 4, line,
				 i == t->menu_cursor ? A_REVERSE : A_NORMAL);
		}
		break;
	case OVERLAY_KINDS:
		w = 34;
		h = KIND_COUNT + 3;
		if (h > LINES)
			h = LINES;
		y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0;
		x = (COLS - w) / 2 > 0 ? (COLS - w) / 2 : 0;
		draw_box(y, x, h, w, " kinds: Space, a all, Enter ");
		for (i = 0; i < KIND_COUNT && i < h - 3; i++) {
			char line[64];
			bool on = !t->rows.kinds || ((t->rows.kinds >> i) & 1);

			snprintf(line, sizeof(line), "[%c] %s", on ? 'x' : ' ', region_kind_name(i));
			put_text(y + 1 + i, x + 2, w - 4, line,
				 (i == t->menu_cursor ? A_REVERSE : A_NORMAL) | kind_attr(i));
		}
		break;
	default:
		break;
	}
}

void overlay_key(struct tui *t, int ch)
{
	int n = t->overlay == OVERLAY_SORT ? ROW_NSORTS : KIND_COUNT;

	if (t->overlay == OVERLAY_HELP) {
		t->overlay = OVERLAY_NONE;
		return;
	}
	switch (ch) {
	case KEY_UP:
		if (t->menu_cursor > 0)
			t->menu_cursor--;
		return;
	case KEY_DOWN:
		if (t->menu_cursor + 1 < n)
			t->menu_cursor++;
		return;
	case 27:
	case 'q':
		t->overlay = OVERLAY_NONE;
		return;
	}
	if (t->overlay == OVERLAY_SORT) {
		if (ch >= '1' && ch < '1' + ROW_NSORTS)
			t->menu_cursor = ch - '1';
		else if (ch != '\n' && ch != '\r' && ch != KEY_ENTER && ch != ' ')
			return;
		t->rows.sort = t->menu_cursor;
		t->rows.reverse = false;
		t->overlay = OVERLAY_NONE;
		t->rows.stale = true;
		status_set(t, false, "sorted by %s", row_sorts[t->rows.sort].label);
		return;
	}
	/* kinds */
	switch (ch) {
	case ' ':
	case 'x':
		if (!t->rows.kinds)
			t->rows.kinds = (1u << KIND_COUNT) - 1;
		t->rows.kinds ^= 1u << t->menu_cursor;
		if (t->rows.kinds == (1u << KIND_COUNT) - 1)
			t->rows.kinds = 0;
		t->rows.stale = true;
		break;
	case 'a':
		t->rows.kinds = 0;
		t->rows.stale = true;
		break;
	case 'n':
		t->rows.kinds = 1u << t->menu_cursor;
		t->rows.stale = true;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case 'k':
		t->overlay = OVERLAY_NONE;
		break;
	}
}
