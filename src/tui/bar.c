/* bar.c: the address-space bar: every region on one line, low addresses
 * at the left, on a scale where a run of small regions stays visible next
 * to a huge one; the canonical hole and the kernel half at the right. */
#include "config.h"

#include <stdlib.h>

#include "tui/draw.h"
#include "tui/screen.h"

static char kind_letter(int kind)
{
	static const char letters[KIND_COUNT] = {
		[KIND_CODE] = 'c', [KIND_RODATA] = 'r', [KIND_RELRO] = 'R',
		[KIND_DATA] = 'd', [KIND_BSS] = 'b', [KIND_HEAP] = 'h',
		[KIND_STACK] = 's', [KIND_THREAD_STACK] = 't', [KIND_GUARD] = 'g',
		[KIND_ANON] = 'a', [KIND_FILE] = 'f', [KIND_SHM] = 'S',
		[KIND_DEVICE] = 'D', [KIND_VDSO] = 'v', [KIND_VVAR] = 'v',
		[KIND_VSYSCALL] = 'v', [KIND_OTHER] = 'o',
	};

	return kind >= 0 && kind < KIND_COUNT ? letters[kind] : '?';
}

/* log-scaled width of a span of bytes: a page weighs 1, each doubling 1
 * more (log2 interpolated linearly between powers of two) */
static double span_weight(uint64_t bytes)
{
	uint64_t pages = bytes >> 12;
	int bits;

	if (pages <= 1)
		return 1.0;
	bits = 63 - __builtin_clzll(pages);
	return 1.0 + bits + ((double)pages / (double)(1ULL << bits) - 1.0);
}

/* Put item (a region index, or -1 for a gap) covering weights [a, b) on
 * the columns it overlaps most. */
static void bar_place(long *owner, double *best, int cols, double total,
		      double a, double b, long item, double bias)
{
	int c0 = (int)(a * cols / total), c1 = (int)(b * cols / total), c;

	if (c1 >= cols)
		c1 = cols - 1;
	for (c = c0; c <= c1; c++) {
		double lo = (double)c * total / cols, hi = (double)(c + 1) * total / cols;
		double ov = (b < hi ? b : hi) - (a > lo ? a : lo);

		if (ov * bias > best[c]) {
			best[c] = ov * bias;
			owner[c] = item;
		}
	}
}

/* The bar's scale: a run of adjacent regions of one kind is one span whose
 * width grows with the log of its size; inside it each region gets its
 * linear share, and each gap between regions is a span of its own. So
 * 60,000 small regions side by side look like the one area they are. */
static size_t span_end(const struct snapshot *s, size_t i, size_t n, uint64_t *bytes)
{
	size_t k = i + 1;

	*bytes = region_size(&s->regions[i]);
	while (k < n && s->regions[k].start == s->regions[k - 1].end &&
	       s->regions[k].kind == s->regions[i].kind) {
		*bytes += region_size(&s->regions[k]);
		k++;
	}
	return k;
}

void bar_draw(struct tui *t, int y)
{
	const struct snapshot *s = &t->smp.snap;
	uint64_t limit = s->as.task_size_known ? s->as.task_size :
			 s->as.hole_known ? s->as.hole_start : 0;
	bool top = s->as.hole_known;
	int width = COLS - 2, user_cols, c, sel_col = -1;
	long sel_region = -1, *owner;
	double *best, total = 0, acc = 0;
	uint64_t prev_end = 0, bytes;
	size_t i, k, nuser = 0;

	if (width < 10)
		return;
	if (t->rows.n && t->rows.cursor < t->rows.n && t->rows.v[t->rows.cursor].type == ROW_REGION)
		sel_region = t->rows.v[t->rows.cursor].idx;
	/* the canonical hole and the kernel half take a fixed share */
	user_cols = top ? width - 2 * (width / 16 > 1 ? width / 16 : 1) : width;
	while (nuser < s->nregions && !(limit && s->regions[nuser].start >= limit))
		nuser++;
	for (i = 0; i < nuser; i = k) {
		k = span_end(s, i, nuser, &bytes);
		if (s->regions[i].start > prev_end)
			total += span_weight(s->regions[i].start - prev_end);
		total += span_weight(bytes);
		prev_end = s->regions[k - 1].end;
	}
	if (limit > prev_end)
		total += span_weight(limit - prev_end);
	if (total <= 0)
		return;
	owner = malloc((size_t)width * sizeof(*owner));
	best = calloc((size_t)width, sizeof(*best));
	if (!owner || !best) {
		free(owner);
		free(best);
		return;
	}
	for (c = 0; c < width; c++)
		owner[c] = -1;
	prev_end = 0;
	for (i = 0; i < nuser; i = k) {
		double span;
		size_t j;

		k = span_end(s, i, nuser, &bytes);
		if (s->regions[i].start > prev_end)
			acc += span_weight(s->regions[i].start - prev_end);	/* a gap */
		span = span_weight(bytes);
		for (j = i; j < k; j++) {
			double w = bytes ? span * (double)region_size(&s->regions[j]) / (double)bytes : 0;

			/* regions win columns from gaps */
			bar_place(owner, best, user_cols, total, acc, acc + w, (long)j, 4.0);
			if ((long)j == sel_region)
				sel_col = (int)((acc + w / 2) * user_cols / total);
			acc += w;
		}
		prev_end = s->regions[k - 1].end;
	}
	if (sel_col >= user_cols)
		sel_col = user_cols - 1;
	put_text(y, 0, 1, "[", A_NORMAL);
	for (c = 0; c < user_cols; c++) {
		char g[2] = { ' ', 0 };
		attr_t a = A_NORMAL;

		if (owner[c] >= 0) {
			int kind = s->regions[owner[c]].kind;

			g[0] = kind_letter(kind);
			a = kind_attr(kind);
			if (draw_color() && a != A_NORMAL && a != A_DIM)
				a |= A_REVERSE;
		}
		if (c == sel_col) {
			put_text(y, 1 + c, 1, draw_utf8() ? "\u25bc" : "V", A_BOLD | A_STANDOUT);
			continue;
		}
		put_text(y, 1 + c, 1, g, a);
	}
	if (top) {
		int hole = (width - user_cols) / 2, h;
		bool vsyscall = s->nregions &&
			s->regions[s->nregions - 1].kind == KIND_VSYSCALL;

		for (h = 0; h < hole; h++)
			put_text(y, 1 + user_cols + h, 1, "~", A_DIM);
		for (h = 0; h < width - user_cols - hole; h++) {
			bool last = h == width - user_cols - hole - 1;

			if (last && vsyscall)
				put_text(y, 1 + user_cols + hole + h, 1, "v",
					 kind_attr(KIND_VSYSCALL) | (draw_color() ? A_REVERSE : 0));
			else
				put_text(y, 1 + user_cols + hole + h, 1, "K", A_BOLD);
		}
	}
	put_text(y, 1 + width, 1, "]", A_NORMAL);
	free(owner);
	free(best);
}
