/* detail.c: one region in full: where it is and what it maps, its image
 * and sections, its thread, how it changed, the residency of its pages,
 * every smaps counter and its VmFlags spelled out. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/fields.h"
#include "model/images.h"
#include "model/snapshot.h"
#include "output/format.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "util/array.h"

/* Lines of the detail pane; the counters and the flags stand side by side
 * on a wide screen (right, at column RIGHT_X). */
struct line {
	char text[256];
	attr_t attr;
	char right[128];
	attr_t right_attr;
};

struct lines {
	struct line *v;
	int n;
	size_t cap;
};

enum { RIGHT_X = 46 };

static struct line *new_line(struct lines *ls)
{
	if (ARRAY_GROW(&ls->v, &ls->cap, (size_t)ls->n + 1, 64))
		return NULL;
	memset(&ls->v[ls->n], 0, sizeof(ls->v[0]));
	return &ls->v[ls->n++];
}

static void add_line(struct lines *ls, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_line(struct lines *ls, attr_t a, const char *fmt, ...)
{
	struct line *l = new_line(ls);
	va_list ap;

	if (!l)
		return;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
	l->attr = a;
}

/* Add text after a label, wrapped at width columns on the following lines
 * (indented like the first). */
static void add_wrapped(struct lines *ls, const char *label, const char *text, int width)
{
	int indent = (int)strlen(label);
	const char *p = text;

	if (width < indent + 20)
		width = indent + 20;
	while (*p) {
		int room = width - indent, n = (int)strlen(p);

		if (n > room) {
			n = room;
			while (n > 0 && p[n] != ' ')
				n--;
			if (n == 0)
				n = room;
		}
		add_line(ls, A_NORMAL, "%*s%.*s", indent, p == text ? label : "", n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
}

/* Put the lines of right beside those of left, from line at of ls on. */
static void merge_columns(struct lines *ls, int at, const struct lines *right)
{
	int i;

	for (i = 0; i < right->n; i++) {
		struct line *l = at + i < ls->n ? &ls->v[at + i] : new_line(ls);

		if (!l)
			return;
		snprintf(l->right, sizeof(l->right), "%.*s", (int)sizeof(l->right) - 1,
			 right->v[i].text);
		l->right_attr = right->v[i].attr;
	}
}

struct section_list {
	char text[4096];
	size_t len;
	int n;
};

static void collect_section(void *ctx, const char *name)
{
	struct section_list *sl = ctx;
	char esc[FORMAT_ESCAPED_SIZE(64)];
	int k;

	format_escape_name(name, esc, sizeof(esc));
	k = snprintf(sl->text + sl->len, sizeof(sl->text) - sl->len, "%s%s",
		     sl->len ? " " : "", esc);

	if (k > 0 && sl->len + (size_t)k < sizeof(sl->text))
		sl->len += (size_t)k;
	sl->n++;
}

static void counter_lines(const struct region *r, struct lines *ls)
{
	struct region_counter c;
	char a[32];
	int f;

	add_line(ls, A_BOLD | A_UNDERLINE, "Counters (smaps)");
	for (f = 0; f < region_counter_count(); f++) {
		if (!region_counter(r, f, &c))
			continue;
		if (!c.bytes) {
			add_line(ls, A_NORMAL, "  %-16s %6" PRIu64, c.key, c.v);
		} else {
			format_size_human(c.v, a, sizeof(a));
			add_line(ls, A_NORMAL, "  %-16s %6s %12" PRIu64 " B", c.key, a, c.v);
		}
	}
}

static void vmflag_lines(const struct region *r, struct lines *ls)
{
	int i;

	add_line(ls, A_BOLD | A_UNDERLINE, "VmFlags");
	if (!(r->flags & REGION_HAS_VMFLAGS))
		add_line(ls, A_NORMAL, "  unknown: smaps printed no VmFlags");
	for (i = 0; i < REGION_VMFLAG_BITS; i++) {
		const char *n, *what;

		if (!region_vmflag(r, i, &n, &what))
			continue;
		add_line(ls, A_NORMAL, "  %-3s %s", n ? n : "?", what ? what : "");
	}
}

static void detail_lines(struct tui *t, const struct row *row, struct lines *ls)
{
	const struct snapshot *s = &t->smp.snap;
	const struct region *r;
	const struct region_change *ch;
	char a[64], b[64], c[64], nm[600];
	const char *text;
	int aw = s->elf_class == 32 ? 8 : 12;

	if (row->type == ROW_GHOST) {
		const struct ghost *gh = &t->smp.ghosts[row->idx];

		format_addr(gh->start, aw, a, sizeof(a));
		format_addr(gh->end, aw, b, sizeof(b));
		format_size_human(gh->end - gh->start, c, sizeof(c));
		add_line(ls, A_BOLD, "Region %s-%s  %s  %s: vanished in the last sample", a, b, c,
			 region_kind_name(gh->kind));
		if (gh->path) {
			format_escape_name(gh->path, nm, sizeof(nm));
			add_line(ls, A_NORMAL, "path:     %s", nm);
		}
		size_text(gh->rss, gh->rss_known, c, sizeof(c));
		add_line(ls, A_NORMAL, "RSS before it went: %s", c);
		return;
	}
	r = &s->regions[row->idx];
	ch = &t->smp.changes[row->idx];
	format_addr(r->start, aw, a, sizeof(a));
	format_addr(r->end, aw, b, sizeof(b));
	format_size_human(region_size(r), c, sizeof(c));
	region_perms_text(r->perms, nm);
	add_line(ls, A_BOLD, "Region %s-%s  %s  %s  kind %s", a, b, c, nm, region_kind_name(r->kind));
	if (region_perms_wx(r->perms))
		add_line(ls, A_BOLD | color_attr(COLOR_RED),
			 "W^X:      writable and executable at once");
	text = region_path(s, r);
	if (text) {
		format_escape_name(text, nm, sizeof(nm));
		add_line(ls, A_NORMAL, "path:     %s%s", nm, r->flags & REGION_DELETED ? " (deleted)" : "");
	}
	text = region_detail(s, r);
	if (text) {
		format_escape_name(text, nm, sizeof(nm));
		add_line(ls, A_NORMAL, "detail:   %s", nm);
	}
	add_line(ls, A_NORMAL, "offset:   0x%" PRIx64 "  dev %02x:%02x  inode %" PRIu64,
		 r->offset, r->dev_major, r->dev_minor, r->inode);
	if (r->image) {
		const struct image *im = region_image_info(s, r);
		struct section_list *sl = calloc(1, sizeof(*sl));
		int n;

		format_escape_name(region_image(s, r), nm, sizeof(nm));
		if (im->bias_known)
			add_line(ls, A_NORMAL, "image:    %s  (load bias 0x%" PRIx64 ")", nm, im->bias);
		else
			add_line(ls, A_NORMAL, "image:    %s", nm);
		n = sl ? region_sections(s, r, collect_section, sl) : 0;
		if (n < 0)
			add_line(ls, A_NORMAL, "sections: unknown: %s", image_why_unread(s, im) ?
				 image_why_unread(s, im) : "the file could not be read");
		else if (n > 0)
			add_wrapped(ls, "sections: ", sl->text, COLS - 1);
		free(sl);
	}
	if (r->tid) {
		const char *comm = NULL;
		size_t k;

		for (k = 0; k < s->nthreads; k++)
			if (s->threads[k].tid == r->tid)
				comm = s->threads[k].comm;
		format_escape_name(comm ? comm : "?", nm, sizeof(nm));
		add_line(ls, A_NORMAL, "thread:   %d (%s)", (int)r->tid, nm);
	}
	switch (ch->state) {
	case CHANGE_NEW:
		add_line(ls, A_BOLD | color_attr(COLOR_GREEN), "change:   new since the last sample");
		break;
	case CHANGE_GREW:
	case CHANGE_SHRANK:
		delta_text(ch->d_size, a, sizeof(a));
		delta_text(ch->d_last, b, sizeof(b));
		add_line(ls, A_BOLD, "change:   %s since the last sample: size %s, RSS %s",
			 ch->state == CHANGE_GREW ? "grew" : "shrank", a, ch->known ? b : "-");
		break;
	}
	if (ch->known) {
		delta_text(ch->d_start, a, sizeof(a));
		add_line(ls, A_NORMAL, "growth:   RSS %s since the watch started", a);
	}

	/* the residency strip, full width */
	if (s->pages) {
		char strip[256];
		int w = COLS - 12 < (int)sizeof(strip) - 1 ? COLS - 12 : (int)sizeof(strip) - 1;

		if (w > 0 && region_residency_strip(s, r, w, strip)) {
			add_line(ls, A_NORMAL, "pages:    %s", strip);
			add_line(ls, A_DIM, "          # present  s swapped  g guard  . never touched  ? not kept");
		} else {
			add_line(ls, A_NORMAL, "pages:    unknown (see the warnings)");
		}
	} else if (s->stat.vsize > SAMPLE_PAGES_MAX_VSIZE) {
		add_line(ls, A_NORMAL, "pages:    not read: the address space is too large to scan on every look");
	} else if (t->smp.pages_cost >= 0.05) {
		add_line(ls, A_NORMAL, "pages:    not read again since the last sample (it took %.0f ms): Enter twice reads it",
			 t->smp.pages_cost * 1000);
	} else {
		add_line(ls, A_NORMAL, "pages:    not read");
	}
	add_line(ls, A_NORMAL, "%s", "");

	if (COLS >= RIGHT_X + 30) {
		struct lines right = { 0 };
		int at = ls->n;

		counter_lines(r, ls);
		vmflag_lines(r, &right);
		merge_columns(ls, at, &right);
		free(right.v);
	} else {
		vmflag_lines(r, ls);
		add_line(ls, A_NORMAL, "%s", "");
		counter_lines(r, ls);
	}
}

void detail_draw(struct tui *t, int y0, int rows)
{
	struct lines ls = { 0 };
	int i;

	mvhline(y0, 0, ' ' | A_REVERSE, COLS);
	put_text(y0, 0, COLS, "DETAIL  (Esc closes, arrows scroll)", A_REVERSE);
	if (t->rows.cursor < t->rows.n && t->rows.v[t->rows.cursor].type != ROW_GROUP)
		detail_lines(t, &t->rows.v[t->rows.cursor], &ls);
	else
		add_line(&ls, A_NORMAL, "the region is gone");
	if (t->detail_scroll > ls.n - (rows - 1))
		t->detail_scroll = ls.n - (rows - 1);
	if (t->detail_scroll < 0)
		t->detail_scroll = 0;
	for (i = 0; i < rows - 1 && t->detail_scroll + i < ls.n; i++) {
		const struct line *l = &ls.v[t->detail_scroll + i];

		put_text(y0 + 1 + i, 0, l->right[0] ? RIGHT_X - 1 : COLS, l->text, l->attr);
		if (l->right[0])
			put_text(y0 + 1 + i, RIGHT_X, COLS - RIGHT_X, l->right, l->right_attr);
	}
	free(ls.v);
}
