/* rows.c: the region list's rows: filtered, sorted, grouped; the cursor
 * that follows its region; search. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/fields.h"
#include "model/snapshot.h"
#include "model/sum.h"
#include "tui/rows.h"

const struct row_sort row_sorts[ROW_NSORTS] = {
	{ "address", SORT_ADDRESS },
	{ "SIZE", F_SIZE },
	{ "RSS", F_RSS },
	{ "PSS", F_PSS },
	{ "DIRTY", F_DIRTY },
	{ "SWAP", F_SWAP },
	{ "GROWTH", SORT_GROWTH },
	{ "KIND", F_KIND },
	{ "PATH", F_PATH },
};

uint64_t row_start(const struct sampler *smp, const struct row *r)
{
	switch (r->type) {
	case ROW_REGION:
		return smp->snap.regions[r->idx].start;
	case ROW_GHOST:
		return smp->ghosts[r->idx].start;
	default:
		return 0;
	}
}

int row_kind(const struct rows *rs, const struct sampler *smp, const struct row *r)
{
	switch (r->type) {
	case ROW_REGION:
		return smp->snap.regions[r->idx].kind;
	case ROW_GHOST:
		return smp->ghosts[r->idx].kind;
	default:
		return rs->groups[r->idx].kind;
	}
}

const char *row_path(const struct sampler *smp, const struct row *r)
{
	switch (r->type) {
	case ROW_REGION:
		return region_path(&smp->snap, &smp->snap.regions[r->idx]);
	case ROW_GHOST:
		return smp->ghosts[r->idx].path;
	default:
		return NULL;
	}
}

/* qsort_r()'s context */
struct order {
	const struct sampler *smp;
	bool reverse;
};

/* Growth since the start, largest first; unknown last; ties by index (so
 * by the order of the selection). */
static int cmp_growth(const void *a, const void *b, void *ctx)
{
	const struct order *o = ctx;
	const struct region_change *x = &o->smp->changes[*(const uint32_t *)a];
	const struct region_change *y = &o->smp->changes[*(const uint32_t *)b];
	int64_t dx = x->known ? x->d_start : INT64_MIN;
	int64_t dy = y->known ? y->d_start : INT64_MIN;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	return (*(const uint32_t *)a > *(const uint32_t *)b) -
	       (*(const uint32_t *)a < *(const uint32_t *)b);
}

static int cmp_row_start(const void *a, const void *b, void *ctx)
{
	const struct order *o = ctx;
	uint64_t x = row_start(o->smp, a), y = row_start(o->smp, b);
	int c = (x > y) - (x < y);

	return o->reverse ? -c : c;
}

/* The group of a row: an image (1..nimages), else a kind after them; by
 * kind alone, the kind. */
static uint32_t group_key(const struct rows *rs, const struct sampler *smp,
			  const struct row *r)
{
	const struct snapshot *s = &smp->snap;
	int kind = row_kind(rs, smp, r);

	if (rs->group == GROUP_KIND)
		return (uint32_t)kind;
	if (r->type == ROW_REGION && s->regions[r->idx].image)
		return s->regions[r->idx].image;
	return (uint32_t)(s->nimages + 1 + (size_t)kind);
}

static void group_init(struct row_group *gr, const struct rows *rs,
		       const struct snapshot *s, uint32_t key)
{
	int f;

	for (f = 0; f < SUM_NFIELDS; f++)
		sum_init(&gr->s[f]);
	if (rs->group == GROUP_IMAGE && key >= 1 && key <= s->nimages) {
		gr->name = strpool_get(&s->pool, s->images[key - 1].path);
		gr->kind = -1;
	} else {
		gr->kind = (int)(rs->group == GROUP_KIND ? key : key - s->nimages - 1);
		gr->name = region_kind_name(gr->kind);
	}
}

static void group_count(struct row_group *gr, const struct snapshot *s,
			const struct row *r)
{
	const struct region *reg;
	int f;

	gr->regions++;
	if (r->type != ROW_REGION)
		return;
	reg = &s->regions[r->idx];
	for (f = 0; f < SUM_NFIELDS; f++) {
		uint64_t v = 0;
		bool known = region_field_number(s, reg, sum_field_region_field(f), &v);

		sum_add(&gr->s[f], known, v);
	}
}

/* Group the rows (already in display order) under headings, groups in the
 * order their first row appears. Returns 0 or -ENOMEM. */
static int rows_group(struct rows *rs, const struct sampler *smp)
{
	const struct snapshot *s = &smp->snap;
	size_t nkeys = s->nimages + 1 + KIND_COUNT;
	uint32_t *first = NULL, *order = NULL, *keys = NULL;
	size_t *count = NULL, *pos = NULL;
	struct row *out = NULL;
	struct row_group *groups = NULL;
	size_t i, g, ng = 0, at = 0;
	int rc = -ENOMEM;

	first = malloc(nkeys * sizeof(*first));
	count = calloc(nkeys, sizeof(*count));
	pos = calloc(nkeys, sizeof(*pos));
	order = malloc(nkeys * sizeof(*order));
	keys = malloc((rs->n ? rs->n : 1) * sizeof(*keys));
	if (!first || !count || !pos || !order || !keys)
		goto out;
	for (i = 0; i < nkeys; i++)
		first[i] = UINT32_MAX;
	for (i = 0; i < rs->n; i++) {
		uint32_t k = group_key(rs, smp, &rs->v[i]);

		keys[i] = k;
		if (first[k] == UINT32_MAX) {
			first[k] = (uint32_t)ng;
			order[ng++] = k;
		}
		count[k]++;
	}
	out = malloc((rs->n + ng + 1) * sizeof(*out));
	groups = calloc(ng ? ng : 1, sizeof(*groups));
	if (!out || !groups)
		goto out;
	/* each heading, then room for its rows */
	for (g = 0; g < ng; g++) {
		uint32_t k = order[g];

		out[at].type = ROW_GROUP;
		out[at].idx = (uint32_t)g;
		at++;
		pos[k] = at;
		at += count[k];
		group_init(&groups[g], rs, s, k);
	}
	for (i = 0; i < rs->n; i++) {
		out[pos[keys[i]]++] = rs->v[i];
		group_count(&groups[first[keys[i]]], s, &rs->v[i]);
	}
	free(rs->v);
	free(rs->groups);
	rs->v = out;
	rs->n = at;
	rs->groups = groups;
	rs->ngroups = ng;
	out = NULL;
	groups = NULL;
	rc = 0;
out:
	free(first);
	free(count);
	free(pos);
	free(order);
	free(keys);
	free(out);
	free(groups);
	return rc;
}

void rows_remember_cursor(struct rows *rs, const struct sampler *smp)
{
	if (rs->valid && rs->generation == smp->generation &&
	    rs->cursor < rs->n && rs->v[rs->cursor].type != ROW_GROUP) {
		rs->cursor_start = row_start(smp, &rs->v[rs->cursor]);
		rs->cursor_known = true;
	}
}

int rows_build(struct rows *rs, const struct sampler *smp)
{
	const struct snapshot *s = &smp->snap;
	struct region_filter f = { .kinds = rs->kinds };
	struct order o = { smp, rs->reverse };
	int field = row_sorts[rs->sort].field;
	size_t i, n;
	int rc;

	rows_remember_cursor(rs, smp);
	if (rs->have_sel)
		selection_release(&rs->sel);
	rs->have_sel = false;
	rc = selection_build(&rs->sel, s, &f, field >= 0 ? field : -1);
	if (rc)
		return rc;
	rs->have_sel = true;
	if (field == SORT_GROWTH && rs->sel.n > 1)
		qsort_r(rs->sel.idx, rs->sel.n, sizeof(*rs->sel.idx), cmp_growth, &o);
	if (rs->reverse && field != SORT_ADDRESS)
		for (i = 0; i < rs->sel.n / 2; i++) {
			uint32_t x = rs->sel.idx[i];

			rs->sel.idx[i] = rs->sel.idx[rs->sel.n - 1 - i];
			rs->sel.idx[rs->sel.n - 1 - i] = x;
		}

	free(rs->v);
	free(rs->groups);
	rs->groups = NULL;
	rs->ngroups = 0;
	rs->valid = false;
	rs->v = malloc((rs->sel.n + smp->nghosts + 1) * sizeof(*rs->v));
	if (!rs->v) {
		rs->n = 0;
		return -ENOMEM;
	}
	n = 0;
	for (i = 0; i < rs->sel.n; i++)
		rs->v[n++] = (struct row){ rs->sel.idx[i], ROW_REGION };
	for (i = 0; i < smp->nghosts; i++)
		if (!rs->kinds || (rs->kinds >> smp->ghosts[i].kind) & 1)
			rs->v[n++] = (struct row){ (uint32_t)i, ROW_GHOST };
	rs->n = n;
	/* in address order the ghosts stand where they were */
	if (field == SORT_ADDRESS && n > 1)
		qsort_r(rs->v, n, sizeof(*rs->v), cmp_row_start, &o);
	if (rs->group != GROUP_NONE) {
		rc = rows_group(rs, smp);
		if (rc)
			return rc;
	}
	rs->generation = smp->generation;
	rs->stale = false;
	rs->valid = true;

	/* the cursor follows its region */
	if (rs->cursor >= rs->n)
		rs->cursor = rs->n ? rs->n - 1 : 0;
	if (rs->cursor_known)
		for (i = 0; i < rs->n; i++)
			if (rs->v[i].type != ROW_GROUP &&
			    row_start(smp, &rs->v[i]) == rs->cursor_start) {
				rs->cursor = i;
				break;
			}
	return 0;
}

void rows_release(struct rows *rs)
{
	if (rs->have_sel)
		selection_release(&rs->sel);
	rs->have_sel = false;
	free(rs->v);
	free(rs->groups);
	rs->v = NULL;
	rs->groups = NULL;
	rs->n = 0;
	rs->ngroups = 0;
	rs->cursor = 0;
	rs->valid = false;
	rs->cursor_known = false;
}

bool row_matches(const struct sampler *smp, const struct row *r, const char *needle)
{
	const struct snapshot *s = &smp->snap;
	const char *texts[3] = { NULL, NULL, NULL };
	int i;

	if (r->type == ROW_GROUP)
		return false;
	if (r->type == ROW_GHOST) {
		texts[0] = smp->ghosts[r->idx].path;
		texts[1] = region_kind_name(smp->ghosts[r->idx].kind);
	} else {
		const struct region *reg = &s->regions[r->idx];

		texts[0] = region_path(s, reg);
		texts[1] = region_kind_name(reg->kind);
		texts[2] = region_detail(s, reg);
	}
	for (i = 0; i < 3; i++)
		if (texts[i] && strcasestr(texts[i], needle))
			return true;
	return false;
}

bool rows_find(const struct rows *rs, const struct sampler *smp, const char *needle,
	       size_t from, size_t *at)
{
	size_t i;

	for (i = 1; i <= rs->n; i++) {
		size_t k = (from + i) % rs->n;

		if (row_matches(smp, &rs->v[k], needle)) {
			*at = k;
			return true;
		}
	}
	return false;
}
