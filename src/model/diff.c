/* diff.c: two snapshots of a process compared region by region, kind by
 * kind and image by image (diff.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "model/snapshot.h"
#include "util/array.h"

struct delta delta_of(struct sum before, struct sum after)
{
	struct delta d = { .before = before, .after = after };

	d.known = before.known && after.known &&
		  before.v <= INT64_MAX && after.v <= INT64_MAX;
	d.v = d.known ? (int64_t)after.v - (int64_t)before.v : 0;
	return d;
}

struct delta diff_region_delta(const struct snapshot *a, const struct region *ra,
				 const struct snapshot *b, const struct region *rb,
				 enum region_field f)
{
	struct sum x, y;
	uint64_t v = 0;
	bool known;

	sum_init(&x);
	sum_init(&y);
	if (ra) {
		known = region_field_number(a, ra, f, &v);
		sum_add(&x, known, v);
	}
	if (rb) {
		known = region_field_number(b, rb, f, &v);
		sum_add(&y, known, v);
	}
	if (f == F_SIZE) {
		x.v = ra ? region_size(ra) : 0;
		y.v = rb ? region_size(rb) : 0;
		x.known = y.known = true;
	}
	return delta_of(x, y);
}

/* Whether a counter differs, both being known (an unknown one is not a
 * change anybody can see). */
static bool field_changed(const struct snapshot *a, const struct region *ra,
			  const struct snapshot *b, const struct region *rb, enum region_field f)
{
	uint64_t va = 0, vb = 0;

	return region_field_number(a, ra, f, &va) && region_field_number(b, rb, f, &vb) &&
	       va != vb;
}

static unsigned int changes_of(const struct snapshot *a, const struct region *ra,
			       const struct snapshot *b, const struct region *rb)
{
	const char *pa = region_path(a, ra), *pb = region_path(b, rb);
	unsigned int c = 0;

	if (ra->start != rb->start)
		c |= DIFF_START;
	if (region_size(ra) != region_size(rb))
		c |= DIFF_SIZE;
	if (ra->perms != rb->perms)
		c |= DIFF_PERMS;
	if (ra->kind != rb->kind)
		c |= DIFF_KIND;
	if (strcmp(pa ? pa : "", pb ? pb : "") != 0)
		c |= DIFF_PATH;
	if (field_changed(a, ra, b, rb, F_RSS))
		c |= DIFF_RSS;
	if (field_changed(a, ra, b, rb, F_PSS))
		c |= DIFF_PSS;
	if (field_changed(a, ra, b, rb, F_DIRTY))
		c |= DIFF_DIRTY;
	if (field_changed(a, ra, b, rb, F_SWAP))
		c |= DIFF_SWAP;
	return c;
}

static uint64_t overlap(const struct region *x, const struct region *y)
{
	uint64_t s = x->start > y->start ? x->start : y->start;
	uint64_t e = x->end < y->end ? x->end : y->end;

	return e > s ? e - s : 0;
}

static int add_pair(struct diff *d, size_t *cap, long before, long after, unsigned int changes)
{
	if (ARRAY_GROW(&d->pairs, cap, d->npairs + 1, 64))
		return -ENOMEM;
	d->pairs[d->npairs++] = (struct diff_pair){ before, after, changes };
	return 0;
}

/* Order: by the address the pair is at now (after's start, or before's
 * for what was removed). */
struct both {
	const struct snapshot *a, *b;
};

static uint64_t pair_start(const struct diff_pair *p, const struct both *s)
{
	return p->after >= 0 ? s->b->regions[p->after].start : s->a->regions[p->before].start;
}

static int cmp_pairs(const void *x, const void *y, void *ctx)
{
	uint64_t a = pair_start(x, ctx), b = pair_start(y, ctx);

	if (a != b)
		return a < b ? -1 : 1;
	/* removed before added at one address */
	return ((const struct diff_pair *)y)->before >= 0 ? 1 : -1;
}

static struct diff_image *image_entry(struct diff *d, const char *path)
{
	size_t i;

	for (i = 0; i < d->nimages; i++)
		if (strcmp(d->images[i].path, path) == 0)
			return &d->images[i];
	if (ARRAY_GROW(&d->images, &d->images_cap, d->nimages + 1, 16))
		return NULL;
	memset(&d->images[d->nimages], 0, sizeof(d->images[0]));
	d->images[d->nimages].path = path;
	return &d->images[d->nimages++];
}

static int diff_images(struct diff *d, const struct snapshot *a, const struct snapshot *b)
{
	struct sum zero;
	size_t k, side;

	sum_init(&zero);
	for (side = 0; side < 2; side++) {
		const struct snapshot *s = side ? b : a;

		for (k = 0; k < s->nimages; k++) {
			const struct image *im = &s->images[k];
			struct diff_image *e = image_entry(d, strpool_get(&s->pool, im->path));

			if (!e)
				return -ENOMEM;
			if (side) {
				e->in_after = true;
				e->rss.after = im->rss;
				e->pss.after = im->pss;
				e->dirty.after = im->dirty;
			} else {
				e->in_before = true;
				e->rss.before = im->rss;
				e->pss.before = im->pss;
				e->dirty.before = im->dirty;
			}
		}
	}
	/* an image on one side only counts zero on the other */
	for (k = 0; k < d->nimages; k++) {
		struct diff_image *e = &d->images[k];

		if (!e->in_before)
			e->rss.before = e->pss.before = e->dirty.before = zero;
		if (!e->in_after)
			e->rss.after = e->pss.after = e->dirty.after = zero;
		e->rss = delta_of(e->rss.before, e->rss.after);
		e->pss = delta_of(e->pss.before, e->pss.after);
		e->dirty = delta_of(e->dirty.before, e->dirty.after);
	}
	return 0;
}

static int summarise(struct summary *out, const struct snapshot *s)
{
	struct region_filter all = { 0 };
	struct selection sel;
	int rc = selection_build(&sel, s, &all, -1);

	if (rc)
		return rc;
	summary_compute(out, s, &sel);
	selection_release(&sel);
	return 0;
}

int diff_compute(const struct snapshot *a, const struct snapshot *b, struct diff *d)
{
	bool *a_used = NULL, *b_used = NULL;
	size_t cap = 0, i, j;
	int rc = -ENOMEM, k, f;

	memset(d, 0, sizeof(*d));
	a_used = calloc(a->nregions + 1, sizeof(*a_used));
	b_used = calloc(b->nregions + 1, sizeof(*b_used));
	if (!a_used || !b_used)
		goto out;

	/* the same start address: the same region, changed or not (both
	 * lists are sorted: one merge) */
	for (i = 0, j = 0; i < a->nregions && j < b->nregions;) {
		if (a->regions[i].start < b->regions[j].start) {
			i++;
		} else if (a->regions[i].start > b->regions[j].start) {
			j++;
		} else {
			a_used[i] = b_used[j] = true;
			if (add_pair(d, &cap, (long)i, (long)j,
				     changes_of(a, &a->regions[i], b, &b->regions[j])))
				goto out;
			i++;
			j++;
		}
	}
	/* the rest by the largest overlap, each region once: a region that
	 * moved a little, or one split or merged (its first part kept its
	 * start and was matched above) */
	for (j = 0; j < b->nregions; j++) {
		long best = -1;
		uint64_t best_ov = 0;
		long lo;

		if (b_used[j])
			continue;
		lo = snapshot_find_region(a, b->regions[j].start);
		for (i = lo >= 0 ? (size_t)lo : 0; i < a->nregions; i++) {
			uint64_t ov;

			if (a->regions[i].start >= b->regions[j].end)
				break;
			ov = overlap(&a->regions[i], &b->regions[j]);
			if (!a_used[i] && ov > best_ov) {
				best_ov = ov;
				best = (long)i;
			}
		}
		if (best >= 0) {
			a_used[best] = b_used[j] = true;
			if (add_pair(d, &cap, best, (long)j,
				     changes_of(a, &a->regions[best], b, &b->regions[j])))
				goto out;
		}
	}
	for (j = 0; j < b->nregions; j++)
		if (!b_used[j] && add_pair(d, &cap, -1, (long)j, 0))
			goto out;
	for (i = 0; i < a->nregions; i++)
		if (!a_used[i] && add_pair(d, &cap, (long)i, -1, 0))
			goto out;
	qsort_r(d->pairs, d->npairs, sizeof(*d->pairs), cmp_pairs, &(struct both){ a, b });
	for (i = 0; i < d->npairs; i++) {
		const struct diff_pair *p = &d->pairs[i];

		if (p->before < 0)
			d->added++;
		else if (p->after < 0)
			d->removed++;
		else if (p->changes)
			d->changed++;
		else
			d->unchanged++;
	}

	rc = summarise(&d->before, a);
	if (!rc)
		rc = summarise(&d->after, b);
	if (rc)
		goto out;
	for (k = 0; k < KIND_COUNT; k++)
		for (f = 0; f < SUM_NFIELDS; f++)
			d->kinds[k][f] = delta_of(d->before.kinds[k].s[f], d->after.kinds[k].s[f]);
	for (f = 0; f < SUM_NFIELDS; f++)
		d->totals[f] = delta_of(d->before.totals.s[f], d->after.totals.s[f]);
	rc = diff_images(d, a, b);
out:
	free(a_used);
	free(b_used);
	if (rc)
		diff_release(d);
	return rc;
}

void diff_release(struct diff *d)
{
	free(d->pairs);
	free(d->images);
	memset(d, 0, sizeof(*d));
}
