/* fuzz_pagemap: pagemap entries and PAGEMAP_SCAN regions into the run
 * builder. The input is a stream of 8-byte entries; its first byte picks
 * the run cap. Invariants: runs are ordered, never empty, never adjacent
 * with the same state, cover the fed range unless the cap cut them, and
 * the counts add up. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "proc/pagemap.h"

enum { PS = 4096 };

static void check_runs(const struct page_scan *ps, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < ps->nruns; i++) {
		const struct page_run *r = &ps->runs[i];

		FUZZ_CHECK(r->start < r->end);
		FUZZ_CHECK(r->state >= PAGE_NONE && r->state <= PAGE_GUARD);
		if (i) {
			FUZZ_CHECK(ps->runs[i - 1].end == r->start);
			FUZZ_CHECK(ps->runs[i - 1].state != r->state);
		}
	}
	if (ps->nruns) {
		FUZZ_CHECK(ps->runs[0].start == start);
		FUZZ_CHECK(ps->runs_truncated || ps->runs[ps->nruns - 1].end == end);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page_scan ps;
	uint64_t *e, start = 0x7f0000000000ULL;
	size_t n, i, cap;

	if (size < 1)
		return 0;
	cap = (size_t)data[0] % 64 + 1;
	data++;
	size--;
	n = size / 8;
	e = malloc((n ? n : 1) * sizeof(*e));
	if (!e)
		return 0;
	memcpy(e, data, n * 8);

	/* entries, fed in two halves to cross a feed boundary */
	page_scan_init(&ps, cap);
	FUZZ_CHECK(page_scan_feed_entries(&ps, start, PS, e, n / 2) == 0);
	FUZZ_CHECK(page_scan_feed_entries(&ps, start + n / 2 * PS, PS, e + n / 2, n - n / 2) == 0);
	check_runs(&ps, start, start + n * PS);
	FUZZ_CHECK(ps.counts.present == ps.counts.file + ps.counts.anon);
	FUZZ_CHECK(ps.counts.present + ps.counts.swapped + ps.counts.guard <= n);
	FUZZ_CHECK(ps.counts.exclusive <= ps.counts.present);
	page_scan_release(&ps);

	/* the same words as PAGEMAP_SCAN regions: (length in pages, categories) */
	page_scan_init(&ps, cap);
	{
		uint64_t cur = start;

		for (i = 0; i + 1 < n; i += 2) {
			uint64_t pages = e[i] % 1024 + 1;

			FUZZ_CHECK(page_scan_feed_region(&ps, cur, cur + pages * PS, e[i + 1], PS) == 0);
			cur += pages * PS;
		}
		check_runs(&ps, start, cur);
		FUZZ_CHECK(ps.counts.present == ps.counts.file + ps.counts.anon);
	}
	page_scan_release(&ps);
	free(e);
	return 0;
}
