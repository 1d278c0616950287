/* fuzz_numa_maps: the numa_maps stream parser and numa_maps_join.
 *
 * As fuzz_smaps: the input is parsed in one call (numa_maps_parse) and fed
 * to a numa_maps_parser in chunks whose sizes come from the first four
 * bytes of the input; both must report the same lines, result and bad
 * line, or it aborts. The last byte, when between 1 and 16, makes the
 * callback stop the parse after that many lines. Every line must keep the
 * header's promises: NUL-terminated texts of the lengths given, node list
 * inside the policy text, nodes ascending below NUMA_MAPS_NODE_MAX. The
 * starts of the lines, when ascending, are joined with themselves.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/numa_maps.h"

enum { STOP_RC = 7, MAX_STARTS = 4096 };

struct run {
	unsigned long lines;
	unsigned long stop_at;	/* 0: never stop */
	uint64_t hash;
	uint64_t *starts;	/* the first MAX_STARTS starts */
};

static int on_line(void *ctx, const struct numa_maps_entry *e)
{
	struct run *r = ctx;
	const struct numa_policy *pol = &e->policy;
	size_t i;

	FUZZ_CHECK(pol->text != NULL && fuzz_touch(pol->text) == pol->text_len);
	FUZZ_CHECK(pol->nodelist >= pol->text &&
		   pol->nodelist + pol->nodelist_len == pol->text + pol->text_len);
	FUZZ_CHECK(fuzz_touch(pol->nodelist) == pol->nodelist_len);
	FUZZ_CHECK(pol->flags < (NUMA_POLICY_F_UNKNOWN << 1));
	FUZZ_CHECK(!pol->nodes_incomplete || pol->text_len == 63 || pol->text_len == 49);
	FUZZ_CHECK(fuzz_touch(numa_policy_mode_name(pol->mode)) > 0);
	FUZZ_CHECK(!e->file || fuzz_touch(e->file) == e->file_len);
	FUZZ_CHECK(e->file || (!e->deleted && e->file_len == 0));
	FUZZ_CHECK(e->stack || e->stack_tid == 0);
	FUZZ_CHECK(e->present < (1u << NUMA_NFIELDS));
	FUZZ_CHECK(e->n_nodes <= NUMA_MAPS_NODE_MAX);
	for (i = 0; i < e->n_nodes; i++) {
		FUZZ_CHECK(e->nodes[i].node < NUMA_MAPS_NODE_MAX);
		FUZZ_CHECK(i == 0 || e->nodes[i].node > e->nodes[i - 1].node);
	}
	for (i = 0; i < NUMA_NFIELDS; i++)
		FUZZ_CHECK(numa_maps_has(e, i) || e->v[i] == 0);
	(void)numa_maps_pages(e);

	r->hash = fuzz_hash(r->hash, &e->start, sizeof(e->start));
	r->hash = fuzz_hash(r->hash, pol->text, pol->text_len + 1);
	r->hash = fuzz_hash(r->hash, &pol->mode, sizeof(pol->mode));
	r->hash = fuzz_hash(r->hash, &pol->flags, sizeof(pol->flags));
	r->hash = fuzz_hash(r->hash, pol->nodes, sizeof(pol->nodes));
	r->hash = fuzz_hash(r->hash, &pol->nodes_incomplete, sizeof(pol->nodes_incomplete));
	if (e->file)
		r->hash = fuzz_hash(r->hash, e->file, e->file_len + 1);
	r->hash = fuzz_hash(r->hash, &e->deleted, sizeof(e->deleted));
	r->hash = fuzz_hash(r->hash, &e->heap, sizeof(e->heap));
	r->hash = fuzz_hash(r->hash, &e->stack, sizeof(e->stack));
	r->hash = fuzz_hash(r->hash, &e->stack_tid, sizeof(e->stack_tid));
	r->hash = fuzz_hash(r->hash, &e->huge, sizeof(e->huge));
	r->hash = fuzz_hash(r->hash, e->v, sizeof(e->v));
	r->hash = fuzz_hash(r->hash, &e->present, sizeof(e->present));
	r->hash = fuzz_hash(r->hash, &e->unknown_keys, sizeof(e->unknown_keys));
	for (i = 0; i < e->n_nodes; i++) {
		r->hash = fuzz_hash(r->hash, &e->nodes[i].node, sizeof(e->nodes[i].node));
		r->hash = fuzz_hash(r->hash, &e->nodes[i].pages, sizeof(e->nodes[i].pages));
	}
	if (r->starts && r->lines < MAX_STARTS)
		r->starts[r->lines] = e->start;
	r->lines++;
	if (r->stop_at && r->lines == r->stop_at)
		return STOP_RC;
	return 0;
}

static int parse_in_chunks(const uint8_t *data, size_t size, struct run *run,
			   unsigned long *bad_line)
{
	struct numa_maps_parser p;
	size_t steps[4] = { 1, 1, 1, 1 }, off = 0, k = 0, i;
	int rc = 0;

	for (i = 0; i < 4 && i < size; i++)
		steps[i] = data[i];
	if (!steps[0] && !steps[1] && !steps[2] && !steps[3])
		steps[0] = 1;	/* empty feeds are allowed, but not only those */

	numa_maps_parser_init(&p, on_line, run);
	while (off < size) {
		size_t n = steps[k++ % 4];
		char *chunk;

		if (n > size - off)
			n = size - off;
		chunk = fuzz_dup(data + off, n);
		rc = numa_maps_parser_feed(&p, chunk, n);
		free(chunk);
		off += n;
		if (rc)
			break;
	}
	if (!rc)
		rc = numa_maps_parser_finish(&p);
	FUZZ_CHECK(p.entries == run->lines);
	*bad_line = rc == -EINVAL ? p.line_no : 0;
	numa_maps_parser_release(&p);
	return rc;
}

static void check_join(const uint64_t *starts, size_t n)
{
	size_t *out = malloc((n ? n : 1) * sizeof(*out)), i;
	bool ascending = true;
	long matched;

	FUZZ_CHECK(out != NULL);
	for (i = 1; i < n; i++)
		ascending &= starts[i] > starts[i - 1];
	matched = numa_maps_join(starts, n, starts, n, out);
	if (!ascending) {
		FUZZ_CHECK(matched == -EINVAL);
	} else {
		FUZZ_CHECK(matched == (long)n);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(out[i] == i);
		/* every other line against all of them */
		if (n > 1) {
			uint64_t *half = malloc(((n + 1) / 2) * sizeof(*half));

			FUZZ_CHECK(half != NULL);
			for (i = 0; i < n; i += 2)
				half[i / 2] = starts[i];
			matched = numa_maps_join(starts, n, half, (n + 1) / 2, out);
			FUZZ_CHECK(matched == (long)((n + 1) / 2));
			for (i = 0; i < n; i++)
				FUZZ_CHECK(out[i] == (i % 2 ? SIZE_MAX : i / 2));
			free(half);
		}
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long stop_at = size && data[size - 1] <= 16 ? data[size - 1] : 0;
	struct run whole = { 0, stop_at, FUZZ_HASH_INIT, NULL };
	struct run chunked = { 0, stop_at, FUZZ_HASH_INIT, NULL };
	unsigned long bad_whole = 0, bad_chunked = 0;
	char *copy = fuzz_dup(data, size);
	int rc_whole, rc_chunked;

	whole.starts = malloc(MAX_STARTS * sizeof(*whole.starts));
	FUZZ_CHECK(whole.starts != NULL);
	rc_whole = numa_maps_parse(copy, size, on_line, &whole, &bad_whole);
	FUZZ_CHECK(rc_whole == 0 || rc_whole == -EINVAL || rc_whole == STOP_RC);
	FUZZ_CHECK((rc_whole == -EINVAL) == (bad_whole != 0));
	rc_chunked = parse_in_chunks(data, size, &chunked, &bad_chunked);

	if (rc_whole != rc_chunked || whole.lines != chunked.lines ||
	    whole.hash != chunked.hash || bad_whole != bad_chunked) {
		fprintf(stderr, "numa_maps_parse: rc %d, %lu lines, bad line %lu; "
			"fed in chunks: rc %d, %lu lines, bad line %lu%s\n",
			rc_whole, whole.lines, bad_whole, rc_chunked,
			chunked.lines, bad_chunked,
			whole.hash != chunked.hash ? "; lines differ" : "");
		abort();
	}
	check_join(whole.starts, whole.lines < MAX_STARTS ? whole.lines : MAX_STARTS);
	free(whole.starts);
	free(copy);
	return 0;
}
