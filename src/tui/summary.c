/* summary.c: the summary by kind of the regions shown, with the change
 * of RSS since the watch started. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "model/summary.h"
#include "tui/draw.h"
#include "tui/screen.h"

void summary_draw(struct tui *t, int y0, int rows)
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
	put_text(y, 0, 13, "KIND", A_REVERSE);
	put_right(y, 13, 8, "REGIONS", A_REVERSE);
	for (i = 0; i < 6; i++)
		put_right(y, 21 + i * 8, 8, names[i], A_REVERSE);
	put_right(y, 21 + 6 * 8, 12, t->smp.baseline ? "RSS/snap" : "RSS/start", A_REVERSE);
	y++;
	for (k = 0; k <= KIND_COUNT && y < y0 + rows; k++) {
		const struct kind_summary *ks = k < KIND_COUNT ? &sum.kinds[k] : &sum.totals;
		const struct kind_summary *fs = k < KIND_COUNT ? &first->kinds[k] : &first->totals;
		attr_t a = k < KIND_COUNT ? kind_attr(k) : A_BOLD;
		int64_t d;

		if (k < KIND_COUNT && !ks->regions)
			continue;
		put_text(y, 0, 13, k < KIND_COUNT ? region_kind_name(k) : "total", a);
		snprintf(b, sizeof(b), "%" PRIu64, ks->regions);
		put_right(y, 13, 8, b, k < KIND_COUNT ? A_NORMAL : A_BOLD);
		for (i = 0; i < 6; i++) {
			size_text(ks->s[fields[i]].v, ks->s[fields[i]].known, b, sizeof(b));
			put_right(y, 21 + i * 8, 8, b, k < KIND_COUNT ? A_NORMAL : A_BOLD);
		}
		/* a change int64_t cannot hold (a capture's counters) is not shown */
		if (ks->s[SUM_RSS].known && fs->s[SUM_RSS].known &&
		    !__builtin_sub_overflow(ks->s[SUM_RSS].v, fs->s[SUM_RSS].v, &d)) {
			delta_text(d, b, sizeof(b));
			put_right(y, 21 + 6 * 8, 12, d ? b : "", d > 0 ?
				  A_BOLD | color_attr(COLOR_YELLOW) : A_NORMAL);
		}
		y++;
	}
	if (t->rows.kinds && y < y0 + rows)
		put_text(y + 1, 0, COLS, "(only the kinds chosen with k)", A_DIM);
}
