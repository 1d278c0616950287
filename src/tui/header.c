/* header.c: the first lines: the process, its age and the interval; RSS
 * and PSS with their changes and sparklines; USS, dirty, swap. */
#include "config.h"

#include <stdio.h>

#include "output/format.h"
#include "tui/draw.h"
#include "tui/screen.h"

static void age_text(double secs, char *out, size_t n)
{
	unsigned long s = (unsigned long)secs;

	if (s >= 86400)
		snprintf(out, n, "%lud %02lu:%02lu:%02lu", s / 86400, s / 3600 % 24,
			 s / 60 % 60, s % 60);
	else
		snprintf(out, n, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
}

static const char *spark_glyph(int level)
{
	static const char *const utf8[] = { "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const ascii[] = { ".", ":", "-", "=", "+", "*", "#", "%" };

	if (level < 0)
		level = 0;
	if (level > 7)
		level = 7;
	return draw_utf8() ? utf8[level] : ascii[level];
}

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
		put_text(y, x + i, 1, spark_glyph(level),
			 color_attr(which ? COLOR_CYAN : COLOR_GREEN));
	}
}

/* A total's value, its change since the start and since the last sample,
 * each "-" when unknown; the three buffers hold 32 bytes. */
static void total_texts(const struct sampler *sm, enum total_field f,
			char *v, char *ds, char *dl)
{
	bool known = totals_has(&sm->cur, f);
	int64_t d;

	size_text(sm->cur.v[f], known, v, 32);
	/* a change int64_t cannot hold (a capture's counters) is unknown */
	if (known && totals_has(&sm->first, f) &&
	    !__builtin_sub_overflow(sm->cur.v[f], sm->first.v[f], &d))
		delta_text(d, ds, 32);
	else
		snprintf(ds, 32, "-");
	if (known && totals_has(&sm->prev, f) &&
	    !__builtin_sub_overflow(sm->cur.v[f], sm->prev.v[f], &d))
		delta_text(d, dl, 32);
	else
		snprintf(dl, 32, "-");
}

static void total_line(const struct tui *t, int y, enum total_field f, const char *label,
		       int spark)
{
	char v[32], ds[32], dl[32], line[160];
	int used;

	total_texts(&t->smp, f, v, ds, dl);
	/* with --diff the changes are since the saved snapshot */
	snprintf(line, sizeof(line), "%-5s %6s  %s %7s  last %7s ", label, v,
		 t->smp.baseline ? " snap" : "start", ds, dl);
	used = put_text(y, 0, COLS, line, A_NORMAL);
	put_text(y, 0, 5, label, A_BOLD);
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

void header_draw(struct tui *t)
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
	x = put_text(0, 0, COLS, line, A_BOLD);
	if (sm->exited)
		x += put_text(0, x, COLS - x, "[exited] ", A_BOLD | color_attr(COLOR_RED));
	else if (t->paused)
		x += put_text(0, x, COLS - x, "[paused] ", A_BOLD | color_attr(COLOR_YELLOW));
	put_tail(0, x, COLS - x, esc, A_NORMAL);

	total_line(t, 1, TOTAL_RSS, "RSS", 0);
	total_line(t, 2, TOTAL_PSS, "PSS", 1);
	small_total(t, a, sizeof(a), TOTAL_USS, "USS");
	small_total(t, b, sizeof(b), TOTAL_DIRTY, "DIRTY");
	small_total(t, c, sizeof(c), TOTAL_SWAP, "SWAP");
	snprintf(line, sizeof(line), "%s  %s  %s  regions %zu", a, b, c, s->nregions);
	put_text(3, 0, COLS, line, A_NORMAL);
}
