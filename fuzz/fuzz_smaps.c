/* fuzz_smaps: the smaps stream parser and smaps_rollup_parse.
 *
 * The input is parsed twice: in one call (smaps_parse), and fed to a
 * smaps_parser in chunks whose sizes come from the first four bytes of the
 * input (each chunk an exact-size heap copy, as read() would hand them
 * over). Both must report the same regions, the same result and the same
 * bad line; abort() otherwise. The last byte, when between 1 and 16, makes
 * the callback stop the parse after that many regions.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/smaps.h"

enum { STOP_RC = 7 };

struct run {
	unsigned long regions;
	unsigned long stop_at;	/* 0: never stop */
	uint64_t hash;
};

static int on_region(void *ctx, const struct smaps_entry *e)
{
	struct run *r = ctx;
	const struct maps_entry *m = &e->map;

	FUZZ_CHECK(m->name != NULL);
	FUZZ_CHECK(m->name[m->name_len] == '\0');
	FUZZ_CHECK(m->start <= m->end);
	FUZZ_CHECK(maps_name_classify(m->name, m->name_len) == m->name_kind);
	FUZZ_CHECK(e->counters.present < (1u << SMAPS_NFIELDS));
	FUZZ_CHECK(e->has_vm_flags || e->vm_flags == 0);

	r->hash = fuzz_hash(r->hash, &m->start, sizeof(m->start));
	r->hash = fuzz_hash(r->hash, &m->end, sizeof(m->end));
	r->hash = fuzz_hash(r->hash, &m->offset, sizeof(m->offset));
	r->hash = fuzz_hash(r->hash, &m->inode, sizeof(m->inode));
	r->hash = fuzz_hash(r->hash, &m->perms, sizeof(m->perms));
	r->hash = fuzz_hash(r->hash, &m->deleted, sizeof(m->deleted));
	r->hash = fuzz_hash(r->hash, m->name, m->name_len + 1);
	r->hash = fuzz_hash(r->hash, e->counters.v, sizeof(e->counters.v));
	r->hash = fuzz_hash(r->hash, &e->counters.present, sizeof(e->counters.present));
	r->hash = fuzz_hash(r->hash, &e->vm_flags, sizeof(e->vm_flags));
	r->regions++;
	if (r->stop_at && r->regions == r->stop_at)
		return STOP_RC;
	return 0;
}

static int parse_in_chunks(const uint8_t *data, size_t size, struct run *run,
			   unsigned long *bad_line)
{
	struct smaps_parser p;
	size_t steps[4] = { 1, 1, 1, 1 }, off = 0, k = 0, i;
	int rc = 0;

	for (i = 0; i < 4 && i < size; i++)
		steps[i] = data[i];
	if (!steps[0] && !steps[1] && !steps[2] && !steps[3])
		steps[0] = 1;	/* empty feeds are allowed, but not only those */

	smaps_parser_init(&p, on_region, run);
	while (off < size) {
		size_t n = steps[k++ % 4];
		char *chunk;

		if (n > size - off)
			n = size - off;
		chunk = fuzz_dup(data + off, n);
		rc = smaps_parser_feed(&p, chunk, n);
		free(chunk);
		off += n;
		if (rc)
			break;
	}
	if (!rc)
		rc = smaps_parser_finish(&p);
	FUZZ_CHECK(p.regions == run->regions);
	*bad_line = rc ? p.line_no : 0;
	smaps_parser_release(&p);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long stop_at = size && data[size - 1] <= 16 ? data[size - 1] : 0;
	struct run whole = { 0, stop_at, FUZZ_HASH_INIT };
	struct run chunked = { 0, stop_at, FUZZ_HASH_INIT };
	unsigned long bad_whole = 0, bad_chunked = 0;
	struct smaps_counters rollup;
	char *copy = fuzz_dup(data, size);
	int rc_whole, rc_chunked, rc;

	rc_whole = smaps_parse(copy, size, on_region, &whole, &bad_whole);
	FUZZ_CHECK(rc_whole == 0 || rc_whole == -EINVAL || rc_whole == STOP_RC);
	rc_chunked = parse_in_chunks(data, size, &chunked, &bad_chunked);

	if (rc_whole != rc_chunked || whole.regions != chunked.regions ||
	    whole.hash != chunked.hash || bad_whole != bad_chunked) {
		fprintf(stderr, "smaps_parse: rc %d, %lu regions, bad line %lu; "
			"fed in chunks: rc %d, %lu regions, bad line %lu%s\n",
			rc_whole, whole.regions, bad_whole, rc_chunked,
			chunked.regions, bad_chunked,
			whole.hash != chunked.hash ? "; regions differ" : "");
		abort();
	}

	rc = smaps_rollup_parse(copy, size, &rollup);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	free(copy);
	return 0;
}
