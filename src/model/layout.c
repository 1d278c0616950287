/* layout.c: rows of the textbook picture. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/image.h"
#include "model/layout.h"
#include "model/snapshot.h"
#include "util/array.h"

enum group { G_NONE, G_EXE, G_HEAP, G_STACK, G_MMAP };

static int push(struct layout *l, size_t *cap, const struct layout_row *row)
{
	if (ARRAY_GROW(&l->rows, cap, l->nrows + 1, 32))
		return -ENOMEM;
	l->rows[l->nrows++] = *row;
	return 0;
}

static void note(struct layout_row *row, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct layout_row *row, const char *fmt, ...)
{
	size_t n = strlen(row->notes);
	va_list ap;

	if (n + 3 >= sizeof(row->notes))
		return;
	if (n) {
		strcpy(row->notes + n, ", ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(row->notes + n, sizeof(row->notes) - n, fmt, ap);
	va_end(ap);
}

static void init_row(struct layout_row *row, enum layout_row_type type,
		     uint64_t start, uint64_t last, const char *label)
{
	int k;

	memset(row, 0, sizeof(*row));
	row->type = type;
	row->start = start;
	row->last = last;
	row->kind = -1;
	sum_init(&row->rss);
	sum_init(&row->size_mapped);
	snprintf(row->label, sizeof(row->label), "%s", label);
	for (k = 0; k < KIND_COUNT; k++) {
		int f;

		for (f = 0; f < SUM_NFIELDS; f++)
			sum_init(&row->kinds[k].s[f]);
	}
}

static void add_region(struct layout_row *row, const struct snapshot *s,
		       const struct region *r)
{
	uint64_t v = 0;
	bool known;
	int f;

	row->nregions++;
	sum_add(&row->size_mapped, true, region_size(r));
	known = region_field_number(s, r, F_RSS, &v);
	sum_add(&row->rss, known, v);
	row->kinds[r->kind].regions++;
	for (f = 0; f < SUM_NFIELDS; f++) {
		known = region_field_number(s, r, sum_field_region_field(f), &v);
		sum_add(&row->kinds[r->kind].s[f], known, v);
	}
}

/* The image of the executable: the one at start_code, else the one whose
 * path is the exe link's. */
static uint32_t main_image(const struct snapshot *s)
{
	size_t i;

	if (s->mm_known) {
		long k = snapshot_find_region(s, s->stat.mm[MM_START_CODE]);

		if (k >= 0 && s->regions[k].image)
			return s->regions[k].image;
	}
	for (i = 0; i < s->nimages && s->exe; i++)
		if (strcmp(strpool_get(&s->pool, s->images[i].path), s->exe) == 0)
			return (uint32_t)i + 1;
	return 0;
}

static enum group group_of(const struct region *r, uint32_t exe)
{
	if (r->name_kind == MAPS_NAME_VSYSCALL)
		return G_NONE;
	if (exe && r->image == exe)
		return G_EXE;
	if (r->name_kind == MAPS_NAME_HEAP)
		return G_HEAP;
	if (r->name_kind == MAPS_NAME_STACK)
		return G_STACK;
	return G_MMAP;
}

static void attach_mm_fields(struct layout *l, const struct snapshot *s)
{
	int f;
	size_t i;

	if (!s->mm_known)
		return;
	for (f = 0; f < MM_NFIELDS; f++) {
		uint64_t v = s->stat.mm[f];
		struct layout_row *best = NULL;

		if (f == MM_BRK && !s->brk_known)
			continue;
		/* a field belongs to the row that holds it; an end field that
		 * sits exactly on a row's top belongs to that row */
		for (i = 0; i < l->nrows; i++) {
			struct layout_row *row = &l->rows[i];

			if (row->type == LROW_GAP || row->type == LROW_LOW)
				continue;
			if (v >= row->start && v <= row->last) {
				best = row;
				break;
			}
			if (!best && v == row->last + 1)
				best = row;
		}
		if (best)
			note(best, "%s 0x%" PRIx64, stat_mm_field_name(f), v);
	}
}

int layout_compute(struct layout *l, const struct snapshot *s)
{
	const struct address_space *as = &s->as;
	uint32_t exe = main_image(s);
	struct layout_row row, *cur = NULL;
	uint64_t top_user, next_start = 0;
	size_t cap = 0, i, nbottom;
	enum group cur_group = G_NONE;
	int rc;

	memset(l, 0, sizeof(*l));
	/* Build bottom-up, then reverse. */
	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];
		enum group g = group_of(r, exe);
		bool same;

		if (g == G_NONE)
			continue;
		/* EXE rows split by kind; MMAP rows run across holes */
		same = cur && g == cur_group &&
		       (g == G_MMAP || (g == G_EXE && cur->kind == r->kind && cur->last + 1 == r->start) ||
			((g == G_HEAP || g == G_STACK) && cur->last + 1 == r->start));
		if (!same) {
			if (r->start > next_start) {
				init_row(&row, next_start == 0 ? LROW_LOW : LROW_GAP,
					 next_start, r->start - 1,
					 next_start == 0 ? "unmapped low area" : "unmapped");
				if ((rc = push(l, &cap, &row)))
					goto fail;
			}
			switch (g) {
			case G_EXE:
				init_row(&row, LROW_EXE, r->start, r->end - 1,
					 region_kind_name(r->kind));
				row.kind = r->kind;
				break;
			case G_HEAP:
				init_row(&row, LROW_HEAP, r->start, r->end - 1, "heap");
				row.kind = KIND_HEAP;
				break;
			case G_STACK:
				init_row(&row, LROW_STACK, r->start, r->end - 1, "stack");
				row.kind = KIND_STACK;
				break;
			default:
				init_row(&row, LROW_MMAP, r->start, r->end - 1, "mmap area");
				break;
			}
			if ((rc = push(l, &cap, &row)))
				goto fail;
			cur = &l->rows[l->nrows - 1];
			cur_group = g;
		}
		cur->last = r->end - 1;
		add_region(cur, s, r);
		next_start = r->end;
	}

	top_user = as->task_size_known ? as->task_size : next_start;
	if (s->elf_class == 32 && !as->task_size_known)
		top_user = 0xffffe000ULL;
	if (top_user > next_start) {
		init_row(&row, LROW_GAP, next_start, top_user - 1, "unmapped");
		if ((rc = push(l, &cap, &row)))
			goto fail;
	}
	if (s->elf_class == 32) {
		init_row(&row, LROW_BEYOND, top_user, UINT64_MAX,
			 "not addressable (32-bit)");
		note(&row, "the 64-bit kernel lives above, out of this process's reach");
		if ((rc = push(l, &cap, &row)))
			goto fail;
	} else if (as->hole_known) {
		if (as->hole_start > top_user) {
			init_row(&row, LROW_GAP, top_user, as->hole_start - 1,
				 "never mapped (top page)");
			if ((rc = push(l, &cap, &row)))
				goto fail;
		}
		init_row(&row, LROW_HOLE, as->hole_start, as->hole_end,
			 "canonical hole");
		note(&row, "non-canonical with %d-level paging: bits 63..%d must equal bit %d",
		     as->paging_levels, as->va_bits, as->va_bits);
		if ((rc = push(l, &cap, &row)))
			goto fail;
		init_row(&row, LROW_KERNEL, as->kernel_start, UINT64_MAX, "kernel space");
		for (i = 0; i < s->nregions; i++)
			if (s->regions[i].name_kind == MAPS_NAME_VSYSCALL) {
				note(&row, "[vsyscall] 0x%" PRIx64 "-0x%" PRIx64 " visible to the process",
				     s->regions[i].start, s->regions[i].end);
				add_region(&row, s, &s->regions[i]);
			}
		if ((rc = push(l, &cap, &row)))
			goto fail;
	}

	attach_mm_fields(l, s);
	for (i = 0; i < l->nrows; i++) {
		struct layout_row *r = &l->rows[i];

		if (r->type == LROW_STACK) {
			if (s->stack_rlimit_known && s->stack_rlimit == UINT64_MAX)
				note(r, "rlimit unlimited");
			else if (s->stack_rlimit_known)
				note(r, "rlimit %" PRIu64 " KiB", s->stack_rlimit >> 10);
			else
				note(r, "rlimit unknown");
		}
		if (r->type == LROW_MMAP && r->nregions)
			note(r, "%u regions", r->nregions);
	}

	/* top of the address space first */
	nbottom = l->nrows;
	for (i = 0; i < nbottom / 2; i++) {
		row = l->rows[i];
		l->rows[i] = l->rows[nbottom - 1 - i];
		l->rows[nbottom - 1 - i] = row;
	}
	return 0;
fail:
	layout_release(l);
	return rc;
}

void layout_release(struct layout *l)
{
	free(l->rows);
	l->rows = NULL;
	l->nrows = 0;
}
