/* summary.c */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"
#include "model/summary.h"

static const enum region_field sum_fields[SUM_NFIELDS] = {
	[SUM_SIZE] = F_SIZE,
	[SUM_RSS] = F_RSS,
	[SUM_PSS] = F_PSS,
	[SUM_USS] = F_USS,
	[SUM_PRIVATE_DIRTY] = F_PRIVATE_DIRTY,
	[SUM_DIRTY] = F_DIRTY,
	[SUM_SWAP] = F_SWAP,
	[SUM_SWAP_PSS] = F_SWAPPSS,
};

enum region_field sum_field_region_field(enum sum_field f)
{
	return sum_fields[f];
}

const char *sum_field_name(enum sum_field f)
{
	return field_info(sum_fields[f])->name;
}

static bool passes(const struct region *r, const struct region_filter *f)
{
	if (f->kinds && !((f->kinds >> r->kind) & 1))
		return false;
	if (f->has_range && (r->end <= f->range_start || r->start > f->range_end))
		return false;
	return true;
}

/* qsort_r context */
struct sort_ctx {
	const struct snapshot *s;
	enum region_field field;
	int dir;		/* 1 ascending, -1 descending */
};

static int cmp_regions(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	const struct region *ra = &c->s->regions[ia], *rb = &c->s->regions[ib];
	const struct field_info *fi = field_info(c->field);
	int r = 0;

	if (fi->type == FIELD_TEXT) {
		char ba[160], bb[160];
		const char *ta = region_field_text(c->s, ra, c->field, ba, sizeof(ba));
		const char *tb = region_field_text(c->s, rb, c->field, bb, sizeof(bb));

		/* empty text sorts last */
		if (!ta || !tb)
			r = (!ta) - (!tb);
		else
			r = strcmp(ta, tb) * c->dir;
	} else {
		uint64_t va = 0, vb = 0;
		bool ka = region_field_number(c->s, ra, c->field, &va);
		bool kb = region_field_number(c->s, rb, c->field, &vb);

		/* unknown values sort last whatever the direction */
		if (!ka || !kb)
			r = (!ka) - (!kb);
		else if (va != vb)
			r = (va < vb ? -1 : 1) * c->dir;
	}
	if (r)
		return r;
	return (ia > ib) - (ia < ib);
}

int selection_build(struct selection *sel, const struct snapshot *s,
		    const struct region_filter *filter, int sort_field)
{
	size_t i;

	sel->n = 0;
	sel->idx = malloc((s->nregions ? s->nregions : 1) * sizeof(*sel->idx));
	if (!sel->idx)
		return -ENOMEM;
	for (i = 0; i < s->nregions; i++)
		if (passes(&s->regions[i], filter))
			sel->idx[sel->n++] = (uint32_t)i;
	if (sort_field >= 0 && sort_field != F_START) {
		const struct field_info *fi = field_info(sort_field);
		struct sort_ctx c = { s, sort_field, 1 };

		if (fi->type == FIELD_BYTES ||
		    (fi->type == FIELD_NUMBER && sort_field != F_INODE &&
		     sort_field != F_TID))
			c.dir = -1;
		qsort_r(sel->idx, sel->n, sizeof(*sel->idx), cmp_regions, &c);
	}
	return 0;
}

void selection_release(struct selection *sel)
{
	free(sel->idx);
	sel->idx = NULL;
	sel->n = 0;
}

/* The summed fields of one region, read once for its kind and the total. */
struct region_sums {
	uint64_t v[SUM_NFIELDS];
	bool known[SUM_NFIELDS];
};

static void read_sums(struct region_sums *rs, const struct snapshot *s,
		      const struct region *r)
{
	int f;

	for (f = 0; f < SUM_NFIELDS; f++)
		rs->known[f] = region_field_number(s, r, sum_fields[f], &rs->v[f]);
}

static void add(struct kind_summary *k, const struct region_sums *rs)
{
	int f;

	k->regions++;
	for (f = 0; f < SUM_NFIELDS; f++)
		sum_add(&k->s[f], rs->known[f], rs->v[f]);
}

static void start(struct kind_summary *k)
{
	int f;

	memset(k, 0, sizeof(*k));
	for (f = 0; f < SUM_NFIELDS; f++)
		sum_init(&k->s[f]);
}

void summary_compute(struct summary *out, const struct snapshot *s,
		     const struct selection *sel)
{
	size_t i;
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		start(&out->kinds[k]);
	start(&out->totals);
	for (i = 0; i < sel->n; i++) {
		const struct region *r = &s->regions[sel->idx[i]];
		struct region_sums rs;

		read_sums(&rs, s, r);
		add(&out->kinds[r->kind], &rs);
		add(&out->totals, &rs);
	}
}

uint32_t summary_overflows(const struct snapshot *s)
{
	struct sum all[SUM_NFIELDS];
	uint32_t mask = 0;
	size_t i;
	int f;

	for (f = 0; f < SUM_NFIELDS; f++)
		sum_init(&all[f]);
	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];
		struct region_sums rs;

		read_sums(&rs, s, r);
		for (f = 0; f < SUM_NFIELDS; f++) {
			if (region_field_overflows(r, sum_fields[f]))
				mask |= 1u << f;
			sum_add(&all[f], rs.known[f], rs.v[f]);
		}
	}
	for (f = 0; f < SUM_NFIELDS; f++)
		if (all[f].overflow)
			mask |= 1u << f;
	return mask;
}

int summary_numa(const struct snapshot *s, const struct selection *sel, uint64_t **out)
{
	size_t nodes = s->numa_node_count, i, k;
	uint64_t *t;

	*out = NULL;
	if (!s->numa)
		return -ENOENT;
	t = calloc((KIND_COUNT + 1) * (nodes ? nodes : 1), sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < sel->n; i++) {
		const struct region *r = &s->regions[sel->idx[i]];
		const struct region_numa *rn = &s->numa[sel->idx[i]];

		for (k = 0; rn->known && k < rn->n; k++) {
			const struct node_bytes *nb = &s->numa_nodes[rn->first + k];
			uint64_t *a = &t[r->kind * nodes + nb->node];
			uint64_t *b = &t[KIND_COUNT * nodes + nb->node];

			/* saturate: a capture's counts can be anything */
			*a = __builtin_add_overflow(*a, nb->bytes, a) ? UINT64_MAX : *a;
			*b = __builtin_add_overflow(*b, nb->bytes, b) ? UINT64_MAX : *b;
		}
	}
	*out = t;
	return 0;
}
