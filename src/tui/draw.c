/* draw.c: text on the screen that never wraps, colours, boxes. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "output/format.h"
#include "output/output.h"
#include "tui/draw.h"

static bool utf8;
static bool color;

void draw_setup(bool use_utf8, bool use_color)
{
	utf8 = use_utf8;
	color = use_color;
}

bool draw_utf8(void)
{
	return utf8;
}

bool draw_color(void)
{
	return color;
}

static int color_number(const char *name, bool *bold)
{
	*bold = false;
	if (strncmp(name, "light", 5) == 0) {
		*bold = true;
		name += 5;
	}
	if (strcmp(name, "red") == 0)
		return COLOR_RED;
	if (strcmp(name, "green") == 0)
		return COLOR_GREEN;
	if (strcmp(name, "yellow") == 0) {
		*bold = true;
		return COLOR_YELLOW;
	}
	if (strcmp(name, "brown") == 0)
		return COLOR_YELLOW;
	if (strcmp(name, "blue") == 0)
		return COLOR_BLUE;
	if (strcmp(name, "magenta") == 0)
		return COLOR_MAGENTA;
	if (strcmp(name, "cyan") == 0)
		return COLOR_CYAN;
	if (strcmp(name, "white") == 0)
		return COLOR_WHITE;
	return -1;		/* gray and unknown names: dim default */
}

attr_t kind_attr(int kind)
{
	const char *name = color ? kind_color(kind) : NULL;
	bool bold;
	int c;

	if (!name)
		return A_NORMAL;
	c = color_number(name, &bold);
	if (c < 0)
		return A_DIM;
	return COLOR_PAIR(c + 1) | (bold ? A_BOLD : A_NORMAL);
}

attr_t color_attr(int c)
{
	return color ? COLOR_PAIR(c + 1) : A_NORMAL;
}

int put_text(int y, int x, int width, const char *s, attr_t a)
{
	mbstate_t st;
	int used = 0;

	if (width > COLS - x)
		width = COLS - x;
	if (width <= 0 || !s)
		return 0;
	memset(&st, 0, sizeof(st));
	move(y, x);
	attrset(a);
	while (*s && used < width) {
		wchar_t wc;
		size_t n;
		int w;

		if (!utf8 || (unsigned char)*s < 0x80) {
			char c = *s++;

			addch(isprint((unsigned char)c) ? (chtype)(unsigned char)c : '?');
			used++;
			continue;
		}
		n = mbrtowc(&wc, s, strlen(s), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			addch('?');
			s++;
			used++;
			continue;
		}
		w = wcwidth(wc);
		if (w < 0) {
			addch('?');
			w = 1;
		} else if (used + w > width) {
			break;
		} else {
			addnwstr(&wc, 1);
		}
		used += w;
		s += n;
	}
	attrset(A_NORMAL);
	return used;
}

int put_tail(int y, int x, int width, const char *s, attr_t a)
{
	const char *p = s;
	mbstate_t st;
	int total = 0, skip, w;

	if (!s)
		return 0;
	if (width > COLS - x)
		width = COLS - x;
	memset(&st, 0, sizeof(st));
	/* the display width, counted as put_text() draws */
	while (*p) {
		wchar_t wc;
		size_t n = utf8 && (unsigned char)*p >= 0x80 ?
			   mbrtowc(&wc, p, strlen(p), &st) : 1;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0 || n == 1) {
			if (n != 1)
				memset(&st, 0, sizeof(st));
			total++;
			p++;
			continue;
		}
		w = wcwidth(wc);
		total += w < 0 ? 1 : w;
		p += n;
	}
	if (total <= width || width < 2)
		return put_text(y, x, width, s, a);
	/* skip characters until the rest fits after the ellipsis */
	skip = total - (width - 1);
	p = s;
	memset(&st, 0, sizeof(st));
	while (*p && skip > 0) {
		wchar_t wc;
		size_t n = utf8 && (unsigned char)*p >= 0x80 ?
			   mbrtowc(&wc, p, strlen(p), &st) : 1;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0 || n == 1) {
			if (n != 1)
				memset(&st, 0, sizeof(st));
			skip--;
			p++;
			continue;
		}
		w = wcwidth(wc);
		skip -= w < 0 ? 1 : w;
		p += n;
	}
	put_text(y, x, 1, utf8 ? "\u2026" : "~", a);
	return 1 + put_text(y, x + 1, width - 1, p, a);
}

void put_right(int y, int x, int width, const char *s, attr_t a)
{
	int n = (int)strlen(s);

	if (n < width)
		x += width - n;
	put_text(y, x, width < n ? width : n, s, a);
}

void draw_box(int y, int x, int h, int w, const char *title)
{
	int i;

	for (i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	attrset(A_BOLD);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	attrset(A_NORMAL);
	put_text(y, x + 2, w - 4, title, A_BOLD);
}

void size_text(uint64_t v, bool known, char *out, size_t n)
{
	if (!known)
		snprintf(out, n, "-");
	else
		format_size_human(v, out, n);
}

void delta_text(int64_t d, char *out, size_t n)
{
	char b[32];

	if (d == 0) {
		snprintf(out, n, "0");
		return;
	}
	format_size_human(d < 0 ? (uint64_t)(-(d + 1)) + 1 : (uint64_t)d, b, sizeof(b));
	snprintf(out, n, "%c%s", d < 0 ? '-' : '+', b);
}
