/* smaps.c: streaming parser for smaps and smaps_rollup. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/smaps.h"
#include "util/array.h"

struct key_def {
	const char *key;
	unsigned char len;
	unsigned char field;
	bool kb;		/* value is in kB */
};

/* In the order show_smap() prints them, which the parser takes as its
 * guess of the next key (see quick_key_line()); smaps_rollup's own keys,
 * printed in one block only, come last so they never break the guess. */
#define KEY(k, f, kb) { k, sizeof(k) - 1, f, kb }
static const struct key_def keys[] = {
	KEY("Size", SMAPS_SIZE, true),
	KEY("KernelPageSize", SMAPS_KERNEL_PAGE_SIZE, true),
	KEY("MMUPageSize", SMAPS_MMU_PAGE_SIZE, true),
	KEY("Rss", SMAPS_RSS, true),
	KEY("Pss", SMAPS_PSS, true),
	KEY("Pss_Dirty", SMAPS_PSS_DIRTY, true),
	KEY("Shared_Clean", SMAPS_SHARED_CLEAN, true),
	KEY("Shared_Dirty", SMAPS_SHARED_DIRTY, true),
	KEY("Private_Clean", SMAPS_PRIVATE_CLEAN, true),
	KEY("Private_Dirty", SMAPS_PRIVATE_DIRTY, true),
	KEY("Referenced", SMAPS_REFERENCED, true),
	KEY("Anonymous", SMAPS_ANONYMOUS, true),
	KEY("KSM", SMAPS_KSM, true),
	KEY("LazyFree", SMAPS_LAZY_FREE, true),
	KEY("AnonHugePages", SMAPS_ANON_HUGE, true),
	KEY("ShmemPmdMapped", SMAPS_SHMEM_PMD, true),
	KEY("FilePmdMapped", SMAPS_FILE_PMD, true),
	KEY("Shared_Hugetlb", SMAPS_SHARED_HUGETLB, true),
	KEY("Private_Hugetlb", SMAPS_PRIVATE_HUGETLB, true),
	KEY("Swap", SMAPS_SWAP, true),
	KEY("SwapPss", SMAPS_SWAP_PSS, true),
	KEY("Locked", SMAPS_LOCKED, true),
	KEY("THPeligible", SMAPS_THP_ELIGIBLE, false),
	KEY("ProtectionKey", SMAPS_PROTECTION_KEY, false),
	KEY("Pss_Anon", SMAPS_PSS_ANON, true),
	KEY("Pss_File", SMAPS_PSS_FILE, true),
	KEY("Pss_Shmem", SMAPS_PSS_SHMEM, true),
};
#undef KEY
enum { NKEYS = sizeof(keys) / sizeof(keys[0]) };

const char *smaps_field_key(enum smaps_field f)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].field == f)
			return keys[i].key;
	return NULL;
}

/* Mnemonics of show_smap_vma_flags(), current and historical. */
static const struct {
	char name[3];
	const char *what;
} vmflags[] = {
	{ "rd", "readable" },
	{ "wr", "writable" },
	{ "ex", "executable" },
	{ "sh", "shared" },
	{ "mr", "may read" },
	{ "mw", "may write" },
	{ "me", "may execute" },
	{ "ms", "may share" },
	{ "gd", "stack segment grows down" },
	{ "pf", "pure PFN range" },
	{ "gu", "may contain guard regions" },
	{ "lo", "pages are locked in memory" },
	{ "io", "memory mapped I/O area" },
	{ "sr", "sequential read advise provided" },
	{ "rr", "random read advise provided" },
	{ "dc", "do not copy area on fork" },
	{ "de", "do not expand area on remapping" },
	{ "lf", "lock on fault pages" },
	{ "ac", "area is accountable" },
	{ "nr", "swap space is not reserved for the area" },
	{ "ht", "area uses huge tlb pages" },
	{ "sf", "perform synchronous page faults" },
	{ "ar", "architecture specific flag" },
	{ "wf", "wipe on fork" },
	{ "dd", "do not include area into core dump" },
	{ "bt", "arm64 BTI guarded page" },
	{ "sd", "soft dirty flag" },
	{ "mm", "mixed map area" },
	{ "hg", "huge page advise flag" },
	{ "nh", "no huge page advise flag" },
	{ "mg", "mergeable advise flag" },
	{ "um", "userfaultfd missing tracking" },
	{ "uw", "userfaultfd wr-protect tracking" },
	{ "mt", "arm64 MTE allocation tags are enabled" },
	{ "ui", "userfaultfd minor fault" },
	{ "ss", "shadow stack page" },
	{ "dp", "droppable" },
	{ "sl", "sealed" },
	{ "ur", "userfaultfd read-write protect" },
	{ "nl", "non-linear mapping (removed)" },
	{ "mp", "MPX bounds table (removed)" },
	{ "dw", "deny write (removed)" },
	{ "??", "unknown flag bit" },
};

/* Every mnemonic but "??" is two lowercase letters: they are looked up by
 * those letters, for the five or so flags of every region, rather than
 * through the list. An entry is the index plus one; 0 says none. */
static unsigned char vmflag_by_letters[26 * 26];
static pthread_once_t vmflag_by_letters_once = PTHREAD_ONCE_INIT;

static bool lowercase_pair(const char name[2])
{
	return name[0] >= 'a' && name[0] <= 'z' && name[1] >= 'a' && name[1] <= 'z';
}

static void fill_vmflag_by_letters(void)
{
	int i;

	for (i = 0; i < vmflag_count(); i++)
		if (lowercase_pair(vmflags[i].name))
			vmflag_by_letters[(vmflags[i].name[0] - 'a') * 26 +
					  (vmflags[i].name[1] - 'a')] = (unsigned char)(i + 1);
}

int vmflag_count(void)
{
	return (int)(sizeof(vmflags) / sizeof(vmflags[0]));
}

int vmflag_index(const char name[2])
{
	if (lowercase_pair(name)) {
		pthread_once(&vmflag_by_letters_once, fill_vmflag_by_letters);
		return vmflag_by_letters[(name[0] - 'a') * 26 + (name[1] - 'a')] - 1;
	}
	return name[0] == '?' && name[1] == '?' ? vmflag_count() - 1 : -1;
}

const char *vmflag_name(int index)
{
	return index >= 0 && index < vmflag_count() ? vmflags[index].name : NULL;
}

const char *vmflag_description(int index)
{
	return index >= 0 && index < vmflag_count() ? vmflags[index].what : NULL;
}

static const struct key_def *find_key(const char *k, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].len == len && keys[i].key[0] == k[0] &&
		    memcmp(keys[i].key, k, len) == 0)
			return &keys[i];
	return NULL;
}

static int parse_vm_flags(const char *p, const char *end, uint64_t *mask)
{
	uint64_t m = 0;

	while (p < end) {
		int idx;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		if (end - p < 2 || (end - p > 2 && p[2] != ' '))
			return -EINVAL;
		idx = vmflag_index(p);
		m |= idx < 0 ? (1ULL << VMFLAG_UNKNOWN_BIT) : (1ULL << idx);
		p += 2;
	}
	*mask = m;
	return 0;
}

/* Whether the 8 bytes at p are all blanks. */
static inline bool eight_blanks(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w == 0x2020202020202020ULL;
}

/* memcmp(line, key, len) == 0 for a key of 1 to 16 bytes, without a
 * call: as two overlapping words when it is long enough. */
static inline bool key_at(const char *line, const char *key, size_t len)
{
	uint64_t a, b, c, d;
	uint32_t e, f, g, h;

	if (len >= 8) {
		memcpy(&a, line, 8);
		memcpy(&b, key, 8);
		memcpy(&c, line + len - 8, 8);
		memcpy(&d, key + len - 8, 8);
		return a == b && c == d;
	}
	if (len >= 4) {
		memcpy(&e, line, 4);
		memcpy(&f, key, 4);
		memcpy(&g, line + len - 4, 4);
		memcpy(&h, key + len - 4, 4);
		return e == f && g == h;
	}
	while (len--)
		if (*line++ != *key++)
			return false;
	return true;
}

/* Skip the blanks before a value, a word at a time (the kernel pads keys
 * to a column), and read its digits into *v. Returns the end of the
 * digits, or NULL when there are none or they do not fit in 64 bits. */
static const char *read_value(const char *q, const char *end, uint64_t *v)
{
	uint64_t n = 0;
	int digits = 0;

	while (end - q >= 8 && eight_blanks(q))
		q += 8;
	while (q < end && *q == ' ')
		q++;
	while (q < end && *q >= '0' && *q <= '9') {
		unsigned int d = (unsigned int)(*q - '0');

		/* 19 digits cannot overflow: check only beyond */
		if (digits >= 19 && n > (UINT64_MAX - d) / 10)
			return NULL;
		n = n * 10 + d;
		q++;
		digits++;
	}
	if (!digits)
		return NULL;
	*v = n;
	return q;
}

/*
 * One "Key: value" line, whatever the key. When it is a known one, *next
 * is set to the index in keys[] after it: the key the kernel's order says
 * comes next, which quick_key_line() tries first.
 */
static int parse_key_line(const char *line, size_t len, struct smaps_counters *c,
			  uint64_t *vm_flags, bool *has_vm_flags, unsigned int *next)
{
	const char *end = line + len, *colon, *p;
	const struct key_def *k;
	uint64_t v;

	while (end > line && end[-1] == '\n')
		end--;
	colon = memchr(line, ':', (size_t)(end - line));
	if (!colon)
		return -EINVAL;
	if (colon - line == 7 && memcmp(line, "VmFlags", 7) == 0) {
		if (!vm_flags)
			return 0;
		if (parse_vm_flags(colon + 1, end, vm_flags))
			return -EINVAL;
		if (has_vm_flags)
			*has_vm_flags = true;
		return 0;
	}
	k = find_key(line, (size_t)(colon - line));
	if (!k) {
		/* A key this version does not know is skipped; anything else
		 * (a header the parser could not read) is an error, so its
		 * counters never land on the region before it. */
		for (p = line; p < colon; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			      (*p >= '0' && *p <= '9') || *p == '_'))
				return -EINVAL;
		return colon > line && line[0] >= 'A' && line[0] <= 'Z' ? 0 : -EINVAL;
	}
	*next = (unsigned int)(k - keys + 1) % NKEYS;
	p = read_value(colon + 1, end, &v);
	if (!p)
		return -EINVAL;
	if (k->kb) {
		/* a size that cannot be told in bytes is malformed: a
		 * kernel never prints one, a capture may */
		if (end - p != 3 || p[0] != ' ' || p[1] != 'k' || p[2] != 'B' ||
		    __builtin_mul_overflow(v, 1024, &v))
			return -EINVAL;
	} else if (p != end) {
		return -EINVAL;
	}
	c->v[k->field] = v;
	c->present |= 1u << k->field;
	return 0;
}

int smaps_parse_key_line(const char *line, size_t len, struct smaps_counters *c,
			 uint64_t *vm_flags, bool *has_vm_flags)
{
	unsigned int next;

	return parse_key_line(line, len, c, vm_flags, has_vm_flags, &next);
}

void smaps_parser_init(struct smaps_parser *p, smaps_region_cb cb, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->on_region = cb;
	p->ctx = ctx;
}

void smaps_parser_release(struct smaps_parser *p)
{
	free(p->namebuf);
	free(p->carry);
	memset(p, 0, sizeof(*p));
}

static int emit(struct smaps_parser *p)
{
	int rc = 0;

	if (p->have_cur) {
		p->have_cur = false;
		p->regions++;
		rc = p->on_region(p->ctx, &p->cur);
	}
	return rc;
}

static int parse_line(struct smaps_parser *p, const char *line, size_t len)
{
	p->line_no++;
	if (len == 0)
		return -EINVAL;
	if (maps_is_header(line, len)) {
		int rc = emit(p);

		if (rc)
			return rc;
		if (ARRAY_GROW(&p->namebuf, &p->namebuf_size, len + 1, 256))
			return -ENOMEM;
		memset(&p->cur.counters, 0, sizeof(p->cur.counters));
		p->next_key = 0;
		p->cur.vm_flags = 0;
		p->cur.has_vm_flags = false;
		if (maps_parse_line(line, len, &p->cur.map, p->namebuf,
				    p->namebuf_size))
			return -EINVAL;
		p->have_cur = true;
		return 0;
	}
	if (!p->have_cur)
		return -EINVAL;	/* a key before any header */
	return parse_key_line(line, len, &p->cur.counters, &p->cur.vm_flags,
			      &p->cur.has_vm_flags, &p->next_key);
}

/*
 * The line at s when it is the key the kernel's order says comes next with
 * a plain value ("Rss:      4 kB\n"), read in one pass that also finds its
 * end: nearly every line of smaps, without a search for the newline.
 * Returns the start of the next line, or NULL for anything else (another
 * key, a header, a line cut by the end of data, a malformed or very long
 * value), which parse_line() then reads as usual, errors included.
 */
static const char *quick_key_line(struct smaps_parser *p, const char *s,
				  const char *end)
{
	const struct key_def *k = &keys[p->next_key];
	const char *q = s + k->len;
	uint64_t v;

	if (!p->have_cur || q >= end || *q != ':' || !key_at(s, k->key, k->len))
		return NULL;
	q = read_value(q + 1, end, &v);
	if (!q)
		return NULL;
	if (k->kb) {
		if (end - q < 4 || q[0] != ' ' || q[1] != 'k' || q[2] != 'B' || q[3] != '\n' ||
		    __builtin_mul_overflow(v, 1024, &v))
			return NULL;
		q += 4;
	} else {
		if (q >= end || *q != '\n')
			return NULL;
		q++;
	}
	p->cur.counters.v[k->field] = v;
	p->cur.counters.present |= 1u << k->field;
	p->next_key = (unsigned int)(k - keys + 1) % NKEYS;
	p->line_no++;
	return q;
}

int smaps_parser_feed(struct smaps_parser *p, const char *data, size_t len)
{
	const char *s = data, *end = data + len, *nl;
	int rc;

	if (p->carry_len) {
		size_t n;

		nl = memchr(s, '\n', len);
		n = nl ? (size_t)(nl - s) : len;
		if (p->carry_len + n > MAPS_LINE_MAX) {
			p->line_no++;
			return -EINVAL;
		}
		if (ARRAY_GROW(&p->carry, &p->carry_cap, p->carry_len + n + 1, 0))
			return -ENOMEM;
		memcpy(p->carry + p->carry_len, s, n);
		p->carry_len += n;
		if (!nl)
			return 0;
		rc = parse_line(p, p->carry, p->carry_len);
		p->carry_len = 0;
		if (rc)
			return rc;
		s = nl + 1;
	}
	while (s < end) {
		const char *next = quick_key_line(p, s, end);

		if (next) {
			s = next;
			continue;
		}
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			break;
		rc = parse_line(p, s, (size_t)(nl - s));
		if (rc)
			return rc;
		s = nl + 1;
	}
	if (s < end) {
		size_t n = (size_t)(end - s);

		if (n > MAPS_LINE_MAX) {
			p->line_no++;
			return -EINVAL;
		}
		if (ARRAY_GROW(&p->carry, &p->carry_cap, n + 1, 0))
			return -ENOMEM;
		memcpy(p->carry, s, n);
		p->carry_len = n;
	}
	return 0;
}

int smaps_parser_finish(struct smaps_parser *p)
{
	int rc;

	if (p->carry_len) {
		rc = parse_line(p, p->carry, p->carry_len);
		p->carry_len = 0;
		if (rc)
			return rc;
	}
	return emit(p);
}

int smaps_parse(const char *text, size_t len, smaps_region_cb cb, void *ctx,
		unsigned long *bad_line)
{
	struct smaps_parser p;
	int rc;

	smaps_parser_init(&p, cb, ctx);
	rc = smaps_parser_feed(&p, text, len);
	if (!rc)
		rc = smaps_parser_finish(&p);
	if (bad_line)
		*bad_line = rc ? p.line_no : 0;
	smaps_parser_release(&p);
	return rc;
}

int smaps_read(const struct proc_handle *h, smaps_region_cb cb, void *ctx,
	       unsigned long *bad_line)
{
	/* seq_file hands out about a page per read(); a large buffer still
	 * saves syscalls on regular files (--sysroot) and costs nothing. */
	enum { CHUNK = 256 * 1024 };
	struct smaps_parser p;
	char *chunk;
	int fd, rc = 0;

	if (bad_line)
		*bad_line = 0;
	fd = proc_openat(h, "smaps");
	if (fd < 0)
		return fd;
	chunk = malloc(CHUNK);
	if (!chunk) {
		close(fd);
		return -ENOMEM;
	}
	smaps_parser_init(&p, cb, ctx);
	for (;;) {
		ssize_t n = read(fd, chunk, CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0) {
			rc = smaps_parser_finish(&p);
			break;
		}
		rc = smaps_parser_feed(&p, chunk, (size_t)n);
		if (rc)
			break;
	}
	if (rc == -EINVAL && bad_line)
		*bad_line = p.line_no;
	smaps_parser_release(&p);
	free(chunk);
	close(fd);
	return rc;
}

int smaps_rollup_parse(const char *text, size_t len, struct smaps_counters *out)
{
	const char *s = text, *end = text + len, *nl;
	bool header = false;

	memset(out, 0, sizeof(*out));
	while (s < end) {
		size_t n;

		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (n) {
			if (maps_is_header(s, n)) {
				if (header)
					return -EINVAL;
				header = true;
			} else if (!header ||
				   smaps_parse_key_line(s, n, out, NULL, NULL)) {
				return -EINVAL;
			}
		}
		s += n + 1;
	}
	return header ? 0 : -EINVAL;
}

int smaps_rollup_read(const struct proc_handle *h, struct smaps_counters *out)
{
	struct buf b = { 0 };
	int rc = proc_read_file(h, "smaps_rollup", &b);

	if (!rc)
		rc = b.len ? smaps_rollup_parse(b.data, b.len, out) : -ESRCH;
	buf_release(&b);
	return rc;
}


void smaps_batcher_release(struct smaps_batcher *b)
{
	smaps_parser_release(&b->parser);
}

void smaps_batch_free(void *state)
{
	struct smaps_batch *batch = state;

	if (!batch)
		return;
	free(batch->entries);
	free(batch->names);
	free(batch);
}

/* Collect a region; its name goes to the names area, and map.name holds
 * its offset there until the chunk is done (the area may move). */
static int batch_region(void *ctx, const struct smaps_entry *e)
{
	struct smaps_batch *batch = ctx;
	struct smaps_entry *to;
	size_t need = e->map.name_len + 1;

	if (ARRAY_GROW(&batch->entries, &batch->cap, batch->n + 1, 256) ||
	    ARRAY_GROW(&batch->names, &batch->names_cap, batch->names_len + need, 8192))
		return -ENOMEM;
	to = &batch->entries[batch->n++];
	*to = *e;
	memcpy(batch->names + batch->names_len, e->map.name, need);
	to->map.name = (const char *)(uintptr_t)batch->names_len;
	batch->names_len += need;
	return 0;
}

void smaps_batcher_init(struct smaps_batcher *b)
{
	/* the callback's batch is set for each chunk */
	smaps_parser_init(&b->parser, batch_region, NULL);
}

int smaps_batch_chunk(void *ctx, const char *data, size_t len, bool last, void **state)
{
	struct smaps_batcher *b = ctx;
	struct smaps_batch *batch = *state;
	size_t i;
	int rc = 0;

	if (!batch) {
		batch = calloc(1, sizeof(*batch));
		if (!batch)
			return -ENOMEM;
		*state = batch;
	}
	batch->n = 0;
	batch->names_len = 0;
	b->parser.ctx = batch;
	if (len)
		rc = smaps_parser_feed(&b->parser, data, len);
	if (!rc && last)
		rc = smaps_parser_finish(&b->parser);
	for (i = 0; i < batch->n; i++)
		batch->entries[i].map.name = batch->names +
					     (uintptr_t)batch->entries[i].map.name;
	return rc;
}
