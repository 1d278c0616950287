/* tui.c: vmmap --watch, the live view (ncursesw).
 *
 * The screen, top to bottom: the process and its age; RSS and PSS with
 * their changes and a sparkline; USS, dirty and swap; the address-space
 * bar; the region list (or the summary by kind, or one region's detail);
 * the status line. The sampler (sample.h) does the reading; this file
 * keeps the rows in display order, draws the visible ones and reads keys
 * with a short timeout, so a process with 60,000 regions stays responsive.
 *
 * The terminal is restored on every way out: quitting, SIGINT, SIGTERM and
 * SIGHUP (a flag the loop checks), and a crash (a handler that calls
 * endwin() and re-raises). Nothing is written to stderr while curses owns
 * the screen.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "model/fields.h"
#include "model/images.h"
#include "model/snapshot.h"
#include "model/summary.h"
#include "output/format.h"
#include "output/output.h"
#include "model/processes.h"
#include "model/sample.h"
#include "tui/rows.h"
#include "tui/tui.h"

enum screen_mode {
	MODE_LIST = 0,		/* the regions */
	MODE_SUMMARY,		/* the summary by kind */
	MODE_DETAIL,		/* one region */
	MODE_PICKER,		/* the process list */
};

enum overlay {
	OVERLAY_NONE = 0,
	OVERLAY_HELP,
	OVERLAY_SORT,
	OVERLAY_KINDS,
};

static const double intervals[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60 };
#define NINTERVALS ((int)(sizeof(intervals) / sizeof(intervals[0])))

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

struct tui {
	const struct proc_source *src;
	const struct tui_options *opt;
	struct elf_cache *cache;	/* shared by the samplers */
	struct sampler smp;
	bool have_smp;
	double interval;
	bool paused;
	bool color;
	bool utf8;
	bool quit;
	long samples;			/* for --iterations */

	enum screen_mode mode;
	enum screen_mode back_mode;	/* where Esc returns from the detail or picker */
	enum overlay overlay;
	int menu_cursor;

	/* the rows of the region list, for this sampler generation */
	struct rows rows;
	size_t top;			/* the first row shown */

	/* the detail pane */
	int detail_scroll;

	/* the search prompt */
	bool searching;
	char search[128];
	size_t search_len;
	char last_search[128];

	/* the status line */
	char status[512];
	bool status_error;
	unsigned long warning_seq;
	bool exit_seen;			/* the exit was announced */

	/* the picker */
	struct process_list procs;
	size_t pcursor;
	size_t ptop;
	double procs_at;
};

/* ------------------------------------------------------------------ */
/* Terminal: colours, glyphs, text that never wraps                    */

static bool screen_active;

static void on_crash(int sig)
{
	/* not async-signal-safe, but the alternative is a dead terminal */
	if (screen_active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define NCRASH ((int)(sizeof(crash_signals) / sizeof(crash_signals[0])))

static void catch_crashes(struct sigaction *old)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, &old[i]);
}

static void restore_crashes(const struct sigaction *old)
{
	int i;

	for (i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &old[i], NULL);
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

/* The attribute a kind is drawn with: kind_color()'s names as curses
 * colours (pair n + 1 is colour n on the default background). */
static attr_t kind_attr(const struct tui *t, int kind)
{
	const char *name = t->color ? kind_color(kind) : NULL;
	bool bold;
	int c;

	if (!name)
		return A_NORMAL;
	c = color_number(name, &bold);
	if (c < 0)
		return A_DIM;
	return COLOR_PAIR(c + 1) | (bold ? A_BOLD : A_NORMAL);
}

static attr_t color_attr(const struct tui *t, int c)
{
	return t->color ? COLOR_PAIR(c + 1) : A_NORMAL;
}

/* Draw s at (y, x) in at most width cells: multibyte text as the locale
 * reads it, anything unprintable as '?', never past the right edge.
 * Returns the cells used. */
static int put_text(const struct tui *t, int y, int x, int width, const char *s, attr_t a)
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

		if (!t->utf8 || (unsigned char)*s < 0x80) {
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

/* Like put_text(), but when s is wider than width keep its end (the file
 * name of a long path) after an ellipsis. */
static int put_tail(const struct tui *t, int y, int x, int width, const char *s, attr_t a)
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
		size_t n = t->utf8 && (unsigned char)*p >= 0x80 ?
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
		return put_text(t, y, x, width, s, a);
	/* skip characters until the rest fits after the ellipsis */
	skip = total - (width - 1);
	p = s;
	memset(&st, 0, sizeof(st));
	while (*p && skip > 0) {
		wchar_t wc;
		size_t n = t->utf8 && (unsigned char)*p >= 0x80 ?
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
	put_text(t, y, x, 1, t->utf8 ? "\u2026" : "~", a);
	return 1 + put_text(t, y, x + 1, width - 1, p, a);
}

/* Right-aligned text in width cells. */
static void put_right(const struct tui *t, int y, int x, int width, const char *s, attr_t a)
{
	int n = (int)strlen(s);

	if (n < width)
		x += width - n;
	put_text(t, y, x, width < n ? width : n, s, a);
}

static void size_text(uint64_t v, bool known, char *out, size_t n)
{
	if (!known)
		snprintf(out, n, "-");
	else
		format_size_human(v, out, n);
}

/* "+1.5M", "-4K", "0" */
static void delta_text(int64_t d, char *out, size_t n)
{
	char b[32];

	if (d == 0) {
		snprintf(out, n, "0");
		return;
	}
	format_size_human(d < 0 ? (uint64_t)(-(d + 1)) + 1 : (uint64_t)d, b, sizeof(b));
	snprintf(out, n, "%c%s", d < 0 ? '-' : '+', b);
}

static void age_text(double secs, char *out, size_t n)
{
	unsigned long s = (unsigned long)secs;

	if (s >= 86400)
		snprintf(out, n, "%lud %02lu:%02lu:%02lu", s / 86400, s / 3600 % 24,
			 s / 60 % 60, s % 60);
	else
		snprintf(out, n, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
}

static const char *spark_glyph(const struct tui *t, int level)
{
	static const char *const utf8[] = { "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const ascii[] = { ".", ":", "-", "=", "+", "*", "#", "%" };

	if (level < 0)
		level = 0;
	if (level > 7)
		level = 7;
	return t->utf8 ? utf8[level] : ascii[level];
}

static void set_status(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_status(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
	t->status_error = error;
}

/* The status line for a message that quotes names from the process (a
 * warning, an error): prefix, then text escaped as every view shows it. */
static void set_status_quoting(struct tui *t, bool error, const char *prefix,
			       const char *text)
{
	char esc[sizeof(t->status)];

	format_escape_name(text, esc, sizeof(esc));
	set_status(t, error, "%s%s", prefix, esc);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

static int rebuild_rows(struct tui *t)
{
	return t->have_smp ? rows_build(&t->rows, &t->smp) : 0;
}

/* ------------------------------------------------------------------ */
/* The header: process, totals, sparklines                             */

static void draw_sparkline(const struct tui *t, int y, int x, int width, int which)
{
	uint64_t lo = UINT64_MAX, hi = 0, v;
	int i, n = 0;

	if (width <= 0)
		return;
	for (i = 0; i < width; i++)
		if (sampler_history(&t->smp, which, (size_t)i, &v)) {
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
			n = i + 1;
		}
	if (!n)
		return;
	/* oldest at the left, newest at the right edge */
	for (i = 0; i < width; i++) {
		size_t ago = (size_t)(width - 1 - i);
		int level = 0;

		if (!sampler_history(&t->smp, which, ago, &v))
			continue;
		/* a change of less than 5% of the value is not drawn as a cliff */
		if (hi > lo)
			level = (int)((double)(v - lo) * 7.0 /
				      (double)(hi - lo > hi / 20 ? hi - lo : hi / 20) + 0.5);
		put_text(t, y, x + i, 1, spark_glyph(t, level),
			 color_attr(t, which ? COLOR_CYAN : COLOR_GREEN));
	}
}

/* A total's value, its change since the start and since the last sample,
 * each "-" when unknown; the three buffers hold 32 bytes. */
static void total_texts(const struct sampler *sm, enum total_field f,
			char *v, char *ds, char *dl)
{
	bool known = totals_has(&sm->cur, f);

	size_text(sm->cur.v[f], known, v, 32);
	if (known && totals_has(&sm->first, f))
		delta_text((int64_t)(sm->cur.v[f] - sm->first.v[f]), ds, 32);
	else
		snprintf(ds, 32, "-");
	if (known && totals_has(&sm->prev, f))
		delta_text((int64_t)(sm->cur.v[f] - sm->prev.v[f]), dl, 32);
	else
		snprintf(dl, 32, "-");
}

static void total_line(const struct tui *t, int y, enum total_field f, const char *label,
		       int spark)
{
	char v[32], ds[32], dl[32], line[160];
	int used;

	total_texts(&t->smp, f, v, ds, dl);
	snprintf(line, sizeof(line), "%-5s %6s  start %7s  last %7s ", label, v, ds, dl);
	used = put_text(t, y, 0, COLS, line, A_NORMAL);
	put_text(t, y, 0, 5, label, A_BOLD);
	if (spark >= 0)
		draw_sparkline(t, y, used + 1, COLS - used - 1, spark);
}

static void small_total(const struct tui *t, char *out, size_t n, enum total_field f,
			const char *label)
{
	char v[32], ds[32], dl[32];

	total_texts(&t->smp, f, v, ds, dl);
	snprintf(out, n, "%s %s (%s %s)", label, v, ds, dl);
}

static void draw_header(struct tui *t)
{
	const struct sampler *sm = &t->smp;
	const struct snapshot *s = &sm->snap;
	char line[1024], age[48], a[128], b[128], c[128], esc[600];
	int x;

	if (sm->age_known)
		age_text(sm->age, age, sizeof(age));
	else
		snprintf(age, sizeof(age), "-");
	format_escape_name(sm->stat.comm[0] ? sm->stat.comm : s->stat.comm, a, sizeof(a));
	format_escape_name(s->exe ? s->exe : "-", esc, sizeof(esc));
	snprintf(line, sizeof(line), "PID %d  %s  threads %ld  up %s  every %gs  ",
		 (int)sm->pid, a, sm->stat.num_threads, age, t->interval);
	x = put_text(t, 0, 0, COLS, line, A_BOLD);
	if (sm->exited)
		x += put_text(t, 0, x, COLS - x, "[exited] ", A_BOLD | color_attr(t, COLOR_RED));
	else if (t->paused)
		x += put_text(t, 0, x, COLS - x, "[paused] ", A_BOLD | color_attr(t, COLOR_YELLOW));
	put_tail(t, 0, x, COLS - x, esc, A_NORMAL);

	total_line(t, 1, TOTAL_RSS, "RSS", 0);
	total_line(t, 2, TOTAL_PSS, "PSS", 1);
	small_total(t, a, sizeof(a), TOTAL_USS, "USS");
	small_total(t, b, sizeof(b), TOTAL_DIRTY, "DIRTY");
	small_total(t, c, sizeof(c), TOTAL_SWAP, "SWAP");
	snprintf(line, sizeof(line), "%s  %s  %s  regions %zu", a, b, c, s->nregions);
	put_text(t, 3, 0, COLS, line, A_NORMAL);
}

/* ------------------------------------------------------------------ */
/* The address-space bar                                               */

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

static void draw_bar(struct tui *t, int y)
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
	put_text(t, y, 0, 1, "[", A_NORMAL);
	for (c = 0; c < user_cols; c++) {
		char g[2] = { ' ', 0 };
		attr_t a = A_NORMAL;

		if (owner[c] >= 0) {
			int kind = s->regions[owner[c]].kind;

			g[0] = kind_letter(kind);
			a = kind_attr(t, kind);
			if (t->color && a != A_NORMAL && a != A_DIM)
				a |= A_REVERSE;
		}
		if (c == sel_col) {
			put_text(t, y, 1 + c, 1, t->utf8 ? "\u25bc" : "V", A_BOLD | A_STANDOUT);
			continue;
		}
		put_text(t, y, 1 + c, 1, g, a);
	}
	if (top) {
		int hole = (width - user_cols) / 2, h;
		bool vsyscall = s->nregions &&
			s->regions[s->nregions - 1].kind == KIND_VSYSCALL;

		for (h = 0; h < hole; h++)
			put_text(t, y, 1 + user_cols + h, 1, "~", A_DIM);
		for (h = 0; h < width - user_cols - hole; h++) {
			bool last = h == width - user_cols - hole - 1;

			if (last && vsyscall)
				put_text(t, y, 1 + user_cols + hole + h, 1, "v",
					 kind_attr(t, KIND_VSYSCALL) | (t->color ? A_REVERSE : 0));
			else
				put_text(t, y, 1 + user_cols + hole + h, 1, "K", A_BOLD);
		}
	}
	put_text(t, y, 1 + width, 1, "]", A_NORMAL);
	free(owner);
	free(best);
}

/* ------------------------------------------------------------------ */
/* The region list                                                     */

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
	const char *arrow = t->utf8 ? (t->rows.reverse ? "\u25b2" : "\u25bc") : (t->rows.reverse ? "^" : "v");

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
			int x = put_text(t, y, l->x[i], l->w[i], h, A_REVERSE | A_BOLD);

			put_text(t, y, l->x[i] + x, 1, arrow, A_REVERSE | A_BOLD);
		} else {
			put_text(t, y, l->x[i], l->w[i], h, A_REVERSE);
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
		put_right(t, y, l->x[c], l->w[c], text, a);
	else if (c == COL_PATH || c == COL_START || c == COL_END)
		put_tail(t, y, l->x[c], l->w[c], text, a);
	else
		put_text(t, y, l->x[c], l->w[c], text, a);
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
			 t->utf8 ? "\u25b8" : ">", nm, g->regions, g->regions == 1 ? "" : "s",
			 sz[0], sz[1], sz[2], sz[3]);
		put_text(t, y, 0, COLS, line, base | A_BOLD |
			 (g->kind >= 0 ? kind_attr(t, g->kind) : A_NORMAL));
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
		attr_t ka = kind_attr(t, r->kind) | base;
		attr_t ca = base;
		const char *text;
		bool wx = region_perms_wx(r->perms);

		switch (ch->state) {
		case CHANGE_NEW:
			mark[0] = '+';
			ca |= A_BOLD | color_attr(t, COLOR_GREEN);
			break;
		case CHANGE_GREW:
			mark[0] = '^';
			ca |= A_BOLD | color_attr(t, COLOR_YELLOW);
			break;
		case CHANGE_SHRANK:
			mark[0] = 'v';
			ca |= color_attr(t, COLOR_CYAN);
			break;
		}
		if (wx)
			mark[1] = '!';
		cell(t, y, l, COL_MARK, mark, false, ca);
		if (wx)
			put_text(t, y, l->x[COL_MARK] + 1, 1, "!", base | A_BOLD | color_attr(t, COLOR_RED));
		format_addr(r->start, aw, b, sizeof(b));
		cell(t, y, l, COL_START, b, false, base | (ch->state == CHANGE_NEW ? A_BOLD : 0));
		format_addr(r->end, aw, b, sizeof(b));
		cell(t, y, l, COL_END, b, false, base);
		region_perms_text(r->perms, p);
		cell(t, y, l, COL_PERMS, p, false, wx ? base | A_BOLD | color_attr(t, COLOR_RED) : base);
		number_cell(t, y, l, COL_SIZE, s, r, F_SIZE,
			    ch->d_size ? ca | A_BOLD : base);
		number_cell(t, y, l, COL_RSS, s, r, F_RSS,
			    ch->known && ch->d_last ? ca | A_BOLD : base);
		number_cell(t, y, l, COL_PSS, s, r, F_PSS, base);
		number_cell(t, y, l, COL_DIRTY, s, r, F_DIRTY, base);
		number_cell(t, y, l, COL_SWAP, s, r, F_SWAP, base);
		growth_text(ch, b, sizeof(b));
		cell(t, y, l, COL_GROWTH, b, false,
		     ch->known && ch->d_last > 0 ? base | A_BOLD | color_attr(t, COLOR_YELLOW) :
		     ch->known && ch->d_last < 0 ? base | color_attr(t, COLOR_CYAN) : base);
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

static void draw_list(struct tui *t, int y0, int rows)
{
	struct layout l;
	size_t i;

	layout_columns(t, &l);
	draw_heading(t, y0, &l);
	rows--;
	scroll_into_view(t, rows);
	if (!t->rows.n) {
		put_text(t, y0 + 1, 2, COLS - 2,
			 t->rows.kinds ? "no regions of the chosen kinds (k changes them)" : "no regions",
			 A_DIM);
		return;
	}
	rows_remember_cursor(&t->rows, &t->smp);
	for (i = 0; i < (size_t)rows && t->top + i < t->rows.n; i++)
		draw_region_row(t, y0 + 1 + (int)i, &l, &t->rows.v[t->top + i],
				t->top + i == t->rows.cursor);
}

/* ------------------------------------------------------------------ */
/* The summary by kind                                                 */

static void draw_summary(struct tui *t, int y0, int rows)
{
	const struct snapshot *s = &t->smp.snap;
	const struct summary *first = &t->smp.first_summary;
	static const int fields[] = { SUM_SIZE, SUM_RSS, SUM_PSS, SUM_USS, SUM_DIRTY, SUM_SWAP };
	static const char *const names[] = { "SIZE", "RSS", "PSS", "USS", "DIRTY", "SWAP" };
	struct summary sum;
	int y = y0, k, i;
	char b[64];

	if (!t->rows.have_sel)
		return;
	summary_compute(&sum, s, &t->rows.sel);
	mvhline(y, 0, ' ' | A_REVERSE, COLS);
	put_text(t, y, 0, 13, "KIND", A_REVERSE);
	put_right(t, y, 13, 8, "REGIONS", A_REVERSE);
	for (i = 0; i < 6; i++)
		put_right(t, y, 21 + i * 8, 8, names[i], A_REVERSE);
	put_right(t, y, 21 + 6 * 8, 12, "RSS/start", A_REVERSE);
	y++;
	for (k = 0; k <= KIND_COUNT && y < y0 + rows; k++) {
		const struct kind_summary *ks = k < KIND_COUNT ? &sum.kinds[k] : &sum.totals;
		const struct kind_summary *fs = k < KIND_COUNT ? &first->kinds[k] : &first->totals;
		attr_t a = k < KIND_COUNT ? kind_attr(t, k) : A_BOLD;

		if (k < KIND_COUNT && !ks->regions)
			continue;
		put_text(t, y, 0, 13, k < KIND_COUNT ? region_kind_name(k) : "total", a);
		snprintf(b, sizeof(b), "%" PRIu64, ks->regions);
		put_right(t, y, 13, 8, b, k < KIND_COUNT ? A_NORMAL : A_BOLD);
		for (i = 0; i < 6; i++) {
			size_text(ks->s[fields[i]].v, ks->s[fields[i]].known, b, sizeof(b));
			put_right(t, y, 21 + i * 8, 8, b, k < KIND_COUNT ? A_NORMAL : A_BOLD);
		}
		if (ks->s[SUM_RSS].known && fs->s[SUM_RSS].known) {
			int64_t d = (int64_t)ks->s[SUM_RSS].v - (int64_t)fs->s[SUM_RSS].v;

			delta_text(d, b, sizeof(b));
			put_right(t, y, 21 + 6 * 8, 12, d ? b : "", d > 0 ?
				  A_BOLD | color_attr(t, COLOR_YELLOW) : A_NORMAL);
		}
		y++;
	}
	if (t->rows.kinds && y < y0 + rows)
		put_text(t, y + 1, 0, COLS, "(only the kinds chosen with k)", A_DIM);
}

/* ------------------------------------------------------------------ */
/* The detail of one region                                            */

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
	int n, cap;
};

enum { RIGHT_X = 46 };

static struct line *new_line(struct lines *ls)
{
	if (ls->n == ls->cap) {
		int cap = ls->cap ? ls->cap * 2 : 64;
		struct line *nv = realloc(ls->v, (size_t)cap * sizeof(*nv));

		if (!nv)
			return NULL;
		ls->v = nv;
		ls->cap = cap;
	}
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
		add_line(ls, A_BOLD | color_attr(t, COLOR_RED),
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
		add_line(ls, A_BOLD | color_attr(t, COLOR_GREEN), "change:   new since the last sample");
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

static void draw_detail(struct tui *t, int y0, int rows)
{
	struct lines ls = { 0 };
	int i;

	mvhline(y0, 0, ' ' | A_REVERSE, COLS);
	put_text(t, y0, 0, COLS, "DETAIL  (Esc closes, arrows scroll)", A_REVERSE);
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

		put_text(t, y0 + 1 + i, 0, l->right[0] ? RIGHT_X - 1 : COLS, l->text, l->attr);
		if (l->right[0])
			put_text(t, y0 + 1 + i, RIGHT_X, COLS - RIGHT_X, l->right, l->right_attr);
	}
	free(ls.v);
}

/* ------------------------------------------------------------------ */
/* The process picker                                                  */

static void picker_refresh(struct tui *t)
{
	struct process_list list;
	pid_t keep = t->pcursor < t->procs.n ? t->procs.v[t->pcursor].pid : 0;
	long at;
	int rc;

	rc = process_list_load(t->src, &list);
	t->procs_at = sample_now();
	if (rc) {
		set_status(t, true, "cannot list the processes: %s", errno_text(rc));
		return;
	}
	process_list_release(&t->procs);
	t->procs = list;
	if (t->pcursor >= list.n)
		t->pcursor = list.n ? list.n - 1 : 0;
	at = keep ? process_list_index(&list, keep) : -1;
	if (at >= 0)
		t->pcursor = (size_t)at;
}

static void draw_picker(struct tui *t)
{
	int rows = LINES - 3, i;
	char line[300], rss[32], comm[200];

	put_text(t, 0, 0, COLS, "vmmap --watch: pick a process  (Enter watches it, / searches, q quits)",
		 A_BOLD);
	mvhline(1, 0, ' ' | A_REVERSE, COLS);
	snprintf(line, sizeof(line), "%8s %-12s %7s  %s", "PID", "USER", "RSS", "COMMAND");
	put_text(t, 1, 0, COLS, line, A_REVERSE);
	if (rows <= 0)
		return;
	if (t->pcursor < t->ptop)
		t->ptop = t->pcursor;
	if (t->pcursor >= t->ptop + (size_t)rows)
		t->ptop = t->pcursor - (size_t)rows + 1;
	for (i = 0; i < rows && t->ptop + (size_t)i < t->procs.n; i++) {
		const struct proc_summary *p = &t->procs.v[t->ptop + (size_t)i];
		bool sel = t->ptop + (size_t)i == t->pcursor;

		size_text(p->rss, p->rss_known, rss, sizeof(rss));
		format_escape_name(p->comm, comm, sizeof(comm));
		snprintf(line, sizeof(line), "%8d %-12.12s %7s  %s", (int)p->pid, p->user, rss, comm);
		if (sel)
			mvhline(2 + i, 0, ' ' | A_REVERSE, COLS);
		put_text(t, 2 + i, 0, COLS, line, sel ? A_REVERSE : A_NORMAL);
	}
}

/* ------------------------------------------------------------------ */
/* Overlays: help, sort menu, kinds menu                               */

static void draw_box(const struct tui *t, int y, int x, int h, int w, const char *title)
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
	put_text(t, y, x + 2, w - 4, title, A_BOLD);
}

static const char *const help_text[] = {
	"Up/Down PgUp/PgDn Home/End  move",
	"Enter      the selected region in detail (Esc closes)",
	"Tab        the summary by kind / the region list",
	"/ text     search paths, kinds and details; n: next",
	"s, F6      sort by a column (a menu); r: reverse",
	"k          show only some kinds (a menu)",
	"g          group by image, by kind, or not",
	"p          pause / resume sampling",
	"+ / -      sample less / more often",
	"R, ^L      sample now and redraw",
	"o          pick another process",
	"?, F1      this help",
	"q, F10     quit",
	"",
	"Marks: + new  ^ grew  v shrank  x gone  ! writable and executable",
	"GROWTH: RSS change since the last sample / since the watch started",
	"Bar: the address space on a log scale, low to high addresses;",
	" c code r rodata R relro d data b bss h heap s stack t thread stack",
	" g guard a anon f file S shm D device v vdso/vvar  ~ hole  K kernel",
};

static void draw_overlay(struct tui *t)
{
	int n, w, h, y, x, i;

	switch (t->overlay) {
	case OVERLAY_HELP:
		n = (int)(sizeof(help_text) / sizeof(help_text[0]));
		w = COLS < 74 ? COLS : 74;
		h = LINES < n + 2 ? LINES : n + 2;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		draw_box(t, y, x, h, w, " keys (any key closes) ");
		for (i = 0; i < n && i < h - 2; i++)
			put_text(t, y + 1 + i, x + 2, w - 4, help_text[i], A_NORMAL);
		break;
	case OVERLAY_SORT:
		w = 30;
		h = ROW_NSORTS + 2;
		y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0;
		x = (COLS - w) / 2 > 0 ? (COLS - w) / 2 : 0;
		draw_box(t, y, x, h, w, " sort by ");
		for (i = 0; i < ROW_NSORTS && i < h - 2; i++) {
			char line[64];

			snprintf(line, sizeof(line), "%d %c %s", i + 1, i == t->rows.sort ? '*' : ' ',
				 row_sorts[i].label);
			put_text(t, y + 1 + i, x + 2, w - 4, line,
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
		draw_box(t, y, x, h, w, " kinds: Space, a all, Enter ");
		for (i = 0; i < KIND_COUNT && i < h - 3; i++) {
			char line[64];
			bool on = !t->rows.kinds || ((t->rows.kinds >> i) & 1);

			snprintf(line, sizeof(line), "[%c] %s", on ? 'x' : ' ', region_kind_name(i));
			put_text(t, y + 1 + i, x + 2, w - 4, line,
				 (i == t->menu_cursor ? A_REVERSE : A_NORMAL) | kind_attr(t, i));
		}
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The whole screen                                                    */

static void draw_status(struct tui *t)
{
	int y = LINES - 1;
	const char *hint = "?:help q:quit";

	if (t->searching) {
		char line[200];

		snprintf(line, sizeof(line), "/%.*s", (int)t->search_len, t->search);
		put_text(t, y, 0, COLS, line, A_BOLD);
		curs_set(1);
		move(y, (int)t->search_len + 1 < COLS ? (int)t->search_len + 1 : COLS - 1);
		return;
	}
	curs_set(0);
	if (t->status[0]) {
		put_text(t, y, 0, COLS - (int)strlen(hint) - 1, t->status,
			 t->status_error ? A_BOLD | color_attr(t, COLOR_RED) : A_NORMAL);
	}
	put_right(t, y, COLS - (int)strlen(hint) - 1, (int)strlen(hint), hint, A_DIM);
}

static void draw(struct tui *t)
{
	int body;

	erase();
	if (LINES < 8 || COLS < 40) {
		put_text(t, 0, 0, COLS, "vmmap: the terminal is too small", A_BOLD);
		refresh();
		return;
	}
	if (t->mode == MODE_PICKER) {
		draw_picker(t);
	} else if (t->have_smp) {
		draw_header(t);
		draw_bar(t, 4);
		body = LINES - 6;
		switch (t->mode) {
		case MODE_SUMMARY:
			draw_summary(t, 5, body);
			break;
		case MODE_DETAIL:
			draw_detail(t, 5, body);
			break;
		default:
			draw_list(t, 5, body);
			break;
		}
	}
	draw_overlay(t);
	draw_status(t);
	refresh();
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

/* Move to the next row (or process) that matches the last search. */
static void search_next(struct tui *t)
{
	const char *needle = t->last_search;
	size_t k;

	if (!needle[0]) {
		set_status(t, false, "no search yet: / starts one");
		return;
	}
	if (t->mode == MODE_PICKER) {
		if (process_list_find(&t->procs, needle, t->pcursor, &k)) {
			t->pcursor = k;
			set_status(t, false, "/%s: process %d", needle, (int)t->procs.v[k].pid);
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
			set_status(t, false, "/%s: found at %s %s (row %zu of %zu)", needle, a, esc,
				   k + 1, t->rows.n);
			return;
		}
	}
	set_status(t, true, "/%s: not found", needle);
}

static void search_key(struct tui *t, int ch)
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
				t->pcursor = t->pcursor ? t->pcursor - 1 : (t->procs.n ? t->procs.n - 1 : 0);
			else
				t->rows.cursor = t->rows.cursor ? t->rows.cursor - 1 : (t->rows.n ? t->rows.n - 1 : 0);
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

static void move_cursor(size_t *cursor, size_t n, int ch, int page)
{
	if (!n)
		return;
	if (page < 1)
		page = 1;
	switch (ch) {
	case KEY_UP:
		if (*cursor)
			(*cursor)--;
		break;
	case KEY_DOWN:
		if (*cursor + 1 < n)
			(*cursor)++;
		break;
	case KEY_PPAGE:
		*cursor = *cursor > (size_t)page ? *cursor - (size_t)page : 0;
		break;
	case KEY_NPAGE:
		*cursor = *cursor + (size_t)page < n ? *cursor + (size_t)page : n - 1;
		break;
	case KEY_HOME:
		*cursor = 0;
		break;
	case KEY_END:
		*cursor = n - 1;
		break;
	}
}

static void open_detail(struct tui *t)
{
	if (!t->rows.n || t->rows.v[t->rows.cursor].type == ROW_GROUP)
		return;
	t->mode = MODE_DETAIL;
	t->detail_scroll = 0;
	/* the residency strip needs the page tables: read them now, once
	 * per sample, unless the address space is huge */
	if (!t->smp.snap.pages && t->smp.snap.stat.vsize <= SAMPLE_PAGES_MAX_VSIZE &&
	    !t->smp.exited) {
		set_status(t, false, "reading the page tables...");
		draw(t);
		if (sampler_load_pages(&t->smp) == 0)
			set_status(t, false, "page tables read in %.0f ms", t->smp.pages_cost * 1000);
		else
			set_status(t, true, "cannot read the page tables");
	}
}

static int watch_pid(struct tui *t, pid_t pid)
{
	struct load_error err;
	struct sampler next;
	int rc;

	rc = sampler_open(&next, t->src, pid, t->cache, &err);
	if (rc) {
		set_status_quoting(t, true, "", err.msg);
		return rc;
	}
	rows_release(&t->rows);
	t->top = 0;
	if (t->have_smp)
		sampler_close(&t->smp);
	t->smp = next;
	t->have_smp = true;
	t->warning_seq = 0;
	t->exit_seen = false;
	t->mode = MODE_LIST;
	t->rows.stale = true;
	set_status(t, false, "watching process %d", (int)pid);
	return rebuild_rows(t);
}

static void change_interval(struct tui *t, int dir)
{
	int i, k = 0;

	for (i = 0; i < NINTERVALS; i++)
		if (intervals[i] <= t->interval + 1e-9)
			k = i;
	k += dir;
	if (k < 0)
		k = 0;
	if (k >= NINTERVALS)
		k = NINTERVALS - 1;
	t->interval = intervals[k];
	set_status(t, false, "sampling every %gs", t->interval);
}

static void overlay_key(struct tui *t, int ch)
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
		set_status(t, false, "sorted by %s", row_sorts[t->rows.sort].label);
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

static void picker_key(struct tui *t, int ch)
{
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (t->pcursor < t->procs.n)
			watch_pid(t, t->procs.v[t->pcursor].pid);
		break;
	case 27:
		if (t->have_smp) {
			t->mode = t->back_mode;
			set_status(t, false, "%s", "");
		}
		break;
	case '/':
		t->searching = true;
		t->search_len = 0;
		break;
	case 'n':
		search_next(t);
		break;
	default:
		move_cursor(&t->pcursor, t->procs.n, ch, LINES - 4);
		break;
	}
}

static void open_picker(struct tui *t)
{
	t->back_mode = t->mode == MODE_DETAIL ? MODE_LIST : t->mode;
	t->mode = MODE_PICKER;
	picker_refresh(t);
}

static void handle_key(struct tui *t, int ch)
{
	if (t->searching) {
		search_key(t, ch);
		return;
	}
	if (ch == KEY_RESIZE) {
		clearok(curscr, TRUE);
		return;
	}
	if (t->overlay != OVERLAY_NONE) {
		if (ch == KEY_F(10)) {
			t->quit = true;
			return;
		}
		overlay_key(t, ch);
		return;
	}
	switch (ch) {
	case 'q':
	case KEY_F(10):
		t->quit = true;
		return;
	case '?':
	case KEY_F(1):
	case 'h':
		t->overlay = OVERLAY_HELP;
		return;
	case 'o':
		if (t->mode != MODE_PICKER)
			open_picker(t);
		return;
	case 12:	/* ^L */
		clearok(curscr, TRUE);
		return;
	}
	if (t->mode == MODE_PICKER) {
		picker_key(t, ch);
		return;
	}
	if (!t->have_smp)
		return;
	switch (ch) {
	case '\t':
		t->mode = t->mode == MODE_SUMMARY ? MODE_LIST : MODE_SUMMARY;
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (t->mode == MODE_DETAIL)
			t->mode = MODE_LIST;
		else
			open_detail(t);
		return;
	case 27:
	case KEY_BACKSPACE:
	case KEY_LEFT:
		if (t->mode == MODE_DETAIL || t->mode == MODE_SUMMARY)
			t->mode = MODE_LIST;
		return;
	case '/':
		t->searching = true;
		t->search_len = 0;
		if (t->mode != MODE_LIST)
			t->mode = MODE_LIST;
		return;
	case 'n':
		search_next(t);
		return;
	case 's':
	case KEY_F(6):
		t->overlay = OVERLAY_SORT;
		t->menu_cursor = t->rows.sort;
		return;
	case 'r':
		t->rows.reverse = !t->rows.reverse;
		t->rows.stale = true;
		set_status(t, false, "sorted by %s, %s", row_sorts[t->rows.sort].label,
			   t->rows.reverse ? "reversed" : "normal order");
		return;
	case 'k':
		t->overlay = OVERLAY_KINDS;
		t->menu_cursor = 0;
		return;
	case 'g':
		t->rows.group = (enum group_mode)((t->rows.group + 1) % GROUP_COUNT);
		t->rows.stale = true;
		set_status(t, false, "%s", t->rows.group == GROUP_IMAGE ? "grouped by image" :
			   t->rows.group == GROUP_KIND ? "grouped by kind" : "not grouped");
		return;
	case 'p':
	case ' ':
		t->paused = !t->paused;
		set_status(t, false, "%s", t->paused ? "paused: p resumes" : "resumed");
		return;
	case '+':
	case '=':
		change_interval(t, 1);
		return;
	case '-':
	case '_':
		change_interval(t, -1);
		return;
	case 'R':
		if (!t->smp.exited) {
			int rc = sampler_tick(&t->smp, true);

			if (rc > 0 && (rc & SAMPLE_FULL))
				t->rows.stale = true;
		}
		clearok(curscr, TRUE);
		return;
	}
	if (t->mode == MODE_DETAIL) {
		int page = LINES - 8;

		switch (ch) {
		case KEY_UP:
			t->detail_scroll--;
			break;
		case KEY_DOWN:
			t->detail_scroll++;
			break;
		case KEY_PPAGE:
			t->detail_scroll -= page;
			break;
		case KEY_NPAGE:
			t->detail_scroll += page;
			break;
		case KEY_HOME:
			t->detail_scroll = 0;
			break;
		case KEY_END:
			t->detail_scroll = 1 << 20;
			break;
		}
		return;
	}
	if (t->mode == MODE_LIST)
		move_cursor(&t->rows.cursor, t->rows.n, ch, LINES - 8);
}

/* After a sample: new rows, the newest warning, the exit. */
static void after_sample(struct tui *t, int rc)
{
	if (rc < 0) {
		set_status(t, true, "out of memory");
		return;
	}
	if (rc & SAMPLE_FULL)
		t->rows.stale = true;
	if (t->smp.exited && !t->exit_seen) {
		t->exit_seen = true;
		set_status(t, true, "%s: showing its last state (o picks another process, q quits)",
			   t->smp.exit_msg);
	} else if (t->smp.warning_seq != t->warning_seq) {
		t->warning_seq = t->smp.warning_seq;
		set_status_quoting(t, false, "warning: ", t->smp.warning);
	}
}

static void run_loop(struct tui *t)
{
	double next = sample_now() + t->interval;

	while (!t->quit && !watch_stop_requested()) {
		double now = sample_now(), wait;
		int ch, k;

		if (now >= next) {
			if (t->opt->iterations && t->samples >= t->opt->iterations)
				break;
			if (t->mode == MODE_PICKER && now - t->procs_at >= 2.0)
				picker_refresh(t);
			/* a process that exited counts on, so --iterations ends */
			if (t->have_smp && !t->paused) {
				if (!t->smp.exited)
					after_sample(t, sampler_tick(&t->smp, false));
				t->samples++;
			}
			next = now + t->interval;
		}
		if (t->have_smp && t->mode != MODE_PICKER && t->rows.stale &&
		    rebuild_rows(t) != 0)
			set_status(t, true, "out of memory");
		if (t->mode == MODE_DETAIL && t->smp.snap.pages == NULL &&
		    t->smp.pages_cost > 0 && t->smp.pages_cost < 0.05 && !t->smp.exited)
			sampler_load_pages(&t->smp);	/* cheap: keep the strip live */
		draw(t);

		wait = next - sample_now();
		if (wait > 0.25)
			wait = 0.25;
		if (wait < 0.01)
			wait = 0.01;
		timeout((int)(wait * 1000));
		ch = getch();
		/* every key already typed, then one redraw */
		for (k = 0; ch != ERR && k < 64 && !t->quit; k++) {
			handle_key(t, ch);
			if (t->rows.stale && t->have_smp && t->mode != MODE_PICKER &&
			    rebuild_rows(t) != 0)
				set_status(t, true, "out of memory");
			timeout(0);
			ch = getch();
		}
	}
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return MB_CUR_MAX > 1 && cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

int tui_run(const struct proc_source *src, pid_t pid, const struct tui_options *o)
{
	struct sigaction old_crash[NCRASH], old_int, old_term, old_hup;
	struct tui t;
	SCREEN *scr;
	int rc;

	if (o->json_lines)
		return watch_json_lines(src, pid, o);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmmap: --watch needs a terminal (--watch --json prints JSON Lines to a pipe)\n");
		return 1;
	}
	memset(&t, 0, sizeof(t));
	t.src = src;
	t.opt = o;
	t.interval = o->interval > 0 ? o->interval : 1.0;
	t.utf8 = locale_is_utf8();
	t.cache = sample_cache_new();
	if (pid > 0) {
		struct load_error err;

		/* errors before the screen goes up are ordinary messages */
		rc = sampler_open(&t.smp, src, pid, t.cache, &err);
		if (rc) {
			char esc[FORMAT_ESCAPED_SIZE(sizeof(err.msg))];

			format_escape_name(err.msg, esc, sizeof(esc));
			fprintf(stderr, "vmmap: %s\n", esc);
			sample_cache_free(t.cache);
			return err.kind == LOAD_NOT_FOUND ? TUI_EXIT_NOT_FOUND : 1;
		}
		t.have_smp = true;
		t.samples = 1;
		t.mode = MODE_LIST;
	} else {
		t.mode = MODE_PICKER;
	}

	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	sigaction(SIGHUP, NULL, &old_hup);
	/* ours first: ncurses keeps handlers it finds installed */
	watch_catch_stop_signals();
	catch_crashes(old_crash);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		restore_crashes(old_crash);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		fprintf(stderr, "vmmap: cannot set up the terminal (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		if (t.have_smp)
			sampler_close(&t.smp);
		sample_cache_free(t.cache);
		return 1;
	}
	screen_active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	t.color = o->color == 1 || (o->color < 0 && !(getenv("NO_COLOR") && *getenv("NO_COLOR")));
	if (t.color && has_colors()) {
		short c;

		start_color();
		use_default_colors();
		for (c = 0; c < 8; c++)
			init_pair((short)(c + 1), c, -1);
	} else {
		t.color = false;
	}

	if (t.have_smp) {
		if (rebuild_rows(&t) != 0)
			set_status(&t, true, "out of memory");
		after_sample(&t, 0);
	} else {
		picker_refresh(&t);
	}
	run_loop(&t);

	endwin();
	screen_active = false;
	delscreen(scr);
	restore_crashes(old_crash);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);

	rows_release(&t.rows);
	if (t.have_smp)
		sampler_close(&t.smp);
	process_list_release(&t.procs);
	sample_cache_free(t.cache);
	return 0;
}
