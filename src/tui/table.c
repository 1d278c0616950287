/* table.c: the region list: a heading, then one line per row (region,
 * vanished region or group heading), as many columns as fit, the path
 * taking what is left. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/fields.h"
#include "model/snapshot.h"
#include "output/format.h"
#include "tui/draw.h"
#include "tui/screen.h"

/* Columns of the region list. */
enum col {
	COL_MARK = 0,
	COL_START,
	COL_END,
	COL_PERMS,
	COL_SIZE,
	COL_RSS,
	COL_PSS,
	COL_DIRTY,
	COL_SWAP,
	COL_GROWTH,
	COL_KIND,
	COL_DETAIL,
	COL_PATH,
	COL_COUNT
};

struct layout {
	bool shown[COL_COUNT];
	int x[COL_COUNT];
	int w[COL_COUNT];
};

static const char *const col_names[COL_COUNT] = {
	[COL_MARK] = "", [COL_START] = "START", [COL_END] = "END",
	[COL_PERMS] = "PERM", [COL_SIZE] = "SIZE", [COL_RSS] = "RSS",
	[COL_PSS] = "PSS", [COL_DIRTY] = "DIRTY", [COL_SWAP] = "SWAP",
	[COL_GROWTH] = "GROWTH last/start", [COL_KIND] = "KIND",
	[COL_DETAIL] = "DETAIL", [COL_PATH] = "PATH",
};

static void layout_columns(const struct tui *t, struct layout *l)
{
	/* dropped first when the path would get too narrow */
	static const enum col drop[] = { COL_DETAIL, COL_END, COL_SWAP, COL_PSS,
					 COL_DIRTY, COL_KIND };
	int aw = t->smp.snap.elf_class == 32 ? 8 : 12;
	int i, total, x;
	size_t d = 0;

	memset(l, 0, sizeof(*l));
	l->w[COL_MARK] = 2;
	l->w[COL_START] = aw;
	l->w[COL_END] = aw;
	l->w[COL_PERMS] = 4;
	l->w[COL_SIZE] = l->w[COL_RSS] = l->w[COL_PSS] = 5;
	l->w[COL_DIRTY] = l->w[COL_SWAP] = 5;
	l->w[COL_GROWTH] = 13;
	l->w[COL_KIND] = 12;
	l->w[COL_DETAIL] = 14;
	for (i = 0; i < COL_COUNT; i++)
		l->shown[i] = true;
	for (;;) {
		total = 0;
		for (i = 0; i < COL_PATH; i++)
			if (l->shown[i])
				total += l->w[i] + 1;
		if (total + 16 <= COLS || d >= sizeof(drop) / sizeof(drop[0]))
			break;
		l->shown[drop[d++]] = false;
	}
	x = 0;
	for (i = 0; i < COL_COUNT; i++) {
		if (!l->shown[i])
			continue;
		l->x[i] = x;
		x += l->w[i] + 1;
	}
	l->w[COL_PATH] = COLS - l->x[COL_PATH];
	if (l->w[COL_PATH] < 1)
		l->shown[COL_PATH] = false;
}

static void draw_heading(struct tui *t, int y, const struct layout *l)
{
	int field = row_sorts[t->rows.sort].field, i;
	const char *arrow = draw_utf8() ? (t->rows.reverse ? "\u25b2" : "\u25bc") : (t->rows.reverse ? "^" : "v");

	mvhline(y, 0, ' ' | A_REVERSE, COLS);
	for (i = 0; i < COL_COUNT; i++) {
		char h[64];
		bool sorted = (field == F_SIZE && i == COL_SIZE) || (field == F_RSS && i == COL_RSS) ||
			      (field == F_PSS && i == COL_PSS) || (field == F_DIRTY && i == COL_DIRTY) ||
			      (field == F_SWAP && i == COL_SWAP) || (field == SORT_GROWTH && i == COL_GROWTH) ||
			      (field == F_KIND && i == COL_KIND) || (field == F_PATH && i == COL_PATH) ||
			      (field == SORT_ADDRESS && i == COL_START);

		if (!l->shown[i])
			continue;
		snprintf(h, sizeof(h), "%s", col_names[i]);
		if (i == COL_GROWTH && l->w[i] < 17)
			snprintf(h, sizeof(h), "GROWTH");
		if (sorted) {
			int x = put_text(y, l->x[i], l->w[i], h, A_REVERSE | A_BOLD);

			put_text(y, l->x[i] + x, 1, arrow, A_REVERSE | A_BOLD);
		} else {
			put_text(y, l->x[i], l->w[i], h, A_REVERSE);
		}
	}
}

static void growth_text(const struct region_change *c, char *out, size_t n)
{
	char a[32], b[32];

	if (!c->known || (c->d_last == 0 && c->d_start == 0)) {
		out[0] = '\0';
		return;
	}
	delta_text(c->d_last, a, sizeof(a));
	delta_text(c->d_start, b, sizeof(b));
	snprintf(out, n, "%s/%s", a, b);
}

static void cell(const struct tui *t, int y, const struct layout *l, enum col c,
		 const char *text, bool right, attr_t a)
{
	if (!l->shown[c] || !text)
		return;
	if (right)
		put_right(y, l->x[c], l->w[c], text, a);
	else if (c == COL_PATH || c == COL_START || c == COL_END)
		put_tail(y, l->x[c], l->w[c], text, a);
	else
		put_text(y, l->x[c], l->w[c], text, a);
}

static void number_cell(const struct tui *t, int y, const struct layout *l, enum col c,
			const struct snapshot *s, const struct region *r,
			enum region_field f, attr_t a)
{
	char b[32];
	uint64_t v;

	if (!l->shown[c])
		return;
	if (region_field_number(s, r, f, &v))
		format_size_human(v, b, sizeof(b));
	else
		snprintf(b, sizeof(b), "-");
	cell(t, y, l, c, b, true, a);
}

static void draw_region_row(struct tui *t, int y, const struct layout *l,
			    const struct row *row, bool selected)
{
	const struct snapshot *s = &t->smp.snap;
	int aw = l->w[COL_START];
	attr_t base = selected ? A_REVERSE : A_NORMAL;
	char b[512], p[5], mark[3] = "  ";

	if (selected)
		mvhline(y, 0, ' ' | A_REVERSE, COLS);
	if (row->type == ROW_GROUP) {
		const struct row_group *g = &t->rows.groups[row->idx];
		char sz[4][32], line[1024], nm[600];
		int f[4] = { SUM_SIZE, SUM_RSS, SUM_PSS, SUM_DIRTY }, i;

		for (i = 0; i < 4; i++)
			size_text(g->s[f[i]].v, g->s[f[i]].known, sz[i], sizeof(sz[i]));
		format_escape_name(g->name ? g->name : "?", nm, sizeof(nm));
		snprintf(line, sizeof(line), "%s %s  (%" PRIu64 " region%s, size %s, RSS %s, PSS %s, dirty %s)",
			 draw_utf8() ? "\u25b8" : ">", nm, g->regions, g->regions == 1 ? "" : "s",
			 sz[0], sz[1], sz[2], sz[3]);
		put_text(y, 0, COLS, line, base | A_BOLD |
			 (g->kind >= 0 ? kind_attr(g->kind) : A_NORMAL));
		return;
	}
	if (row->type == ROW_GHOST) {
		const struct ghost *gh = &t->smp.ghosts[row->idx];
		attr_t a = base | A_DIM;

		format_addr(gh->start, aw, b, sizeof(b));
		cell(t, y, l, COL_MARK, "x", false, a | A_BOLD);
		cell(t, y, l, COL_START, b, false, a);
		format_addr(gh->end, aw, b, sizeof(b));
		cell(t, y, l, COL_END, b, false, a);
		region_perms_text(gh->perms, p);
		cell(t, y, l, COL_PERMS, p, false, a);
		format_size_human(gh->end - gh->start, b, sizeof(b));
		cell(t, y, l, COL_SIZE, b, true, a);
		size_text(gh->rss, gh->rss_known, b, sizeof(b));
		cell(t, y, l, COL_RSS, b, true, a);
		cell(t, y, l, COL_GROWTH, "gone", false, a);
		cell(t, y, l, COL_KIND, region_kind_name(gh->kind), false, a);
		cell(t, y, l, COL_DETAIL, "vanished", false, a);
		if (gh->path) {
			format_escape_name(gh->path, b, sizeof(b));
			cell(t, y, l, COL_PATH, b, false, a);
		}
		return;
	} else {
		const struct region *r = &s->regions[row->idx];
		const struct region_change *ch = &t->smp.changes[row->idx];
		attr_t ka = kind_attr(r->kind) | base;
		attr_t ca = base;
		const char *text;
		bool wx = region_perms_wx(r->perms);

		switch (ch->state) {
		case CHANGE_NEW:
			mark[0] = '+';
			ca |= A_BOLD | color_attr(COLOR_GREEN);
			break;
		case CHANGE_GREW:
			mark[0] = '^';
			ca |= A_BOLD | color_attr(COLOR_YELLOW);
			break;
		case CHANGE_SHRANK:
			mark[0] = 'v';
			ca |= color_attr(COLOR_CYAN);
			break;
		}
		if (wx)
			mark[1] = '!';
		cell(t, y, l, COL_MARK, mark, false, ca);
		if (wx)
			put_text(y, l->x[COL_MARK] + 1, 1, "!", base | A_BOLD | color_attr(COLOR_RED));
		format_addr(r->start, aw, b, sizeof(b));
		cell(t, y, l, COL_START, b, false, base | (ch->state == CHANGE_NEW ? A_BOLD : 0));
		format_addr(r->end, aw, b, sizeof(b));
		cell(t, y, l, COL_END, b, false, base);
		region_perms_text(r->perms, p);
		cell(t, y, l, COL_PERMS, p, false, wx ? base | A_BOLD | color_attr(COLOR_RED) : base);
		number_cell(t, y, l, COL_SIZE, s, r, F_SIZE,
			    ch->d_size ? ca | A_BOLD : base);
		number_cell(t, y, l, COL_RSS, s, r, F_RSS,
			    ch->known && ch->d_last ? ca | A_BOLD : base);
		number_cell(t, y, l, COL_PSS, s, r, F_PSS, base);
		number_cell(t, y, l, COL_DIRTY, s, r, F_DIRTY, base);
		number_cell(t, y, l, COL_SWAP, s, r, F_SWAP, base);
		growth_text(ch, b, sizeof(b));
		cell(t, y, l, COL_GROWTH, b, false,
		     ch->known && ch->d_last > 0 ? base | A_BOLD | color_attr(COLOR_YELLOW) :
		     ch->known && ch->d_last < 0 ? base | color_attr(COLOR_CYAN) : base);
		cell(t, y, l, COL_KIND, region_kind_name(r->kind), false, ka);
		text = region_detail(s, r);
		if (text) {
			format_escape_name(text, b, sizeof(b));
			cell(t, y, l, COL_DETAIL, b, false, base);
		}
		text = region_path(s, r);
		if (text) {
			format_escape_name(text, b, sizeof(b));
			cell(t, y, l, COL_PATH, b, false, base);
		}
	}
}

static void scroll_into_view(struct tui *t, int rows)
{
	if (rows <= 0)
		return;
	if (t->rows.cursor < t->top)
		t->top = t->rows.cursor;
	if (t->rows.cursor >= t->top + (size_t)rows)
		t->top = t->rows.cursor - (size_t)rows + 1;
	if (t->rows.n <= (size_t)rows)
		t->top = 0;
	else if (t->top + (size_t)rows > t->rows.n)
		t->top = t->rows.n - (size_t)rows;
}

void table_draw(struct tui *t, int y0, int rows)
{
	struct layout l;
	size_t i;

	layout_columns(t, &l);
	draw_heading(t, y0, &l);
	rows--;
	scroll_into_view(t, rows);
	if (!t->rows.n) {
		put_text(y0 + 1, 2, COLS - 2,
			 t->rows.kinds ? "no regions of the chosen kinds (k changes them)" : "no regions",
			 A_DIM);
		return;
	}
	rows_remember_cursor(&t->rows, &t->smp);
	for (i = 0; i < (size_t)rows && t->top + i < t->rows.n; i++)
		draw_region_row(t, y0 + 1 + (int)i, &l, &t->rows.v[t->top + i],
				t->top + i == t->rows.cursor);
}
