/* check_numa_maps.c: /proc/PID/numa_maps (src/proc/numa_maps.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/maps.h"
#include "proc/numa_maps.h"
#include "proc/procfs.h"
#include "unit_util.h"

#define DIR FIXTURES "/numa_maps"

/* A copy of one parsed line, its strings and nodes included. */
struct line {
	struct numa_maps_entry e;
	char policy[128];
	char nodelist[128];
	char file[512];
	struct numa_node_pages nodes[8];
};

struct lines {
	struct line v[256];
	size_t n;
	unsigned long stop_at;	/* 0: never stop */
};

static int collect(void *ctx, const struct numa_maps_entry *e)
{
	struct lines *l = ctx;
	struct line *to;

	ck_assert_uint_lt(l->n, sizeof(l->v) / sizeof(l->v[0]));
	ck_assert_uint_le(e->n_nodes, 8);
	to = &l->v[l->n++];
	to->e = *e;
	ck_assert_uint_lt(e->policy.text_len, sizeof(to->policy));
	ck_assert_uint_eq(strlen(e->policy.text), e->policy.text_len);
	memcpy(to->policy, e->policy.text, e->policy.text_len + 1);
	ck_assert_uint_eq(strlen(e->policy.nodelist), e->policy.nodelist_len);
	memcpy(to->nodelist, e->policy.nodelist, e->policy.nodelist_len + 1);
	if (e->file) {
		ck_assert_uint_eq(strlen(e->file), e->file_len);
		/* a long path is checked by its length */
		if (e->file_len < sizeof(to->file))
			memcpy(to->file, e->file, e->file_len + 1);
	}
	memcpy(to->nodes, e->nodes, e->n_nodes * sizeof(*e->nodes));
	return l->stop_at && l->n == l->stop_at ? 42 : 0;
}

/* Parse len bytes from an exact-size heap copy, so a sanitized build
 * reports any read past len. */
static int parse_n(const char *text, size_t len, struct lines *l, unsigned long *bad)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	memset(l, 0, sizeof(*l));
	rc = numa_maps_parse(copy, len, collect, l, bad);
	free(copy);
	return rc;
}

static int parse(const char *text, struct lines *l, unsigned long *bad)
{
	return parse_n(text, strlen(text), l, bad);
}

/* Parse one line; the test fails unless it parses. */
static struct line *parse_one(const char *text)
{
	static struct lines l;
	unsigned long bad = 99;

	ck_assert_int_eq(parse(text, &l, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(l.n, 1);
	return &l.v[0];
}

static void expect_malformed(const char *text, unsigned long line)
{
	struct lines *l = malloc(sizeof(*l));
	unsigned long bad = 0;

	ck_assert_ptr_nonnull(l);
	ck_assert_msg(parse(text, l, &bad) == -EINVAL, "accepted: %s", text);
	ck_assert_uint_eq(bad, line);
	free(l);
}

static uint64_t node_sum(const struct numa_maps_entry *e, const struct numa_node_pages *nodes)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < e->n_nodes; i++)
		s += nodes[i].pages;
	return s;
}

static const char *const captures[] = {
	"cat-self", "cat-task-interleave", "python-mbind",
};

/* Every capture: one entry per line, the start and the policy word as
 * the text says (read with sscanf), the counters' promises kept. */
START_TEST(test_captures)
{
	size_t k;

	for (k = 0; k < sizeof(captures) / sizeof(captures[0]); k++) {
		char path[512];
		size_t len, i = 0;
		char *text, *p;
		struct lines *l = malloc(sizeof(*l));

		ck_assert_ptr_nonnull(l);
		snprintf(path, sizeof(path), DIR "/%s", captures[k]);
		text = util_read_file(path, &len);
		ck_assert_int_eq(parse_n(text, len, l, NULL), 0);
		ck_assert_uint_eq(l->n, util_count_lines(text, len));
		for (p = text; *p; p = strchr(p, '\n') + 1, i++) {
			const struct line *ln = &l->v[i];
			unsigned long long start;
			int at = 0;
			const char *after;

			ck_assert_int_eq(sscanf(p, "%llx %n", &start, &at), 1);
			ck_assert_uint_eq(ln->e.start, start);
			/* the policy may hold a blank: "prefer (many):0" */
			ck_assert_int_eq(strncmp(p + at, ln->policy, strlen(ln->policy)), 0);
			after = p + at + strlen(ln->policy);
			ck_assert(*after == ' ' || *after == '\n');
			ck_assert_int_ne(ln->e.policy.mode, NUMA_POLICY_UNKNOWN);
			ck_assert_uint_eq(ln->e.unknown_keys, 0);
			ck_assert_uint_eq(node_sum(&ln->e, ln->nodes), numa_maps_pages(&ln->e));
			if (ln->e.n_nodes) {
				/* a one-node machine */
				ck_assert_uint_eq(ln->e.n_nodes, 1);
				ck_assert_uint_eq(ln->nodes[0].node, 0);
				ck_assert(numa_maps_has(&ln->e, NUMA_KERNEL_PAGE_SIZE));
				ck_assert_uint_eq(ln->e.v[NUMA_KERNEL_PAGE_SIZE], 4096);
			} else {
				ck_assert_uint_eq(ln->e.present, 0);
			}
			ck_assert(!!memmem(p, (size_t)(strchr(p, '\n') - p), " file=", 6) ==
				  (ln->e.file != NULL));
			if (k == 1) {
				ck_assert_int_eq(ln->e.policy.mode, NUMA_POLICY_INTERLEAVE);
				ck_assert_uint_eq(ln->e.policy.flags, NUMA_POLICY_F_STATIC);
				ck_assert_str_eq(ln->nodelist, "0");
				ck_assert(numa_policy_has_node(&ln->e.policy, 0));
				ck_assert(!numa_policy_has_node(&ln->e.policy, 1));
			}
		}
		ck_assert_uint_eq(i, l->n);
		free(text);
		free(l);
	}
}
END_TEST

static const struct line *find_policy(const struct lines *l, const char *policy)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].policy, policy) == 0)
			return &l->v[i];
	ck_abort_msg("no line with policy %s", policy);
	return NULL;
}

/* The policies the kernel printed for mbind() of each mode. */
START_TEST(test_capture_policies)
{
	static const struct {
		const char *text;
		const char *name;
		enum numa_policy_mode mode;
		unsigned int flags;
		bool node0;
		uint64_t dirty;
	} want[] = {
		{ "bind:0", "bind", NUMA_POLICY_BIND, 0, true, 3 },
		{ "interleave:0", "interleave", NUMA_POLICY_INTERLEAVE, 0, true, 4 },
		{ "prefer:0", "prefer", NUMA_POLICY_PREFERRED, 0, true, 2 },
		{ "local", "local", NUMA_POLICY_LOCAL, 0, false, 2 },
		{ "prefer (many):0", "prefer (many)", NUMA_POLICY_PREFERRED_MANY, 0, true, 2 },
		{ "weighted interleave:0", "weighted interleave", NUMA_POLICY_WEIGHTED_INTERLEAVE, 0, true, 2 },
		{ "bind=static:0", "bind", NUMA_POLICY_BIND, NUMA_POLICY_F_STATIC, true, 3 },
		{ "interleave=relative:0", "interleave", NUMA_POLICY_INTERLEAVE, NUMA_POLICY_F_RELATIVE, true, 4 },
		{ "bind=balancing:0", "bind", NUMA_POLICY_BIND, NUMA_POLICY_F_BALANCING, true, 3 },
	};
	struct lines *l = malloc(sizeof(*l));
	size_t len, i;
	char *text = util_read_file(DIR "/python-mbind", &len);
	const struct line *ln;
	bool memfd = false, heap = false, stack = false;

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(parse_n(text, len, l, NULL), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ln = find_policy(l, want[i].text);
		ck_assert_int_eq(ln->e.policy.mode, want[i].mode);
		ck_assert_uint_eq(ln->e.policy.flags, want[i].flags);
		ck_assert(numa_policy_has_node(&ln->e.policy, 0) == want[i].node0);
		ck_assert(!ln->e.policy.nodes_incomplete);
		/* shared anonymous memory is a deleted /dev/zero */
		ck_assert_str_eq(ln->file, "/dev/zero");
		ck_assert(ln->e.deleted);
		ck_assert(!numa_maps_has(&ln->e, NUMA_ANON));
		ck_assert_uint_eq(ln->e.v[NUMA_DIRTY], want[i].dirty);
		ck_assert_uint_eq(ln->e.v[NUMA_ACTIVE], 0);
		ck_assert_uint_eq(numa_maps_pages(&ln->e), want[i].dirty);
		ck_assert_str_eq(numa_policy_mode_name(want[i].mode), want[i].name);
	}
	for (i = 0; i < l->n; i++) {
		ln = &l->v[i];
		if (ln->e.file && strcmp(ln->file, "/memfd:numa test") == 0) {
			memfd = true;
			ck_assert(ln->e.deleted);
		}
		heap |= ln->e.heap;
		if (ln->e.stack) {
			ck_assert(!stack);
			stack = true;
			ck_assert_uint_eq(ln->e.stack_tid, 0);
		}
	}
	ck_assert(memfd && heap && stack);
	free(text);
	free(l);
}
END_TEST

START_TEST(test_multinode)
{
	struct lines *l = malloc(sizeof(*l));
	size_t len, i;
	char *text = util_read_file(DIR "/hand-multinode", &len);
	const struct line *v;

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(parse_n(text, len, l, NULL), 0);
	free(text);
	ck_assert_uint_eq(l->n, 12);
	v = l->v;
	for (i = 0; i < l->n; i++) {
		ck_assert_uint_eq(node_sum(&v[i].e, v[i].nodes), numa_maps_pages(&v[i].e));
		ck_assert_uint_eq(v[i].e.unknown_keys, 0);
		ck_assert(!v[i].e.policy.nodes_incomplete);
	}

	ck_assert_uint_eq(v[0].e.start, 0x400000);
	ck_assert_int_eq(v[0].e.policy.mode, NUMA_POLICY_DEFAULT);
	ck_assert_str_eq(v[0].nodelist, "");
	ck_assert_str_eq(v[0].file, "/usr/bin/app");
	ck_assert(!v[0].e.deleted);
	ck_assert_uint_eq(v[0].e.v[NUMA_MAPPED], 10);
	ck_assert_uint_eq(v[0].e.v[NUMA_MAPMAX], 3);
	ck_assert_uint_eq(v[0].e.present,
			  1u << NUMA_MAPPED | 1u << NUMA_MAPMAX | 1u << NUMA_KERNEL_PAGE_SIZE);
	ck_assert_uint_eq(v[0].e.n_nodes, 2);
	ck_assert_uint_eq(v[0].nodes[1].node, 1);
	ck_assert_uint_eq(v[0].nodes[1].pages, 4);

	ck_assert_int_eq(v[1].e.policy.mode, NUMA_POLICY_BIND);
	ck_assert_str_eq(v[1].nodelist, "0-1");
	ck_assert(numa_policy_has_node(&v[1].e.policy, 0));
	ck_assert(numa_policy_has_node(&v[1].e.policy, 1));
	ck_assert(!numa_policy_has_node(&v[1].e.policy, 2));
	ck_assert(v[1].e.heap && !v[1].e.stack && !v[1].e.file);
	ck_assert_uint_eq(numa_maps_pages(&v[1].e), 100);

	ck_assert_int_eq(v[2].e.policy.mode, NUMA_POLICY_INTERLEAVE);
	ck_assert_uint_eq(v[2].e.policy.nodes[0], 0xf);
	ck_assert_uint_eq(v[2].e.n_nodes, 4);
	ck_assert_uint_eq(v[2].nodes[3].node, 3);
	ck_assert_uint_eq(v[2].e.v[NUMA_ACTIVE], 2);

	ck_assert_int_eq(v[3].e.policy.mode, NUMA_POLICY_PREFERRED);
	ck_assert_uint_eq(v[3].e.policy.nodes[0], 0x2);
	ck_assert(v[3].e.huge);
	ck_assert_uint_eq(v[3].e.v[NUMA_KERNEL_PAGE_SIZE], 2048 * 1024);
	ck_assert_uint_eq(numa_maps_pages(&v[3].e), 4);
	ck_assert_uint_eq(v[3].nodes[0].node, 1);
	ck_assert_uint_eq(v[3].nodes[1].node, 3);

	ck_assert_int_eq(v[4].e.policy.mode, NUMA_POLICY_LOCAL);
	ck_assert_uint_eq(v[4].e.policy.nodes[0], 0);
	ck_assert_str_eq(v[4].file, "/anon_hugepage");
	ck_assert(v[4].e.deleted && v[4].e.huge);
	ck_assert_uint_eq(v[4].e.v[NUMA_KERNEL_PAGE_SIZE], 1ULL << 30);

	ck_assert_int_eq(v[5].e.policy.mode, NUMA_POLICY_PREFERRED_MANY);
	ck_assert_str_eq(v[5].policy, "prefer (many):0,2");
	ck_assert_uint_eq(v[5].e.policy.nodes[0], 0x5);
	ck_assert_uint_eq(v[5].e.v[NUMA_SWAPCACHE], 2);
	ck_assert_uint_eq(v[5].e.v[NUMA_WRITEBACK], 1);
	ck_assert_uint_eq(numa_maps_pages(&v[5].e), 5);

	ck_assert_int_eq(v[6].e.policy.mode, NUMA_POLICY_WEIGHTED_INTERLEAVE);
	ck_assert_str_eq(v[6].policy, "weighted interleave:0-1");
	ck_assert_uint_eq(v[6].e.policy.nodes[0], 0x3);

	ck_assert_int_eq(v[7].e.policy.mode, NUMA_POLICY_BIND);
	ck_assert_uint_eq(v[7].e.policy.flags, NUMA_POLICY_F_STATIC | NUMA_POLICY_F_BALANCING);
	ck_assert_uint_eq(v[7].e.policy.nodes[0], 0xa);
	ck_assert_str_eq(v[7].file, "/srv/my data=x\ty\nz.bin");
	ck_assert_uint_eq(v[7].e.v[NUMA_MAPMAX], 12);
	ck_assert_uint_eq(v[7].e.v[NUMA_ACTIVE], 5);

	ck_assert_str_eq(v[8].file, "/lib/a.so");
	ck_assert_uint_eq(v[8].e.present, 0);
	ck_assert_uint_eq(v[8].e.n_nodes, 0);
	ck_assert_uint_eq(numa_maps_pages(&v[8].e), 0);

	ck_assert(v[9].e.stack);
	ck_assert_uint_eq(v[9].e.stack_tid, 4242);
	ck_assert(v[10].e.stack);
	ck_assert_uint_eq(v[10].e.stack_tid, 0);
	ck_assert_uint_eq(v[11].e.start, 0xffffffffff600000ULL);
	free(l);
}
END_TEST

START_TEST(test_future_keys)
{
	struct lines *l = malloc(sizeof(*l));
	size_t len;
	char *text = util_read_file(DIR "/hand-future", &len);

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(parse_n(text, len, l, NULL), 0);
	free(text);
	ck_assert_uint_eq(l->n, 4);
	ck_assert_uint_eq(l->v[0].e.unknown_keys, 2);
	ck_assert_uint_eq(l->v[0].e.v[NUMA_KERNEL_PAGE_SIZE], 4096);
	ck_assert_uint_eq(l->v[0].e.n_nodes, 1);

	/* a mode of a newer kernel: its text and nodes, mode unknown */
	ck_assert_int_eq(l->v[1].e.policy.mode, NUMA_POLICY_UNKNOWN);
	ck_assert_str_eq(l->v[1].policy, "frobnicate:0-1");
	ck_assert_uint_eq(l->v[1].e.policy.nodes[0], 0x3);
	ck_assert_uint_eq(l->v[1].e.unknown_keys, 0);

	ck_assert_int_eq(l->v[2].e.policy.mode, NUMA_POLICY_UNKNOWN);
	ck_assert_str_eq(l->v[2].policy, "unknown");

	ck_assert_int_eq(l->v[3].e.policy.mode, NUMA_POLICY_BIND);
	ck_assert_uint_eq(l->v[3].e.policy.flags, NUMA_POLICY_F_UNKNOWN);
	ck_assert_uint_eq(l->v[3].e.policy.nodes[0], 0x2);
	free(l);
}
END_TEST

/* A node list cut by the kernel's buffer: its last element is left out,
 * so the nodes never name one the policy does not. */
START_TEST(test_cut_policy)
{
	struct lines *l = malloc(sizeof(*l));
	size_t len;
	char *text = util_read_file(DIR "/hand-cut-policy", &len);
	const struct numa_policy *pol;
	unsigned int n;

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(parse_n(text, len, l, NULL), 0);
	free(text);
	ck_assert_uint_eq(l->n, 3);

	pol = &l->v[0].e.policy;
	ck_assert_uint_eq(pol->text_len, 63);
	ck_assert(pol->nodes_incomplete);
	for (n = 0; n < 64; n++)
		ck_assert(numa_policy_has_node(pol, n) == (n <= 36 && n % 2 == 0));

	pol = &l->v[1].e.policy;
	ck_assert_uint_eq(pol->text_len, 49);
	ck_assert(pol->nodes_incomplete);
	ck_assert(numa_policy_has_node(pol, 56));
	ck_assert(!numa_policy_has_node(pol, 60));	/* perhaps 600 */

	pol = &l->v[2].e.policy;
	ck_assert_int_eq(pol->mode, NUMA_POLICY_PREFERRED_MANY);
	ck_assert(pol->nodes_incomplete);
	ck_assert(numa_policy_has_node(pol, 30));
	ck_assert(!numa_policy_has_node(pol, 1000));
	ck_assert(!numa_policy_has_node(pol, 1));

	/* 62 characters: whole, its last element kept */
	pol = &parse_one("1000 interleave:0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36\n")->e.policy;
	ck_assert_uint_eq(pol->text_len, 62);
	ck_assert(!pol->nodes_incomplete);
	ck_assert(numa_policy_has_node(pol, 36));
	free(l);
}
END_TEST

START_TEST(test_line_forms)
{
	const struct line *ln;

	/* the last line without '\n' */
	ln = parse_one("7f00 default anon=1 dirty=1 N0=1 kernelpagesize_kB=4");
	ck_assert_uint_eq(ln->e.start, 0x7f00);
	ck_assert_uint_eq(ln->e.v[NUMA_KERNEL_PAGE_SIZE], 4096);

	ln = parse_one("0 default file=\\\\012\\0\\1234\\040 N1023=18446744073709551615\n");
	/* only the four escapes are undone */
	ck_assert_str_eq(ln->file, "\\\n\\0\\1234 ");
	ck_assert_uint_eq(ln->nodes[0].node, 1023);
	ck_assert_uint_eq(ln->nodes[0].pages, UINT64_MAX);

	ln = parse_one("ffffffffffffffff bind:1023 kernelpagesize_kB=18014398509481983\n");
	ck_assert_uint_eq(ln->e.start, UINT64_MAX);
	ck_assert(numa_policy_has_node(&ln->e.policy, 1023));
	ck_assert_uint_eq(ln->e.policy.nodes[15], 1ULL << 63);
	ck_assert_uint_eq(ln->e.v[NUMA_KERNEL_PAGE_SIZE], 18014398509481983ULL * 1024);

	ln = parse_one("1000 default file=/a\\040(deleted)\\040(deleted)\n");
	ck_assert_str_eq(ln->file, "/a (deleted)");
	ck_assert(ln->e.deleted);

	ln = parse_one("1000 prefer (many)=relative:0-1023\n");
	ck_assert_uint_eq(ln->e.policy.nodes[0], UINT64_MAX);
	ck_assert_uint_eq(ln->e.policy.nodes[15], UINT64_MAX);
	ck_assert_uint_eq(ln->e.policy.flags, NUMA_POLICY_F_RELATIVE);

	ck_assert_str_eq(numa_maps_field_key(NUMA_KERNEL_PAGE_SIZE), "kernelpagesize_kB");
	ck_assert_str_eq(numa_maps_field_key(NUMA_SWAPCACHE), "swapcache");
	ck_assert_ptr_null(numa_maps_field_key(NUMA_NFIELDS));
}
END_TEST

START_TEST(test_hostile)
{
	static const char *const bad[] = {
		"",				/* an empty line */
		"7f00",				/* no policy */
		"7f00 ",
		"7F00 default",			/* the kernel prints lowercase */
		"10000000000000000 default",	/* 17 digits */
		"-1 default",
		"7f00 default N1024=1",		/* beyond NUMA_MAPS_NODE_MAX */
		"7f00 default N4294967296=1",
		"7f00 default N99999999999999999999999=1",
		"7f00 default N01=1",
		"7f00 default N1=1 N0=1",	/* not ascending */
		"7f00 default N1=1 N1=1",	/* twice */
		"7f00 default N0=",
		"7f00 default N0=x",
		"7f00 default anon=18446744073709551616",	/* 2^64 */
		"7f00 default anon=99999999999999999999999",
		"7f00 default kernelpagesize_kB=18014398509481984",	/* * 1024 > 2^64 */
		"7f00 default anon=-1",
		"7f00 default anon=",
		"7f00 default anon=1 anon=1",
		"7f00 default heap heap",
		"7f00 default stack stack",
		"7f00 default stack:",
		"7f00 default stack:0",
		"7f00 default stack:x",
		"7f00 default file=",
		"7f00 default file=/a file=/b",
		"7f00 default =3",
		"7f00 default a-b=3",
		"7f00 default (deleted)",	/* an unescaped path's tail */
		"7f00 bind:1024",
		"7f00 bind:0-1024",
		"7f00 bind:99999999999",
		"7f00 bind:",
		"7f00 bind:1-0",
		"7f00 bind:3,1",
		"7f00 bind:0,,1",
		"7f00 bind:0,",
		"7f00 bind:a",
		"7f00 bind=",
		"7f00 bind=static|",
		"7f00 bind=|static",
		"7f00 bind=Static:0",
		"7f00 Bind:0",
		"7f00 bind!:0",
	};
	char buf[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "1000 default\n%s\n", bad[i]);
		expect_malformed(buf, 2);
	}
	/* NUL bytes, anywhere */
	{
		static const char nul[] = "1000 default anon=1\n2000 default file=/a\0b\n";
		static const char nul2[] = "1000 default\0 anon=1\n";
		struct lines *l = malloc(sizeof(*l));
		unsigned long bad_line = 0;

		ck_assert_ptr_nonnull(l);
		ck_assert_int_eq(parse_n(nul, sizeof(nul) - 1, l, &bad_line), -EINVAL);
		ck_assert_uint_eq(bad_line, 2);
		ck_assert_uint_eq(l->n, 1);
		ck_assert_int_eq(parse_n(nul2, sizeof(nul2) - 1, l, &bad_line), -EINVAL);
		ck_assert_uint_eq(bad_line, 1);
		free(l);
	}
}
END_TEST

/* A line of MAPS_LINE_MAX bytes is taken, one more is not, whether it
 * ends in '\n' or the text does. */
START_TEST(test_long_lines)
{
	static const char head[] = "1000 default\n2000 default file=/";
	size_t total = sizeof(head) - 1 + MAPS_LINE_MAX + 2, path, i;
	char *text = malloc(total);
	struct lines *l = malloc(sizeof(*l));
	unsigned long bad = 0;

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(l);
	for (i = 0; i < 2; i++) {
		size_t line_len = MAPS_LINE_MAX + i, n;

		/* "2000 default file=/" is 19 bytes of the line */
		path = line_len - 19;
		memcpy(text, head, sizeof(head) - 1);
		memset(text + sizeof(head) - 1, 'x', path);
		n = sizeof(head) - 1 + path;
		text[n++] = '\n';
		ck_assert_int_eq(parse_n(text, n, l, &bad), i ? -EINVAL : 0);
		ck_assert_uint_eq(bad, i ? 2 : 0);
		if (!i) {
			ck_assert_uint_eq(l->n, 2);
			ck_assert_uint_eq(l->v[1].e.file_len, path + 1);
		}
		/* without the '\n' */
		ck_assert_int_eq(parse_n(text, n - 1, l, &bad), i ? -EINVAL : 0);
		ck_assert_uint_eq(bad, i ? 2 : 0);
	}
	free(text);
	free(l);
}
END_TEST

static void feed_in_chunks(const char *text, size_t len, size_t step,
			   struct lines *l, int *rc, unsigned long *bad)
{
	struct numa_maps_parser p;
	size_t off = 0;

	memset(l, 0, sizeof(*l));
	numa_maps_parser_init(&p, collect, l);
	*rc = 0;
	while (off < len && !*rc) {
		size_t n = len - off < step ? len - off : step;
		char *chunk = malloc(n);

		ck_assert_ptr_nonnull(chunk);
		memcpy(chunk, text + off, n);
		*rc = numa_maps_parser_feed(&p, chunk, n);
		free(chunk);
		off += n;
	}
	if (!*rc)
		*rc = numa_maps_parser_finish(&p);
	ck_assert_uint_eq(p.entries, l->n);
	*bad = *rc ? p.line_no : 0;
	numa_maps_parser_release(&p);
}

static bool same_nodes(const struct line *x, const struct line *y)
{
	size_t i;

	for (i = 0; i < x->e.n_nodes; i++)
		if (x->nodes[i].node != y->nodes[i].node || x->nodes[i].pages != y->nodes[i].pages)
			return false;
	return true;
}

static bool same_lines(const struct lines *a, const struct lines *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct line *x = &a->v[i], *y = &b->v[i];

		if (x->e.start != y->e.start || strcmp(x->policy, y->policy) ||
		    memcmp(x->e.policy.nodes, y->e.policy.nodes, sizeof(x->e.policy.nodes)) ||
		    strcmp(x->file, y->file) || memcmp(x->e.v, y->e.v, sizeof(x->e.v)) ||
		    x->e.present != y->e.present || x->e.n_nodes != y->e.n_nodes ||
		    !same_nodes(x, y))
			return false;
	}
	return true;
}

/* Fed in pieces of any size, every fixture parses as in one call; so does
 * a malformed text, with the same bad line. */
START_TEST(test_chunks)
{
	static const char *const files[] = {
		"cat-self", "python-mbind", "hand-multinode", "hand-future", "hand-cut-policy",
	};
	static const size_t steps[] = { 1, 2, 3, 7, 64, 4096 };
	struct lines *whole = malloc(sizeof(*whole)), *chunked = malloc(sizeof(*chunked));
	size_t k, s;

	ck_assert_ptr_nonnull(whole);
	ck_assert_ptr_nonnull(chunked);
	for (k = 0; k <= sizeof(files) / sizeof(files[0]); k++) {
		char path[512], *text;
		size_t len;
		int rc_whole, rc;
		unsigned long bad_whole, bad;

		if (k < sizeof(files) / sizeof(files[0])) {
			snprintf(path, sizeof(path), DIR "/%s", files[k]);
			text = util_read_file(path, &len);
		} else {
			text = strdup("1000 default\n2000 bind:0\n3000 bind:9-1\n4000 local\n");
			ck_assert_ptr_nonnull(text);
			len = strlen(text);
		}
		rc_whole = parse_n(text, len, whole, &bad_whole);
		ck_assert_int_eq(rc_whole, k < sizeof(files) / sizeof(files[0]) ? 0 : -EINVAL);
		for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
			feed_in_chunks(text, len, steps[s], chunked, &rc, &bad);
			ck_assert_int_eq(rc, rc_whole);
			ck_assert_uint_eq(bad, bad_whole);
			ck_assert(same_lines(whole, chunked));
		}
		free(text);
	}
	free(whole);
	free(chunked);
}
END_TEST

/* A non-zero callback return stops the parse and is returned. */
START_TEST(test_callback_stops)
{
	struct lines *l = malloc(sizeof(*l));
	size_t len;
	char *text = util_read_file(DIR "/hand-multinode", &len);

	ck_assert_ptr_nonnull(l);
	memset(l, 0, sizeof(*l));
	l->stop_at = 3;
	ck_assert_int_eq(numa_maps_parse(text, len, collect, l, NULL), 42);
	ck_assert_uint_eq(l->n, 3);
	free(text);
	free(l);
}
END_TEST

START_TEST(test_read_sysroot)
{
	char dir[] = "/tmp/check_numa_maps.XXXXXX", path[512];
	struct proc_source src;
	struct proc_handle h;
	struct lines *l = malloc(sizeof(*l)), *direct = malloc(sizeof(*direct));
	size_t len;
	char *text = util_read_file(DIR "/python-mbind", &len);
	unsigned long bad = 99;
	FILE *f;

	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_nonnull(direct);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/proc", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/4242", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);

	ck_assert_int_eq(proc_source_init(&src, dir), 0);
	ck_assert_int_eq(proc_open(&src, 4242, &h), 0);
	/* no numa_maps: a kernel without CONFIG_NUMA */
	ck_assert_int_eq(numa_maps_read(&h, collect, l, &bad), -ENOENT);
	ck_assert_uint_eq(bad, 0);

	snprintf(path, sizeof(path), "%s/proc/4242/numa_maps", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	memset(l, 0, sizeof(*l));
	ck_assert_int_eq(numa_maps_read(&h, collect, l, &bad), 0);
	ck_assert_int_eq(parse_n(text, len, direct, NULL), 0);
	ck_assert(same_lines(l, direct));

	/* a malformed capture names its line */
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("7f00 bind:7-1\n", f);
	ck_assert_int_eq(fclose(f), 0);
	memset(l, 0, sizeof(*l));
	ck_assert_int_eq(numa_maps_read(&h, collect, l, &bad), -EINVAL);
	ck_assert_uint_eq(bad, util_count_lines(text, len) + 1);

	proc_close(&h);
	proc_source_release(&src);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/proc/4242", dir);
	ck_assert_int_eq(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/proc", dir);
	ck_assert_int_eq(rmdir(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(text);
	free(l);
	free(direct);
}
END_TEST

/* This process's own numa_maps, with a page the test dirtied on the
 * policy it set. */
START_TEST(test_read_live)
{
	struct proc_source src;
	struct proc_handle h;
	struct lines *l = malloc(sizeof(*l));
	long page = sysconf(_SC_PAGESIZE);
	char *mem;
	size_t i;
	int rc;

	ck_assert_ptr_nonnull(l);
	if (access("/proc/self/numa_maps", R_OK) != 0) {
		free(l);
		return;	/* a kernel without CONFIG_NUMA */
	}
	mem = mmap(NULL, 3 * (size_t)page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(mem != MAP_FAILED);
	/* its own region, whatever the neighbours: PROT_NONE around it */
	ck_assert_int_eq(mprotect(mem, (size_t)page, PROT_NONE), 0);
	ck_assert_int_eq(mprotect(mem + 2 * page, (size_t)page, PROT_NONE), 0);
	mem[page] = 1;

	ck_assert_int_eq(proc_source_init(&src, NULL), 0);
	ck_assert_int_eq(proc_open(&src, getpid(), &h), 0);
	memset(l, 0, sizeof(*l));
	rc = numa_maps_read(&h, collect, l, NULL);
	proc_close(&h);
	proc_source_release(&src);
	ck_assert_int_eq(rc, 0);
	for (i = 0; i < l->n; i++)
		if (l->v[i].e.start == (uintptr_t)(mem + page))
			break;
	ck_assert_uint_lt(i, l->n);
	ck_assert_uint_eq(l->v[i].e.v[NUMA_ANON], 1);
	ck_assert_uint_eq(l->v[i].e.v[NUMA_DIRTY], 1);
	ck_assert_uint_eq(numa_maps_pages(&l->v[i].e), 1);
	ck_assert_uint_eq(node_sum(&l->v[i].e, l->v[i].nodes), 1);
	ck_assert_uint_eq(l->v[i].e.v[NUMA_KERNEL_PAGE_SIZE], (uint64_t)page);
	ck_assert_ptr_null(l->v[i].e.file);
	munmap(mem, 3 * (size_t)page);
	free(l);
}
END_TEST

START_TEST(test_join)
{
	static const uint64_t regions[] = { 0x1000, 0x2000, 0x5000, 0x9000, 0xa000 };
	static const uint64_t numa[] = { 0x1000, 0x3000, 0x5000, 0xa000, 0xb000 };
	static const uint64_t unsorted[] = { 0x1000, 0x1000 };
	size_t out[5];

	ck_assert_int_eq(numa_maps_join(regions, 5, numa, 5, out), 3);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[1], SIZE_MAX);
	ck_assert_uint_eq(out[2], 2);
	ck_assert_uint_eq(out[3], SIZE_MAX);
	ck_assert_uint_eq(out[4], 3);

	ck_assert_int_eq(numa_maps_join(regions, 5, NULL, 0, out), 0);
	ck_assert_uint_eq(out[4], SIZE_MAX);
	ck_assert_int_eq(numa_maps_join(NULL, 0, numa, 5, out), 0);
	ck_assert_int_eq(numa_maps_join(regions, 5, unsorted, 2, out), -EINVAL);
	ck_assert_int_eq(numa_maps_join(unsorted, 2, numa, 5, out), -EINVAL);
}
END_TEST

static Suite *numa_maps_suite(void)
{
	Suite *s = suite_create("numa_maps");
	TCase *tc = tcase_create("captures");

	tcase_add_test(tc, test_captures);
	tcase_add_test(tc, test_capture_policies);
	tcase_add_test(tc, test_multinode);
	tcase_add_test(tc, test_future_keys);
	tcase_add_test(tc, test_cut_policy);
	tcase_add_test(tc, test_read_sysroot);
	tcase_add_test(tc, test_read_live);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_line_forms);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_chunks);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_join);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(numa_maps_suite());
}
