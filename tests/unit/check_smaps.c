/* check_smaps.c: the streaming smaps parser, key lines, VmFlags and
 * smaps_rollup (src/proc/smaps.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/smaps.h"
#include "util/array.h"
#include "unit_util.h"

/* A region as the callback saw it, with its name copied out (the parser's
 * name storage is only valid during the callback). */
struct rec {
	struct maps_entry map;
	char name[512];
	struct smaps_counters counters;
	uint64_t vm_flags;
	bool has_vm_flags;
};

struct collect {
	struct rec *v;
	size_t n;
	size_t cap;
	size_t stop_after;	/* return 1 from the callback after this many; 0 = never */
};

static int collect_cb(void *ctx, const struct smaps_entry *e)
{
	struct collect *c = ctx;
	struct rec *r;

	ck_assert_int_eq(ARRAY_GROW(&c->v, &c->cap, c->n + 1, 64), 0);
	r = &c->v[c->n++];
	memset(r, 0, sizeof(*r));
	r->map = e->map;
	ck_assert_uint_lt(e->map.name_len, sizeof(r->name));
	ck_assert_uint_eq(strlen(e->map.name), e->map.name_len);
	memcpy(r->name, e->map.name, e->map.name_len);
	r->map.name = NULL;
	r->counters = e->counters;
	r->vm_flags = e->vm_flags;
	r->has_vm_flags = e->has_vm_flags;
	if (c->stop_after && c->n == c->stop_after)
		return 1;
	return 0;
}

static void collect_free(struct collect *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void assert_same(const struct collect *a, const struct collect *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct rec *x = &a->v[i], *y = &b->v[i];

		ck_assert_uint_eq(x->map.start, y->map.start);
		ck_assert_uint_eq(x->map.end, y->map.end);
		ck_assert_uint_eq(x->map.offset, y->map.offset);
		ck_assert_uint_eq(x->map.inode, y->map.inode);
		ck_assert_uint_eq(x->map.perms, y->map.perms);
		ck_assert_int_eq(x->map.name_kind, y->map.name_kind);
		ck_assert_int_eq(x->map.deleted, y->map.deleted);
		ck_assert_str_eq(x->name, y->name);
		ck_assert_uint_eq(x->counters.present, y->counters.present);
		ck_assert_mem_eq(x->counters.v, y->counters.v, sizeof(x->counters.v));
		ck_assert_uint_eq(x->vm_flags, y->vm_flags);
		ck_assert_int_eq(x->has_vm_flags, y->has_vm_flags);
	}
}

static int parse_all(const char *text, size_t len, struct collect *c,
		     unsigned long *bad)
{
	return smaps_parse(text, len, collect_cb, c, bad);
}

/* The value of "Key:" in a rollup or smaps text, in kB, summed over all
 * occurrences (an independent, simple reading of the file). */
static uint64_t sum_key_kb(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;
	uint64_t sum = 0;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ':')
			sum += strtoull(p + kl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return sum;
}

static uint64_t flag_bit(const char *name)
{
	int i = vmflag_index(name);

	ck_assert_msg(i >= 0, "no VmFlags mnemonic %s", name);
	return 1ULL << i;
}

/* Every real capture: one region per maps line, in the same order and with
 * the same header fields; Size matches the range; the Rss sum is the
 * rollup's. */
START_TEST(test_fixture_smaps)
{
	char **cases = util_fixture_cases();
	size_t c;

	ck_assert_ptr_nonnull(cases[0]);
	for (c = 0; cases[c]; c++) {
		size_t slen, mlen, rlen, i;
		char *smaps = util_fixture_read(cases[c], "smaps", &slen);
		char *maps = util_fixture_read(cases[c], "maps", &mlen);
		char *rollup_text = util_fixture_read(cases[c], "smaps_rollup", &rlen);
		struct collect col = { 0 };
		struct smaps_counters rollup;
		unsigned long bad = 99;
		uint64_t rss = 0, anon = 0, pd = 0, clean = 0, swap = 0;
		const char *line = maps;
		int rc = parse_all(smaps, slen, &col, &bad);

		ck_assert_msg(rc == 0, "%s: smaps_parse = %d at line %lu", cases[c], rc, bad);
		ck_assert_uint_eq(bad, 0);
		ck_assert_uint_eq(col.n, util_count_lines(maps, mlen));
		for (i = 0; i < col.n; i++) {
			const struct rec *r = &col.v[i];
			const char *nl = strchr(line, '\n');
			struct maps_entry m;
			char name[512];

			ck_assert_ptr_nonnull(nl);
			ck_assert_int_eq(maps_parse_line(line, (size_t)(nl - line), &m,
							 name, sizeof(name)), 0);
			ck_assert_uint_eq(r->map.start, m.start);
			ck_assert_uint_eq(r->map.end, m.end);
			ck_assert_uint_eq(r->map.perms, m.perms);
			ck_assert_str_eq(r->name, m.name);
			line = nl + 1;

			ck_assert(r->has_vm_flags);
			ck_assert(smaps_has(&r->counters, SMAPS_SIZE));
			ck_assert_uint_eq(r->counters.v[SMAPS_SIZE], m.end - m.start);
			ck_assert(smaps_has(&r->counters, SMAPS_RSS));
			ck_assert(smaps_has(&r->counters, SMAPS_PSS));
			ck_assert(smaps_has(&r->counters, SMAPS_PRIVATE_DIRTY));
			ck_assert(smaps_has(&r->counters, SMAPS_KERNEL_PAGE_SIZE));
			ck_assert(smaps_has(&r->counters, SMAPS_THP_ELIGIBLE));
			ck_assert_uint_le(r->counters.v[SMAPS_THP_ELIGIBLE], 1);
			ck_assert_uint_ge(r->counters.v[SMAPS_KERNEL_PAGE_SIZE], 4096);
			ck_assert_uint_eq(r->counters.v[SMAPS_KERNEL_PAGE_SIZE] &
					  (r->counters.v[SMAPS_KERNEL_PAGE_SIZE] - 1), 0);
			ck_assert_uint_le(r->counters.v[SMAPS_RSS], r->counters.v[SMAPS_SIZE]);
			ck_assert_uint_le(r->counters.v[SMAPS_PSS], r->counters.v[SMAPS_RSS]);
			ck_assert_uint_eq(r->counters.v[SMAPS_RSS] % 1024, 0);
			/* the kernel only prints rd for readable VMAs */
			ck_assert_int_eq(!!(r->vm_flags & flag_bit("rd")),
					 !!(m.perms & MAPS_READ));
			ck_assert_int_eq(!!(r->vm_flags & flag_bit("ex")),
					 !!(m.perms & MAPS_EXEC));
			ck_assert(!(r->vm_flags & (1ULL << VMFLAG_UNKNOWN_BIT)));
			rss += r->counters.v[SMAPS_RSS];
			anon += r->counters.v[SMAPS_ANONYMOUS];
			pd += r->counters.v[SMAPS_PRIVATE_DIRTY];
			swap += r->counters.v[SMAPS_SWAP];
			clean += r->counters.v[SMAPS_PRIVATE_CLEAN] +
				 r->counters.v[SMAPS_SHARED_CLEAN];
		}
		/* the parser agrees with a plain reading of the text */
		ck_assert_uint_eq(rss, sum_key_kb(smaps, "Rss") * 1024);

		ck_assert_int_eq(smaps_rollup_parse(rollup_text, rlen, &rollup), 0);
		/* The capture reads smaps, then smaps_rollup, of an idle
		 * process: what it owns (Rss, anonymous, private dirty, swap)
		 * cannot change in between. How its clean file pages split
		 * into shared and private (and so Pss) depends on other
		 * processes mapping the same files, which can come and go
		 * between the two reads; only their sum is fixed. */
		ck_assert_uint_eq(rollup.v[SMAPS_RSS], rss);
		ck_assert_uint_eq(rollup.v[SMAPS_ANONYMOUS], anon);
		ck_assert_uint_eq(rollup.v[SMAPS_PRIVATE_DIRTY], pd);
		ck_assert_uint_eq(rollup.v[SMAPS_SWAP], swap);
		ck_assert_uint_eq(rollup.v[SMAPS_PRIVATE_CLEAN] +
				  rollup.v[SMAPS_SHARED_CLEAN], clean);
		ck_assert_uint_le(rollup.v[SMAPS_PSS], rollup.v[SMAPS_RSS]);

		collect_free(&col);
		free(smaps);
		free(maps);
		free(rollup_text);
	}
	util_free_list(cases);
}
END_TEST

START_TEST(test_rollup_fixture)
{
	char **cases = util_fixture_cases();
	size_t c;

	for (c = 0; cases[c]; c++) {
		size_t len;
		char *text = util_fixture_read(cases[c], "smaps_rollup", &len);
		struct smaps_counters r;

		ck_assert_int_eq(smaps_rollup_parse(text, len, &r), 0);
		ck_assert_uint_eq(r.v[SMAPS_RSS], sum_key_kb(text, "Rss") * 1024);
		ck_assert_uint_eq(r.v[SMAPS_PSS], sum_key_kb(text, "Pss") * 1024);
		ck_assert_uint_eq(r.v[SMAPS_PSS_ANON], sum_key_kb(text, "Pss_Anon") * 1024);
		ck_assert_uint_eq(r.v[SMAPS_PSS_FILE], sum_key_kb(text, "Pss_File") * 1024);
		ck_assert_uint_eq(r.v[SMAPS_LOCKED], sum_key_kb(text, "Locked") * 1024);
		ck_assert(smaps_has(&r, SMAPS_RSS));
		ck_assert(smaps_has(&r, SMAPS_PSS_DIRTY));
		ck_assert(smaps_has(&r, SMAPS_PSS_ANON));
		ck_assert(smaps_has(&r, SMAPS_PSS_FILE));
		ck_assert(smaps_has(&r, SMAPS_PSS_SHMEM));
		ck_assert(smaps_has(&r, SMAPS_SWAP_PSS));
		/* smaps_rollup has no Size, page sizes or THPeligible */
		ck_assert(!smaps_has(&r, SMAPS_SIZE));
		ck_assert(!smaps_has(&r, SMAPS_KERNEL_PAGE_SIZE));
		ck_assert(!smaps_has(&r, SMAPS_THP_ELIGIBLE));
		ck_assert_uint_eq(r.v[SMAPS_PSS], r.v[SMAPS_PSS_ANON] +
				  r.v[SMAPS_PSS_FILE] + r.v[SMAPS_PSS_SHMEM]);
		free(text);
	}
	util_free_list(cases);
}
END_TEST

START_TEST(test_rollup_malformed)
{
	static const char no_header[] = "Rss:                1824 kB\n";
	static const char two_headers[] =
		"55939bbd2000-7ffeeb999000 ---p 00000000 00:00 0   [rollup]\n"
		"Rss:                1824 kB\n"
		"55939bbd2000-7ffeeb999000 ---p 00000000 00:00 0   [rollup]\n";
	static const char bad_value[] =
		"55939bbd2000-7ffeeb999000 ---p 00000000 00:00 0   [rollup]\n"
		"Rss:                18x4 kB\n";
	static const char empty_mm[] =
		"00000000-00000000 ---p 00000000 00:00 0                                  [rollup]\n"
		"Rss:                   0 kB\n";
	struct smaps_counters r;

	ck_assert_int_eq(smaps_rollup_parse(no_header, strlen(no_header), &r), -EINVAL);
	ck_assert_int_eq(smaps_rollup_parse(two_headers, strlen(two_headers), &r), -EINVAL);
	ck_assert_int_eq(smaps_rollup_parse(bad_value, strlen(bad_value), &r), -EINVAL);
	ck_assert_int_eq(smaps_rollup_parse("", 0, &r), -EINVAL);
	ck_assert_int_eq(smaps_rollup_parse(empty_mm, strlen(empty_mm), &r), 0);
	ck_assert(smaps_has(&r, SMAPS_RSS));
	ck_assert_uint_eq(r.v[SMAPS_RSS], 0);
}
END_TEST

/* An old kernel's block: other key order, keys missing, unknown keys. */
START_TEST(test_old_kernel_order)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/smaps-old-kernel-order", &len);
	struct collect col = { 0 };
	unsigned long bad = 99;
	const struct rec *r;

	ck_assert_int_eq(parse_all(text, len, &col, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(col.n, 3);

	r = &col.v[0];
	ck_assert_str_eq(r->name, "/usr/lib64/libc-2.17.so");
	ck_assert_uint_eq(r->counters.v[SMAPS_SIZE], 1756 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_RSS], 1020 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_PSS], 37 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_SHARED_CLEAN], 1016 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_PRIVATE_CLEAN], 4 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_REFERENCED], 1012 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_KERNEL_PAGE_SIZE], 4096);
	ck_assert_uint_eq(r->counters.v[SMAPS_MMU_PAGE_SIZE], 4096);
	/* keys this kernel did not print are not present */
	ck_assert(!smaps_has(&r->counters, SMAPS_PSS_DIRTY));
	ck_assert(!smaps_has(&r->counters, SMAPS_KSM));
	ck_assert(!smaps_has(&r->counters, SMAPS_LAZY_FREE));
	ck_assert(!smaps_has(&r->counters, SMAPS_SWAP_PSS));
	ck_assert(!smaps_has(&r->counters, SMAPS_THP_ELIGIBLE));
	ck_assert(!smaps_has(&r->counters, SMAPS_SHARED_HUGETLB));
	ck_assert(!smaps_has(&r->counters, SMAPS_PROTECTION_KEY));
	ck_assert(smaps_has(&r->counters, SMAPS_SWAP));
	ck_assert(smaps_has(&r->counters, SMAPS_LOCKED));
	/* "dw" and "sd" are known, if historical */
	ck_assert_uint_eq(r->vm_flags, flag_bit("rd") | flag_bit("ex") | flag_bit("mr") |
			  flag_bit("mw") | flag_bit("me") | flag_bit("dw") | flag_bit("sd"));

	r = &col.v[1];
	ck_assert_int_eq(r->map.name_kind, MAPS_NAME_HEAP);
	ck_assert_uint_eq(r->map.start, 0x01d4f000);
	ck_assert_uint_eq(r->counters.v[SMAPS_RSS], 88 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_PSS], 86 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_PRIVATE_DIRTY], 88 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_REFERENCED], 84 * 1024);
	/* "Foo: 12 kB" right after Referenced changed nothing */
	ck_assert_uint_eq(r->counters.v[SMAPS_ANONYMOUS], 88 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_SWAP], 12 * 1024);
	ck_assert_uint_eq(r->counters.v[SMAPS_LOCKED], 0);
	ck_assert(!smaps_has(&r->counters, SMAPS_PSS_DIRTY));

	r = &col.v[2];
	ck_assert_int_eq(r->map.name_kind, MAPS_NAME_STACK);
	ck_assert_uint_eq(r->counters.v[SMAPS_RSS], 16 * 1024);
	ck_assert(r->vm_flags & flag_bit("gd"));

	collect_free(&col);
	free(text);
}
END_TEST

/* The parser guesses each key from the kernel's order: blocks with the
 * keys in that order, reversed, rotated, or with one key a prefix of the
 * guessed one ("Pss" for "Pss_Dirty") give the same counters. */
START_TEST(test_key_orders)
{
	static const char *const lines[] = {
		"Size:                 12 kB", "KernelPageSize:        4 kB",
		"MMUPageSize:           4 kB", "Rss:                   8 kB",
		"Pss:                   6 kB", "Pss_Dirty:             2 kB",
		"Shared_Clean:          4 kB", "Shared_Dirty:          0 kB",
		"Private_Clean:         2 kB", "Private_Dirty:         2 kB",
		"Referenced:            8 kB", "Anonymous:             2 kB",
		"KSM:                   0 kB", "LazyFree:              0 kB",
		"AnonHugePages:         0 kB", "ShmemPmdMapped:        0 kB",
		"FilePmdMapped:         0 kB", "Shared_Hugetlb:        0 kB",
		"Private_Hugetlb:       0 kB", "Swap:                  4 kB",
		"SwapPss:               3 kB", "Locked:                0 kB",
		"THPeligible:           1", "ProtectionKey:         0",
		"VmFlags: rd wr mr mw me ac ",
	};
	enum { N = sizeof(lines) / sizeof(lines[0]) };
	static const char header[] = "7f0000000000-7f0000003000 rw-p 00000000 00:00 0 \n";
	struct collect want = { 0 }, got = { 0 };
	char text[4096];
	size_t len, i, order;

	for (order = 0; order < N + 2; order++) {
		struct collect *c = order == 0 ? &want : &got;

		/* 0: the kernel's order; 1: reversed; then each rotation */
		len = 0;
		for (i = 0; i < 2; i++) {
			size_t k;

			memcpy(text + len, header, sizeof(header) - 1);
			len += sizeof(header) - 1;
			for (k = 0; k < N; k++) {
				size_t at = order == 0 ? k : order == 1 ? N - 1 - k
						    : (k + order - 2) % N;

				len += (size_t)snprintf(text + len, sizeof(text) - len,
							"%s\n", lines[at]);
			}
		}
		got.n = 0;
		ck_assert_int_eq(parse_all(text, len, c, NULL), 0);
		ck_assert_uint_eq(c->n, 2);
		if (order == 0)
			continue;
		for (i = 0; i < 2; i++) {
			ck_assert_uint_eq(got.v[i].counters.present, want.v[i].counters.present);
			ck_assert_int_eq(memcmp(got.v[i].counters.v, want.v[i].counters.v,
						sizeof(want.v[i].counters.v)), 0);
			ck_assert_uint_eq(got.v[i].vm_flags, want.v[i].vm_flags);
		}
	}
	ck_assert_uint_eq(want.v[1].counters.v[SMAPS_PSS_DIRTY], 2048);
	ck_assert_uint_eq(want.v[1].counters.v[SMAPS_SWAP_PSS], 3072);
	ck_assert_uint_eq(want.v[1].counters.v[SMAPS_THP_ELIGIBLE], 1);
	/* every key but Pss_Anon, Pss_File and Pss_Shmem (smaps_rollup's) */
	ck_assert_uint_eq(__builtin_popcount(want.v[1].counters.present), N - 1);
	collect_free(&want);
	collect_free(&got);
}
END_TEST

START_TEST(test_unknown_keys_ignored)
{
	static const char text[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Foo:                  12 kB\n"
		"Rss:                   4 kB\n"
		"Bar:    something odd: here\n"
		"Mapped_Weird:\n"
		"Pss:                   2 kB\n";
	struct collect col = { 0 };

	ck_assert_int_eq(parse_all(text, strlen(text), &col, NULL), 0);
	ck_assert_uint_eq(col.n, 1);
	ck_assert_uint_eq(col.v[0].counters.present,
			  (1u << SMAPS_RSS) | (1u << SMAPS_PSS));
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_RSS], 4096);
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_PSS], 2048);
	ck_assert(!col.v[0].has_vm_flags);
	ck_assert_uint_eq(col.v[0].vm_flags, 0);
	collect_free(&col);
}
END_TEST

START_TEST(test_key_line)
{
	struct smaps_counters c = { 0 };
	uint64_t flags = 0;
	bool has = false;

#define KL(s) smaps_parse_key_line(s, strlen(s), &c, &flags, &has)
	ck_assert_int_eq(KL("Private_Dirty:       104 kB\n"), 0);
	ck_assert(smaps_has(&c, SMAPS_PRIVATE_DIRTY));
	ck_assert_uint_eq(c.v[SMAPS_PRIVATE_DIRTY], 104 * 1024);
	ck_assert_int_eq(KL("THPeligible:           1"), 0);
	ck_assert_uint_eq(c.v[SMAPS_THP_ELIGIBLE], 1);
	ck_assert_int_eq(KL("ProtectionKey:         3"), 0);
	ck_assert_uint_eq(c.v[SMAPS_PROTECTION_KEY], 3);
	ck_assert_int_eq(KL("Private_Hugetlb:       0 kB"), 0);
	ck_assert(smaps_has(&c, SMAPS_PRIVATE_HUGETLB));
	/* the largest value that fits in bytes */
	ck_assert_int_eq(KL("Swap:   18014398509481983 kB"), 0);
	ck_assert_uint_eq(c.v[SMAPS_SWAP], 18014398509481983ULL * 1024);

	/* malformed values of known keys */
	ck_assert_int_eq(KL("Rss:"), -EINVAL);
	ck_assert_int_eq(KL("Rss:                 abc kB"), -EINVAL);
	ck_assert_int_eq(KL("Rss:                  12 MB"), -EINVAL);
	ck_assert_int_eq(KL("Rss:                  12"), -EINVAL);
	ck_assert_int_eq(KL("Rss:                  12 kB trailing"), -EINVAL);
	ck_assert_int_eq(KL("Rss:                  -4 kB"), -EINVAL);
	ck_assert_int_eq(KL("Rss:   99999999999999999999 kB"), -EINVAL);
	ck_assert_int_eq(KL("THPeligible:           1 kB"), -EINVAL);
	ck_assert_int_eq(KL("no colon at all"), -EINVAL);
	/* the failed lines left Rss alone */
	ck_assert(!smaps_has(&c, SMAPS_RSS));
	ck_assert(!has);
#undef KL
}
END_TEST

START_TEST(test_vmflags)
{
	struct smaps_counters c = { 0 };
	uint64_t flags = 0;
	bool has = false;
	const char *line;

	line = "VmFlags: rd wr mr mw me ac \n";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), 0);
	ck_assert(has);
	ck_assert_uint_eq(flags, flag_bit("rd") | flag_bit("wr") | flag_bit("mr") |
			  flag_bit("mw") | flag_bit("me") | flag_bit("ac"));
	ck_assert_uint_eq(c.present, 0);

	/* an unknown mnemonic sets the unknown bit and keeps the others */
	has = false;
	line = "VmFlags: rd zz ex ";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), 0);
	ck_assert(has);
	ck_assert_uint_eq(flags, flag_bit("rd") | flag_bit("ex") |
			  (1ULL << VMFLAG_UNKNOWN_BIT));

	/* "??" is what the kernel prints for a bit without a name */
	line = "VmFlags: ?? ";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), 0);
	ck_assert_uint_eq(flags, flag_bit("??"));

	/* an empty list, and one without the kernel's trailing space */
	line = "VmFlags: ";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), 0);
	ck_assert_uint_eq(flags, 0);
	line = "VmFlags: rd sl dp";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), 0);
	ck_assert_uint_eq(flags, flag_bit("rd") | flag_bit("sl") | flag_bit("dp"));

	/* mnemonics are two letters */
	line = "VmFlags: rd wrx ";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), -EINVAL);
	line = "VmFlags: rd r";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, &flags, &has), -EINVAL);

	/* without a vm_flags pointer the line is accepted and ignored */
	line = "VmFlags: rd ";
	ck_assert_int_eq(smaps_parse_key_line(line, strlen(line), &c, NULL, NULL), 0);
}
END_TEST

START_TEST(test_vmflag_table)
{
	int i, n = vmflag_count();
	static const char *const documented[] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "gu",
		"lo", "io", "sr", "rr", "dc", "de", "lf", "ac", "nr", "ht", "sf",
		"ar", "wf", "dd", "bt", "sd", "mm", "hg", "nh", "mg", "um", "uw",
		"mt", "ui", "ss", "dp", "sl", "ur", "nl", "mp", "dw",
	};

	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, VMFLAG_UNKNOWN_BIT);
	for (i = 0; i < n; i++) {
		const char *name = vmflag_name(i);

		ck_assert_ptr_nonnull(name);
		ck_assert_uint_eq(strlen(name), 2);
		ck_assert_int_eq(vmflag_index(name), i);
		ck_assert_ptr_nonnull(vmflag_description(i));
	}
	for (i = 0; i < (int)(sizeof(documented) / sizeof(documented[0])); i++)
		ck_assert_msg(vmflag_index(documented[i]) >= 0, "%s unknown", documented[i]);
	ck_assert_int_eq(vmflag_index("zz"), -1);
	ck_assert_int_eq(vmflag_index("RD"), -1);
	ck_assert_int_eq(vmflag_index("r?"), -1);
	ck_assert_int_eq(vmflag_index("?r"), -1);
	ck_assert_int_eq(vmflag_index("??"), n - 1);
	ck_assert_str_eq(vmflag_name(n - 1), "??");
	ck_assert_ptr_null(vmflag_name(-1));
	ck_assert_ptr_null(vmflag_name(n));
	ck_assert_ptr_null(vmflag_description(n));
}
END_TEST

START_TEST(test_field_keys)
{
	ck_assert_str_eq(smaps_field_key(SMAPS_RSS), "Rss");
	ck_assert_str_eq(smaps_field_key(SMAPS_PRIVATE_DIRTY), "Private_Dirty");
	ck_assert_str_eq(smaps_field_key(SMAPS_ANON_HUGE), "AnonHugePages");
	ck_assert_str_eq(smaps_field_key(SMAPS_THP_ELIGIBLE), "THPeligible");
	ck_assert_str_eq(smaps_field_key(SMAPS_PSS_SHMEM), "Pss_Shmem");
	ck_assert_ptr_null(smaps_field_key(SMAPS_NFIELDS));
}
END_TEST

static void feed_in_chunks(const char *text, size_t len, struct collect *out,
			   size_t fixed, unsigned int seed)
{
	struct smaps_parser p;
	size_t off = 0;

	smaps_parser_init(&p, collect_cb, out);
	srand(seed);
	while (off < len) {
		size_t n = fixed ? fixed : 1 + (size_t)rand() % 300;

		if (n > len - off)
			n = len - off;
		ck_assert_int_eq(smaps_parser_feed(&p, text + off, n), 0);
		off += n;
	}
	/* empty feeds are harmless */
	ck_assert_int_eq(smaps_parser_feed(&p, text, 0), 0);
	ck_assert_int_eq(smaps_parser_finish(&p), 0);
	ck_assert_uint_eq(p.regions, out->n);
	smaps_parser_release(&p);
}

START_TEST(test_chunked_feeding)
{
	char **cases = util_fixture_cases();
	size_t c;

	for (c = 0; cases[c]; c++) {
		size_t len;
		char *text = util_fixture_read(cases[c], "smaps", &len);
		struct collect whole = { 0 }, bytes = { 0 };
		unsigned int seed;

		ck_assert_int_eq(parse_all(text, len, &whole, NULL), 0);
		ck_assert_uint_gt(whole.n, 0);
		feed_in_chunks(text, len, &bytes, 1, 0);
		assert_same(&whole, &bytes);
		for (seed = 1; seed <= 20; seed++) {
			struct collect random = { 0 };

			feed_in_chunks(text, len, &random, 0, seed);
			assert_same(&whole, &random);
			collect_free(&random);
		}
		collect_free(&whole);
		collect_free(&bytes);
		free(text);
	}
	util_free_list(cases);
}
END_TEST

/* The last line is cut in the middle of "Rss:   12 kB" and has no newline:
 * smaps_parser_finish() parses it as a line, which is malformed, so the
 * parse fails on that line and the incomplete last region is never handed
 * out; the complete regions before it were. */
START_TEST(test_truncated_last_line)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/smaps-truncated", &len);
	struct collect col = { 0 };
	unsigned long bad = 0;

	ck_assert(len > 0 && text[len - 1] != '\n');
	ck_assert_int_eq(parse_all(text, len, &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, util_count_lines(text, len));
	ck_assert_uint_eq(col.n, 2);
	ck_assert_int_eq(col.v[0].map.name_kind, MAPS_NAME_PATH);
	ck_assert_int_eq(col.v[1].map.name_kind, MAPS_NAME_HEAP);
	ck_assert_uint_eq(col.v[1].counters.v[SMAPS_RSS], 4096);
	collect_free(&col);

	/* Streamed, the feed itself succeeds (the line might continue);
	 * finish() reports it. */
	{
		struct smaps_parser p;
		struct collect c2 = { 0 };

		smaps_parser_init(&p, collect_cb, &c2);
		ck_assert_int_eq(smaps_parser_feed(&p, text, len), 0);
		ck_assert_uint_eq(c2.n, 2);
		ck_assert_int_eq(smaps_parser_finish(&p), -EINVAL);
		ck_assert_uint_eq(p.line_no, util_count_lines(text, len));
		ck_assert_uint_eq(c2.n, 2);
		smaps_parser_release(&p);
		collect_free(&c2);
	}
	free(text);
}
END_TEST

/* A last line that is complete but lacks its newline is fine. */
START_TEST(test_last_line_without_newline)
{
	static const char text[] =
		"7f0000000000-7f0000002000 rw-p 00000000 00:00 0 \n"
		"Size:                  8 kB\n"
		"Rss:                  12 kB";
	struct collect col = { 0 };
	unsigned long bad = 99;
	const char *line;

	ck_assert_int_eq(parse_all(text, strlen(text), &col, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(col.n, 1);
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_RSS], 12 * 1024);
	collect_free(&col);

	/* a header alone (maps-like input) is a region without counters */
	line = "1000-2000 r--p 00000000 00:00 0 ";
	ck_assert_int_eq(parse_all(line, strlen(line), &col, NULL), 0);
	ck_assert_uint_eq(col.n, 1);
	ck_assert_uint_eq(col.v[0].counters.present, 0);
	collect_free(&col);

	/* nothing at all */
	ck_assert_int_eq(parse_all("", 0, &col, &bad), 0);
	ck_assert_uint_eq(col.n, 0);
}
END_TEST

START_TEST(test_key_before_header)
{
	static const char text[] =
		"Rss:                   4 kB\n"
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n";
	struct collect col = { 0 };
	unsigned long bad = 0;

	ck_assert_int_eq(parse_all(text, strlen(text), &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(col.n, 0);
}
END_TEST

/* Values on lines the parser reads in one pass (the key it expects next)
 * are held to the same rules as any other: the largest that fits, one too
 * many digits, and a value without its unit. */
START_TEST(test_values_at_the_guess)
{
	static const char biggest[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Size:   18014398509481983 kB\n"
		"KernelPageSize:        4 kB\n"
		"THPeligible:           0\n";
	static const char too_big[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Size:                  4 kB\n"
		"KernelPageSize:   18014398509481984 kB\n";
	static const char no_unit[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Size:                  4\n";
	struct collect col = { 0 };
	unsigned long bad = 0;

	ck_assert_int_eq(parse_all(biggest, strlen(biggest), &col, &bad), 0);
	ck_assert_uint_eq(col.n, 1);
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_SIZE], 18014398509481983ULL * 1024);
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_KERNEL_PAGE_SIZE], 4096);
	ck_assert(smaps_has(&col.v[0].counters, SMAPS_THP_ELIGIBLE));
	collect_free(&col);

	ck_assert_int_eq(parse_all(too_big, strlen(too_big), &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 3);
	collect_free(&col);

	ck_assert_int_eq(parse_all(no_unit, strlen(no_unit), &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 2);
	collect_free(&col);
}
END_TEST

/* kB are turned into bytes, and a count of kB that cannot be told in
 * bytes (2^54 kB and more: a capture can hold anything) is malformed, never
 * a wrapped-around small number: on a line read on its own and on one read
 * in one pass at the guess alike. A count that is not in kB can take all
 * 64 bits. */
START_TEST(test_kb_beyond_bytes)
{
	static const char *const too_big[] = {
		"Rss:   18014398509481984 kB",	/* 2^54 */
		"Rss:   18446744073709551615 kB",	/* 2^64 - 1: fits in 64 bits, not in bytes */
		"Rss:   18446744073709551616 kB",	/* 2^64 */
		"Rss:   99999999999999999999999 kB",
	};
	struct smaps_counters c = { 0 };
	struct collect col = { 0 };
	unsigned long bad = 0;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
		ck_assert_msg(smaps_parse_key_line(too_big[i], strlen(too_big[i]), &c, NULL, NULL) ==
			      -EINVAL, "%s", too_big[i]);
		/* Rss right after Size is the key the parser guesses */
		snprintf(text, sizeof(text),
			 "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
			 "Size:                  4 kB\n"
			 "KernelPageSize:        4 kB\n"
			 "MMUPageSize:           4 kB\n"
			 "%s\n", too_big[i]);
		ck_assert_msg(parse_all(text, strlen(text), &col, &bad) == -EINVAL, "%s", too_big[i]);
		ck_assert_uint_eq(bad, 5);
		collect_free(&col);
	}
	ck_assert(!smaps_has(&c, SMAPS_RSS));

	/* 2^53 kB: 2^63 bytes, exactly */
#define KEY_LINE(l) smaps_parse_key_line(l, strlen(l), &c, NULL, NULL)
	ck_assert_int_eq(KEY_LINE("Rss:   9007199254740992 kB"), 0);
	ck_assert_uint_eq(c.v[SMAPS_RSS], 1ULL << 63);
	snprintf(text, sizeof(text),
		 "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		 "Size:                  4 kB\n"
		 "KernelPageSize:        4 kB\n"
		 "MMUPageSize:           4 kB\n"
		 "Rss:   9007199254740992 kB\n"
		 "Pss:   9007199254740992 kB\n");
	ck_assert_int_eq(parse_all(text, strlen(text), &col, &bad), 0);
	ck_assert_uint_eq(col.n, 1);
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_RSS], 1ULL << 63);
	ck_assert_uint_eq(col.v[0].counters.v[SMAPS_PSS], 1ULL << 63);
	collect_free(&col);

	/* not kB: any 64-bit number, and not one more */
	ck_assert_int_eq(KEY_LINE("ProtectionKey:  18446744073709551615"), 0);
	ck_assert_uint_eq(c.v[SMAPS_PROTECTION_KEY], UINT64_MAX);
	ck_assert_int_eq(KEY_LINE("ProtectionKey:  18446744073709551616"), -EINVAL);
#undef KEY_LINE
}
END_TEST

START_TEST(test_bad_line_numbers)
{
	static const char bad_key[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"	/* 1 */
		"Size:                  4 kB\n"				/* 2 */
		"Rss:                   4 kB\n"				/* 3 */
		"7f0000001000-7f0000002000 rw-p 00000000 00:00 0 \n"	/* 4 */
		"Size:                  4 kB\n"				/* 5 */
		"Rss:                 4x4 kB\n"				/* 6 */
		"Pss:                   4 kB\n";
	static const char bad_header[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Rss:                   4 kB\n"
		"7f0000003000-7f0000002000 rw-p 00000000 00:00 0 \n";
	static const char no_colon[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Rss                    4 kB\n";
	struct collect col = { 0 };
	unsigned long bad = 0;

	ck_assert_int_eq(parse_all(bad_key, strlen(bad_key), &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 6);
	ck_assert_uint_eq(col.n, 1);	/* the first block was complete */
	collect_free(&col);

	ck_assert_int_eq(parse_all(bad_header, strlen(bad_header), &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 3);
	collect_free(&col);

	ck_assert_int_eq(parse_all(no_colon, strlen(no_colon), &col, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 2);
	collect_free(&col);
}
END_TEST

START_TEST(test_callback_stops)
{
	size_t len;
	char *text = util_fixture_read("sleep", "smaps", &len);
	struct collect col = { 0 };

	col.stop_after = 2;
	ck_assert_int_eq(parse_all(text, len, &col, NULL), 1);
	ck_assert_uint_eq(col.n, 2);
	collect_free(&col);
	free(text);
}
END_TEST

/* The counters of one block never leak into the next one. */
START_TEST(test_counters_reset_per_block)
{
	static const char text[] =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"Rss:                   4 kB\n"
		"Swap:                  8 kB\n"
		"VmFlags: rd wr \n"
		"7f0000001000-7f0000002000 r--p 00000000 00:00 0 \n"
		"Rss:                   0 kB\n";
	struct collect col = { 0 };

	ck_assert_int_eq(parse_all(text, strlen(text), &col, NULL), 0);
	ck_assert_uint_eq(col.n, 2);
	ck_assert(smaps_has(&col.v[0].counters, SMAPS_SWAP));
	ck_assert(col.v[0].has_vm_flags);
	ck_assert(!smaps_has(&col.v[1].counters, SMAPS_SWAP));
	ck_assert_uint_eq(col.v[1].counters.v[SMAPS_SWAP], 0);
	ck_assert(!col.v[1].has_vm_flags);
	ck_assert_uint_eq(col.v[1].vm_flags, 0);
	collect_free(&col);
}
END_TEST

/* A 32-bit process: its smaps headers are those of its maps. */
START_TEST(test_edge_32bit_smaps)
{
	size_t slen, mlen, i;
	char *smaps = util_read_file(FIXTURES "/edge/smaps-32bit", &slen);
	char *maps = util_read_file(FIXTURES "/edge/maps-32bit", &mlen);
	struct collect col = { 0 };
	const char *line = maps;

	ck_assert_int_eq(parse_all(smaps, slen, &col, NULL), 0);
	ck_assert_uint_eq(col.n, util_count_lines(maps, mlen));
	for (i = 0; i < col.n; i++) {
		const char *nl = strchr(line, '\n');
		struct maps_entry m;
		char name[256];

		ck_assert_int_eq(maps_parse_line(line, (size_t)(nl - line), &m,
						 name, sizeof(name)), 0);
		ck_assert_uint_eq(col.v[i].map.start, m.start);
		ck_assert_uint_eq(col.v[i].map.end, m.end);
		ck_assert_str_eq(col.v[i].name, m.name);
		ck_assert_uint_lt(m.end, 0x100000000ULL);
		ck_assert_uint_eq(col.v[i].counters.v[SMAPS_SIZE], m.end - m.start);
		line = nl + 1;
	}
	collect_free(&col);
	free(smaps);
	free(maps);
}
END_TEST

/* smaps_read through a --sysroot style proc source gives what smaps_parse
 * gives on the same text. */
START_TEST(test_smaps_read_sysroot)
{
	char *dir = util_fixture_dir("sleep");
	pid_t pid = util_fixture_pid("sleep");
	struct proc_source src;
	struct proc_handle h;
	struct collect a = { 0 }, b = { 0 };
	unsigned long bad = 99;
	size_t len;
	char *text = util_fixture_read("sleep", "smaps", &len);

	ck_assert_int_eq(proc_source_init(&src, dir), 0);
	ck_assert_int_eq(proc_open(&src, pid, &h), 0);
	ck_assert_int_eq(smaps_read(&h, collect_cb, &a, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(parse_all(text, len, &b, NULL), 0);
	assert_same(&a, &b);
	proc_close(&h);
	/* a pid the sysroot does not have */
	ck_assert_int_eq(proc_open(&src, 999999, &h), -ENOENT);
	proc_source_release(&src);
	collect_free(&a);
	collect_free(&b);
	free(text);
	free(dir);
}
END_TEST

static Suite *smaps_suite(void)
{
	Suite *s = suite_create("smaps");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_key_line);
	tcase_add_test(tc, test_vmflags);
	tcase_add_test(tc, test_vmflag_table);
	tcase_add_test(tc, test_field_keys);
	tcase_add_test(tc, test_unknown_keys_ignored);
	tcase_add_test(tc, test_key_orders);
	tcase_add_test(tc, test_old_kernel_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_test(tc, test_chunked_feeding);
	tcase_add_test(tc, test_truncated_last_line);
	tcase_add_test(tc, test_last_line_without_newline);
	tcase_add_test(tc, test_key_before_header);
	tcase_add_test(tc, test_bad_line_numbers);
	tcase_add_test(tc, test_values_at_the_guess);
	tcase_add_test(tc, test_kb_beyond_bytes);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_counters_reset_per_block);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_fixture_smaps);
	tcase_add_test(tc, test_edge_32bit_smaps);
	tcase_add_test(tc, test_smaps_read_sysroot);
	suite_add_tcase(s, tc);

	tc = tcase_create("rollup");
	tcase_add_test(tc, test_rollup_fixture);
	tcase_add_test(tc, test_rollup_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(smaps_suite());
}
