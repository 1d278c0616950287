/* check_zoneinfo.c: /proc/zoneinfo (src/proc/zoneinfo.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/zoneinfo.h"
#include "unit_util.h"

#define MACHINE FIXTURES "/machine"

/* Parse len bytes of text from an exact-size heap copy, so a sanitized
 * build reports any read past len. */
static int parse_n(const char *text, size_t len, struct zoneinfo *zi)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	rc = zoneinfo_parse(copy, len, zi);
	free(copy);
	return rc;
}

static int parse(const char *text, struct zoneinfo *zi)
{
	return parse_n(text, strlen(text), zi);
}

static int parse_fixture(const char *path, struct zoneinfo *zi)
{
	size_t len;
	char *text = util_read_file(path, &len);
	int rc = parse_n(text, len, zi);

	free(text);
	return rc;
}

/* The zones as the text says them, read independently: the header with
 * sscanf, each value from the first line of the block that starts with
 * key after blanks (-1 when there is none). */
struct ref_zone {
	int node;
	char name[32];
	long long start_pfn, spanned, present, managed, free;
};

static long long ref_value(const char *block, const char *block_end, const char *key)
{
	const char *p = block;
	size_t kl = strlen(key);

	while (p && p < block_end) {
		const char *q = p;

		while (*q == ' ')
			q++;
		if (strncmp(q, key, kl) == 0)
			return strtoll(q + kl, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static size_t ref_zones(const char *text, struct ref_zone *z, size_t max)
{
	const char *p = strstr(text, "Node ");
	size_t n = 0;

	while (p && n < max) {
		const char *next = strstr(p + 1, "\nNode ");
		const char *end = next ? next : p + strlen(p);

		ck_assert_int_eq(sscanf(p, "Node %d, zone %31s", &z[n].node, z[n].name), 2);
		z[n].start_pfn = ref_value(p, end, "start_pfn:");
		z[n].spanned = ref_value(p, end, "spanned ");
		z[n].present = ref_value(p, end, "present ");
		z[n].managed = ref_value(p, end, "managed ");
		z[n].free = ref_value(p, end, "pages free ");
		n++;
		p = next ? next + 1 : NULL;
	}
	return n;
}

static void check_against_text(const struct zoneinfo *zi, const char *text)
{
	struct ref_zone ref[64];
	size_t n = ref_zones(text, ref, 64), i;

	ck_assert_uint_eq(zi->count, n);
	for (i = 0; i < n; i++) {
		const struct zone_info *z = &zi->zones[i];

		ck_assert_int_eq(z->node, ref[i].node);
		ck_assert_str_eq(z->name, ref[i].name);
		ck_assert_int_eq(z->has_start_pfn, ref[i].start_pfn >= 0);
		if (z->has_start_pfn)
			ck_assert_uint_eq(z->start_pfn, (uint64_t)ref[i].start_pfn);
		ck_assert_uint_eq(z->spanned, (uint64_t)ref[i].spanned);
		ck_assert_uint_eq(z->present, (uint64_t)ref[i].present);
		if (ref[i].managed >= 0)
			ck_assert_uint_eq(z->managed, (uint64_t)ref[i].managed);
		ck_assert_uint_eq(z->free, (uint64_t)ref[i].free);
	}
}

static bool zone_eq(const struct zone_info *a, const struct zone_info *b)
{
	return a->node == b->node && strcmp(a->name, b->name) == 0 &&
	       a->start_pfn == b->start_pfn && a->spanned == b->spanned &&
	       a->present == b->present && a->managed == b->managed &&
	       a->free == b->free && a->has_start_pfn == b->has_start_pfn;
}

static long find_zone(const struct zoneinfo *zi, int node, const char *name)
{
	size_t i;

	for (i = 0; i < zi->count; i++)
		if (zi->zones[i].node == node && strcmp(zi->zones[i].name, name) == 0)
			return (long)i;
	return -1;
}

START_TEST(test_capture)
{
	size_t len;
	char *text = util_read_file(MACHINE "/root/proc/zoneinfo", &len);
	struct zoneinfo zi;
	long dma, dma32, normal, movable, device;
	size_t i;

	ck_assert_int_eq(parse_n(text, len, &zi), 0);
	check_against_text(&zi, text);
	free(text);

	ck_assert_uint_eq(zi.count, 5);
	dma = find_zone(&zi, 0, "DMA");
	dma32 = find_zone(&zi, 0, "DMA32");
	normal = find_zone(&zi, 0, "Normal");
	movable = find_zone(&zi, 0, "Movable");
	device = find_zone(&zi, 0, "Device");
	ck_assert_int_eq(dma, 0);
	ck_assert_int_eq(dma32, 1);
	ck_assert_int_eq(normal, 2);
	ck_assert_int_eq(movable, 3);
	ck_assert_int_eq(device, 4);
	/* the values of the file, as written in it */
	ck_assert(zi.zones[dma].has_start_pfn);
	ck_assert_uint_eq(zi.zones[dma].start_pfn, 1);
	ck_assert_uint_eq(zi.zones[dma].spanned, 4095);
	ck_assert_uint_eq(zi.zones[dma].present, 3998);
	ck_assert_uint_eq(zi.zones[dma].managed, 3840);
	ck_assert_uint_eq(zi.zones[dma].free, 3840);
	ck_assert_uint_eq(zi.zones[dma32].start_pfn, 4096);
	ck_assert_uint_eq(zi.zones[dma32].spanned, 1044480);
	ck_assert_uint_eq(zi.zones[dma32].present, 782336);
	ck_assert_uint_eq(zi.zones[normal].start_pfn, 1048576);
	ck_assert_uint_eq(zi.zones[normal].spanned, 5505024);
	ck_assert_uint_eq(zi.zones[normal].present, 5505024);
	ck_assert_uint_eq(zi.zones[normal].managed, 1015808);
	/* the empty zones are kept, without a span */
	for (i = 3; i < 5; i++) {
		ck_assert_int_eq(zi.zones[i].node, 0);
		ck_assert(!zi.zones[i].has_start_pfn);
		ck_assert_uint_eq(zi.zones[i].spanned, 0);
		ck_assert_uint_eq(zi.zones[i].present, 0);
	}

	/* PFN lookups: the spans are [1, 4096), [4096, 1048576),
	 * [1048576, 6553600) */
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0), -1);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 1), dma);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 4095), dma);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 4096), dma32);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0x100000000ULL >> 12), normal);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0xbffff), dma32);	/* 3 GiB - 4 KiB */
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 1048575), dma32);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 1048576), normal);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0x01000000 >> 12), dma32);	/* kernel text */
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 6553599), normal);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 6553600), -1);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, UINT64_MAX), -1);
	zoneinfo_release(&zi);
	ck_assert_ptr_null(zi.zones);
	ck_assert_uint_eq(zi.count, 0);
	zoneinfo_release(&zi);	/* twice is harmless */
}
END_TEST

START_TEST(test_read_sysroot)
{
	struct proc_source src;
	struct zoneinfo zi, direct;
	size_t i;

	ck_assert_int_eq(proc_source_init(&src, MACHINE "/root"), 0);
	ck_assert_int_eq(zoneinfo_read(&src, &zi), 0);
	proc_source_release(&src);
	ck_assert_int_eq(parse_fixture(MACHINE "/root/proc/zoneinfo", &direct), 0);
	ck_assert_uint_eq(zi.count, direct.count);
	for (i = 0; i < zi.count; i++)
		ck_assert(zone_eq(&zi.zones[i], &direct.zones[i]));
	zoneinfo_release(&zi);
	zoneinfo_release(&direct);

	/* the unprivileged sysroot has no zoneinfo */
	ck_assert_int_eq(proc_source_init(&src, MACHINE "/user"), 0);
	zi.count = 7;
	ck_assert_int_eq(zoneinfo_read(&src, &zi), -ENOENT);
	ck_assert_uint_eq(zi.count, 0);
	ck_assert_ptr_null(zi.zones);
	zoneinfo_release(&zi);
	proc_source_release(&src);
}
END_TEST

START_TEST(test_numa)
{
	size_t len;
	char *text = util_read_file(MACHINE "/zoneinfo-numa", &len);
	struct zoneinfo zi;
	long n1normal;

	ck_assert_int_eq(parse_n(text, len, &zi), 0);
	check_against_text(&zi, text);
	free(text);
	ck_assert_uint_eq(zi.count, 10);
	n1normal = find_zone(&zi, 1, "Normal");
	ck_assert_int_eq(n1normal, 7);
	ck_assert_uint_eq(zi.zones[n1normal].start_pfn, 4194304);
	ck_assert_uint_eq(zi.zones[n1normal].spanned, 4194304);
	/* node 1's empty DMA and DMA32 are kept */
	ck_assert_int_eq(find_zone(&zi, 1, "DMA"), 5);
	ck_assert_uint_eq(zi.zones[5].spanned, 0);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 4194304), n1normal);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 8388607), n1normal);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 8388608), -1);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 4194303), find_zone(&zi, 0, "Normal"));
	/* the per-node stats before node 1's Normal are not its fields */
	ck_assert_uint_eq(zi.zones[n1normal].free, 4000000);
	zoneinfo_release(&zi);
}
END_TEST

START_TEST(test_old_32bit)
{
	size_t len;
	char *text = util_read_file(MACHINE "/zoneinfo-32bit-old", &len);
	struct zoneinfo zi;
	long high;

	ck_assert_int_eq(parse_n(text, len, &zi), 0);
	check_against_text(&zi, text);
	free(text);
	ck_assert_uint_eq(zi.count, 3);
	high = find_zone(&zi, 0, "HighMem");
	ck_assert_int_eq(high, 2);
	ck_assert(zi.zones[high].has_start_pfn);
	ck_assert_uint_eq(zi.zones[high].start_pfn, 227326);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 227325), 1);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 227326), high);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 227326 + 304109), high);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 227326 + 304110), -1);
	zoneinfo_release(&zi);

	ck_assert_int_eq(parse_fixture(MACHINE "/zoneinfo-no-start-pfn", &zi), 0);
	ck_assert_uint_eq(zi.count, 2);
	ck_assert(!zi.zones[0].has_start_pfn);
	ck_assert(!zi.zones[1].has_start_pfn);
	ck_assert_uint_eq(zi.zones[1].spanned, 897024);
	ck_assert_uint_eq(zi.zones[1].managed, 0);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0), -1);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 5000), -1);
	zoneinfo_release(&zi);
}
END_TEST

/* The per-cpu pagesets hold "count:", "high:" and "batch:" lines, and the
 * parser must not read anything there but start_pfn, even a line that
 * would be a zone field elsewhere. */
START_TEST(test_pagesets_ignored)
{
	static const char text[] =
		"Node 0, zone   Normal\n"
		"  pages free     100\n"
		"        min      1\n"
		"        high     7\n"
		"        spanned  1000\n"
		"        present  900\n"
		"        managed  800\n"
		"        protection: (0, 0, 0, 0, 0)\n"
		"      nr_free_pages 100\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count:    5\n"
		"              high:     6\n"
		"              batch:    63\n"
		"              spanned  5\n"
		"              present  5\n"
		"  pages free     12345\n"
		"  vm stats threshold: 24\n"
		"    cpu: 1\n"
		"              count:    5\n"
		"              managed  5\n"
		"  vm stats threshold: 24\n"
		"  node_unreclaimable:  0\n"
		"  start_pfn:           262144\n"
		"  spanned  77\n"
		"Node 0, zone  Movable\n"
		"  pages free     0\n"
		"        spanned  0\n"
		"        present  0\n";
	struct zoneinfo zi;

	ck_assert_int_eq(parse(text, &zi), 0);
	ck_assert_uint_eq(zi.count, 2);
	ck_assert_uint_eq(zi.zones[0].free, 100);
	ck_assert_uint_eq(zi.zones[0].spanned, 1000);
	ck_assert_uint_eq(zi.zones[0].present, 900);
	ck_assert_uint_eq(zi.zones[0].managed, 800);
	ck_assert(zi.zones[0].has_start_pfn);
	ck_assert_uint_eq(zi.zones[0].start_pfn, 262144);
	ck_assert_str_eq(zi.zones[1].name, "Movable");
	ck_assert_uint_eq(zi.zones[1].spanned, 0);
	/* the next zone's header ends the pagesets */
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 262144), 0);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 263143), 0);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 263144), -1);
	zoneinfo_release(&zi);

	/* the per-node stats are not zone fields either: the first zone's
	 * own values start at "pages free" */
	ck_assert_int_eq(parse("Node 0, zone      DMA\n"
			       "  per-node stats\n"
			       "      nr_inactive_anon 3751\n"
			       "      spanned  4\n"
			       "      present  4\n"
			       "  pages free     3840\n"
			       "        spanned  4095\n", &zi), 0);
	ck_assert_uint_eq(zi.count, 1);
	ck_assert_uint_eq(zi.zones[0].spanned, 4095);
	ck_assert_uint_eq(zi.zones[0].present, 0);
	ck_assert_uint_eq(zi.zones[0].free, 3840);
	zoneinfo_release(&zi);
}
END_TEST

START_TEST(test_line_forms)
{
	struct zoneinfo zi;

	ck_assert_int_eq(parse("", &zi), 0);
	ck_assert_uint_eq(zi.count, 0);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0), -1);
	zoneinfo_release(&zi);

	/* lines before the first header, unknown lines, blank lines, names
	 * not padded, trailing blanks, no final newline */
	ck_assert_int_eq(parse("spanned 5\n"
			       "whatever\n"
			       "Node 3, zone Normal  \n"
			       "\n"
			       "  some new line: 12 kB\n"
			       "        spannedx 9\n"
			       "        spanned  10  \n"
			       "  pages freed 3\n"
			       "  pages free 4\n"
			       "Node 12,zone ZONE_NAME_15_BY\n"
			       "  start_pfn: 18446744073709551615", &zi), 0);
	ck_assert_uint_eq(zi.count, 2);
	ck_assert_int_eq(zi.zones[0].node, 3);
	ck_assert_str_eq(zi.zones[0].name, "Normal");
	ck_assert_uint_eq(zi.zones[0].spanned, 10);
	ck_assert_uint_eq(zi.zones[0].free, 4);
	ck_assert_int_eq(zi.zones[1].node, 12);
	ck_assert_str_eq(zi.zones[1].name, "ZONE_NAME_15_BY");
	ck_assert_uint_eq(zi.zones[1].start_pfn, UINT64_MAX);
	/* a span that would wrap past 2^64 holds what is below 2^64 */
	zi.zones[1].spanned = 2;
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, UINT64_MAX), 1);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 0), -1);
	zoneinfo_release(&zi);

	/* many zones: the array grows */
	{
		char big[64 * 64];
		size_t off = 0;
		int i;

		for (i = 0; i < 64; i++)
			off += (size_t)snprintf(big + off, sizeof(big) - off,
						"Node %d, zone Normal\n  start_pfn: %d\n  spanned %d\n",
						i, i * 10, 10);
		ck_assert_uint_lt(off, sizeof(big));
		ck_assert_int_eq(parse_n(big, off, &zi), 0);
		ck_assert_uint_eq(zi.count, 64);
		ck_assert_int_eq(zoneinfo_find_pfn(&zi, 635), 63);
		ck_assert_int_eq(zoneinfo_find_pfn(&zi, 640), -1);
		zoneinfo_release(&zi);
	}
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"Node x, zone DMA\n",
		"Node , zone DMA\n",
		"Node 0 zone DMA\n",
		"Node 0, zone\n",
		"Node 0, zone \n",
		"Node 0, zon DMA\n",
		"Node 0, zoneDMA\n",
		"Node 0, zone DMA extra\n",
		"Node 0, zone ZONE_NAME_16_BYT\n",
		"Node 2147483648, zone DMA\n",
		"Node 99999999999999999999999, zone DMA\n",
		"Node -1, zone DMA\n",
		"Node 0, zone DMA\n  pages free\n",
		"Node 0, zone DMA\n  pages free     x\n",
		"Node 0, zone DMA\n        spanned  12x\n",
		"Node 0, zone DMA\n        spanned  -1\n",
		"Node 0, zone DMA\n        spanned  1 2\n",
		"Node 0, zone DMA\n        present  18446744073709551616\n",
		"Node 0, zone DMA\n        managed\n",
		"Node 0, zone DMA\n  start_pfn:\n",
		"Node 0, zone DMA\n  pagesets\n  start_pfn:   0x10\n",
		"Node 0, zone DMA\n        spanned  1\nNode 0, zone",
	};
	struct zoneinfo zi;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zi.count = 99;
		ck_assert_msg(parse(bad[i], &zi) == -EINVAL, "accepted: \"%s\"", bad[i]);
		ck_assert_uint_eq(zi.count, 0);
		ck_assert_ptr_null(zi.zones);
		zoneinfo_release(&zi);
	}
	/* names are printable ASCII: no control byte, no NUL */
	ck_assert_int_eq(parse("Node 0, zone D\tMA\n", &zi), -EINVAL);
	ck_assert_int_eq(parse_n("Node 0, zone D\0MA\n", 19, &zi), -EINVAL);
	ck_assert_int_eq(parse_n("Node 0, zone \0\n", 15, &zi), -EINVAL);
	ck_assert_int_eq(parse("Node 0, zone D\xc3\xa9\n", &zi), -EINVAL);
	ck_assert_ptr_null(zi.zones);
	/* the largest node number and the longest name fit */
	ck_assert_int_eq(parse("Node 2147483647, zone ZONE_NAME_15_BY\n", &zi), 0);
	ck_assert_int_eq(zi.zones[0].node, 2147483647);
	zoneinfo_release(&zi);
}
END_TEST

/* The capture cut inside DMA32's "spanned" line: DMA is whole, DMA32 has
 * the digits before the cut and no start_pfn yet, so no PFN finds it. */
START_TEST(test_truncated)
{
	struct zoneinfo zi;

	ck_assert_int_eq(parse_fixture(MACHINE "/zoneinfo-truncated", &zi), 0);
	ck_assert_uint_eq(zi.count, 2);
	ck_assert_str_eq(zi.zones[0].name, "DMA");
	ck_assert_uint_eq(zi.zones[0].start_pfn, 1);
	ck_assert_uint_eq(zi.zones[0].spanned, 4095);
	ck_assert_str_eq(zi.zones[1].name, "DMA32");
	ck_assert_uint_eq(zi.zones[1].spanned, 1044);
	ck_assert(!zi.zones[1].has_start_pfn);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 2), 0);
	ck_assert_int_eq(zoneinfo_find_pfn(&zi, 4096), -1);
	zoneinfo_release(&zi);
}
END_TEST

/* Nothing at or past len is read. */
START_TEST(test_bounded_len)
{
	static const char text[] =
		"Node 0, zone    DMA32\n"
		"        spanned  1044480\n"
		"  start_pfn:           4096\n";
	const char *num = strstr(text, "1044480");
	const char *pfn = strstr(text, "4096");
	struct zoneinfo zi;
	size_t cut, flen;
	char *file;

	/* cut inside a number: the digits before the cut, not the rest */
	cut = (size_t)(num - text) + 3;
	ck_assert_int_eq(zoneinfo_parse(text, cut, &zi), 0);
	ck_assert_uint_eq(zi.zones[0].spanned, 104);
	zoneinfo_release(&zi);
	ck_assert_int_eq(parse_n(text, cut, &zi), 0);
	ck_assert_uint_eq(zi.zones[0].spanned, 104);
	zoneinfo_release(&zi);
	cut = (size_t)(pfn - text) + 1;
	ck_assert_int_eq(parse_n(text, cut, &zi), 0);
	ck_assert_uint_eq(zi.zones[0].start_pfn, 4);
	zoneinfo_release(&zi);
	/* before the first digit: no value */
	cut = (size_t)(num - text);
	ck_assert_int_eq(parse_n(text, cut, &zi), -EINVAL);
	/* inside the zone name: "DM" */
	cut = strlen("Node 0, zone    DM");
	ck_assert_int_eq(parse_n(text, cut, &zi), 0);
	ck_assert_str_eq(zi.zones[0].name, "DM");
	zoneinfo_release(&zi);

	/* every cut of the real capture: a clean answer, and every zone
	 * before the one that was cut as in the whole file */
	file = util_read_file(MACHINE "/root/proc/zoneinfo", &flen);
	{
		struct zoneinfo whole;

		ck_assert_int_eq(parse_n(file, flen, &whole), 0);
		for (cut = 0; cut <= flen; cut++) {
			int rc = parse_n(file, cut, &zi);
			size_t i;

			ck_assert(rc == 0 || rc == -EINVAL);
			if (rc)
				continue;
			ck_assert_uint_le(zi.count, whole.count);
			for (i = 0; i + 1 < zi.count; i++)
				ck_assert(zone_eq(&zi.zones[i], &whole.zones[i]));
			zoneinfo_release(&zi);
		}
		zoneinfo_release(&whole);
	}
	free(file);
}
END_TEST

static Suite *zoneinfo_suite(void)
{
	Suite *s = suite_create("zoneinfo");
	TCase *tc = tcase_create("captures");

	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_read_sysroot);
	tcase_add_test(tc, test_numa);
	tcase_add_test(tc, test_old_32bit);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_pagesets_ignored);
	tcase_add_test(tc, test_line_forms);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_bounded_len);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(zoneinfo_suite());
}
