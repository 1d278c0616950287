/* fuzz_snapshot: classification, geometry, selection, summaries and the
 * layout on arbitrary address spaces. See snapshot_input.h for the input
 * format (a plain smaps file is one). Every field of every region is
 * rendered, every string the model hands out is read to its end. */
#include "config.h"

#include "snapshot_input.h"
#include "model/classify.h"
#include "model/fields.h"
#include "model/layout.h"
#include "model/summary.h"

static void check_regions(const struct snapshot *s)
{
	const struct region *r;
	char buf[160];
	size_t i;
	int f;

	for (i = 0; i < s->nregions; i++) {
		r = &s->regions[i];
		FUZZ_CHECK(r->kind < KIND_COUNT);
		FUZZ_CHECK(r->image <= s->nimages);
		fuzz_touch(region_path(s, r));
		fuzz_touch(region_detail(s, r));
		fuzz_touch(region_image(s, r));
		for (f = 0; f < F_COUNT; f++) {
			const char *t;
			uint64_t v;

			FUZZ_CHECK(field_info(f) && field_info(f)->name);
			region_field_number(s, r, f, &v);
			memset(buf, 0x5a, sizeof(buf));
			t = region_field_text(s, r, f, buf, sizeof(buf));
			if (t)
				FUZZ_CHECK(fuzz_touch(t) < (t == buf ? sizeof(buf) : (size_t)-1));
		}
	}
	for (i = 0; i < s->nthreads; i++) {
		const struct thread *t = &s->threads[i];

		FUZZ_CHECK(t->stack >= -1 && t->stack < (long)s->nregions);
		if (t->stack < 0)
			continue;
		r = &s->regions[t->stack];
		switch (t->method) {
		case STACK_KERNEL_NAME:
			FUZZ_CHECK(r->kind == KIND_STACK);
			break;
		case STACK_POINTER:
			FUZZ_CHECK(r->kind == KIND_THREAD_STACK);
			if (!s->as.nviolations)
				FUZZ_CHECK((t->sp >= r->start && t->sp < r->end) ||
					   (t->sp - 1 >= r->start && t->sp - 1 < r->end));
			break;
		case STACK_GUARD_PATTERN:
			FUZZ_CHECK(r->kind == KIND_THREAD_STACK);
			break;
		default:
			FUZZ_CHECK(!"a thread with a stack has a method");
		}
	}
	for (i = 0; i < s->nimages; i++)
		fuzz_touch(image_why_unread(s, &s->images[i]));
	for (i = 0; i < s->as.nviolations; i++)
		fuzz_touch(s->as.violations[i].why);
	for (i = 0; i < s->nwarnings; i++)
		fuzz_touch(s->warnings[i]);
}

static void check_selection(const struct snapshot *s, const struct region_filter *filter,
			    int sort_field)
{
	struct selection sel;
	struct summary sum;
	size_t i;

	if (selection_build(&sel, s, filter, sort_field))
		abort();
	FUZZ_CHECK(sel.n <= s->nregions);
	for (i = 0; i < sel.n; i++)
		FUZZ_CHECK(sel.idx[i] < s->nregions);
	/* everything, in address order, is the regions as they are */
	if (!filter->kinds && !filter->has_range && sort_field < 0) {
		FUZZ_CHECK(sel.n == s->nregions);
		for (i = 0; i < sel.n; i++)
			FUZZ_CHECK(sel.idx[i] == i);
	}
	summary_compute(&sum, s, &sel);
	FUZZ_CHECK(sum.totals.regions == sel.n);
	selection_release(&sel);
}

/* When the address space broke none of its rules (sorted, non-empty,
 * canonical regions below the task size) and its top is known, the rows
 * tile it: from 2^64 - 1 down to 0, each row starting where the one below
 * ends. */
static void check_layout(const struct snapshot *s)
{
	bool tiles = s->as.nviolations == 0 && s->as.task_size_known &&
		     (s->as.hole_known || s->elf_class == 32);
	struct layout l;
	size_t i;

	if (layout_compute(&l, s))
		abort();
	for (i = 0; i < l.nrows; i++) {
		const struct layout_row *row = &l.rows[i];

		FUZZ_CHECK(memchr(row->label, '\0', sizeof(row->label)));
		FUZZ_CHECK(memchr(row->notes, '\0', sizeof(row->notes)));
		if (!tiles)
			continue;
		FUZZ_CHECK(row->start <= row->last);
		if (i == 0)
			FUZZ_CHECK(row->last == UINT64_MAX);
		else
			FUZZ_CHECK(row->last + 1 == l.rows[i - 1].start);
		if (i == l.nrows - 1)
			FUZZ_CHECK(row->start == 0);
	}
	layout_release(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot snap;
	struct region_filter filter = { 0 };
	uint64_t h = fuzz_hash(FUZZ_HASH_INIT, data, size);
	size_t i;
	int rc;

	if (fuzz_build_snapshot(data, size, &snap))
		return 0;
	check_regions(&snap);

	/* analysis is a pure function of the snapshot: run it again */
	rc = snapshot_classify(&snap);
	FUZZ_CHECK(rc == 0);

	check_selection(&snap, &filter, -1);
	check_selection(&snap, &filter, (int)(h % F_COUNT));
	filter.kinds = (uint32_t)(h >> 8) & ((1u << KIND_COUNT) - 1);
	filter.has_range = true;
	filter.range_start = snap.regions[0].start;
	filter.range_end = snap.regions[snap.nregions / 2].end;
	check_selection(&snap, &filter, (int)((h >> 32) % F_COUNT));
	check_layout(&snap);

	for (i = 0; i < snap.nregions; i++) {
		long k = snapshot_find_region(&snap, snap.regions[i].start);

		FUZZ_CHECK(k >= -1 && k < (long)snap.nregions);
		address_space_is_canonical(&snap.as, snap.regions[i].start);
	}
	snapshot_release(&snap);
	return 0;
}
