/* check_fields.c: region attributes by name (src/model/fields.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/fields.h"
#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "unit_util.h"

static struct snapshot snap;

static void setup(void)
{
	static const struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};
	struct smaps_counters c = { 0 };

	ck_assert_int_eq(snapshot_init(&snap, 42), 0);
	util_set_counter(&c, SMAPS_RSS, 12288);
	util_set_counter(&c, SMAPS_PSS, 6144);
	util_set_counter(&c, SMAPS_SHARED_CLEAN, 4096);
	util_set_counter(&c, SMAPS_SHARED_DIRTY, 0);
	util_set_counter(&c, SMAPS_PRIVATE_CLEAN, 4096);
	util_set_counter(&c, SMAPS_PRIVATE_DIRTY, 4096);
	util_set_counter(&c, SMAPS_KERNEL_PAGE_SIZE, 4096);
	/* 0: a deleted file, minor > 0xff, with VmFlags and counters */
	util_add_region(&snap, "7f0000000000-7f0000004000 rw-p 00003000 00:1ac 987654 "
			"/tmp/data file (deleted)", "rd wr mr mw me ac zz", &c);
	/* 1: maps only: no counters, no VmFlags */
	util_add_region(&snap, "7f0000004000-7f0000005000 r--s 00000000 fe:00 12 /etc/x",
			NULL, NULL);
	/* 2: anonymous, with Private_Dirty but no Shared_Dirty */
	memset(&c, 0, sizeof(c));
	util_set_counter(&c, SMAPS_PRIVATE_DIRTY, 8192);
	util_add_region(&snap, "7f0000010000-7f0000012000 rw-p 00000000 00:00 0 ",
			"rd wr mr mw me ac", &c);
	ck_assert_int_eq(snapshot_analyse(&snap, &ev), 0);
}

static void teardown(void)
{
	snapshot_release(&snap);
}

START_TEST(test_field_table)
{
	int f, g;

	for (f = 0; f < F_COUNT; f++) {
		const struct field_info *fi = field_info(f);

		ck_assert_ptr_nonnull(fi);
		ck_assert_ptr_nonnull(fi->name);
		ck_assert_ptr_nonnull(fi->help);
		ck_assert_int_gt(strlen(fi->name), 0);
		ck_assert_int_eq(field_parse(fi->name, strlen(fi->name)), f);
		for (g = 0; g < f; g++)
			ck_assert_str_ne(fi->name, field_info(g)->name);
	}
	ck_assert_ptr_null(field_info(F_COUNT));
	ck_assert_ptr_null(field_info((enum region_field)-1));
}
END_TEST

START_TEST(test_field_parse)
{
	ck_assert_int_eq(field_parse("rss", 3), F_RSS);
	ck_assert_int_eq(field_parse("RSS", 3), F_RSS);
	ck_assert_int_eq(field_parse("Private_Dirty", 13), F_PRIVATE_DIRTY);
	ck_assert_int_eq(field_parse("start", 5), F_START);
	ck_assert_int_eq(field_parse("kind", 4), F_KIND);
	ck_assert_int_eq(field_parse("vmflags", 7), F_VMFLAGS);
	/* the length ends the name: "-o rss,pss" */
	ck_assert_int_eq(field_parse("rss,pss", 3), F_RSS);
	ck_assert_int_eq(field_parse("rss,pss" + 4, 3), F_PSS);
	ck_assert_int_eq(field_parse("rs", 2), -1);
	ck_assert_int_eq(field_parse("rssx", 4), -1);
	ck_assert_int_eq(field_parse("nope", 4), -1);
	ck_assert_int_eq(field_parse("", 0), -1);
	ck_assert_int_eq(field_info(F_RSS)->type, FIELD_BYTES);
	ck_assert_int_eq(field_info(F_START)->type, FIELD_ADDR);
	ck_assert_int_eq(field_info(F_PATH)->type, FIELD_TEXT);
}
END_TEST

START_TEST(test_numbers)
{
	const struct region *r = &snap.regions[0];
	uint64_t v = 0;

	ck_assert(region_field_number(&snap, r, F_START, &v));
	ck_assert_uint_eq(v, 0x7f0000000000ULL);
	ck_assert(region_field_number(&snap, r, F_END, &v));
	ck_assert_uint_eq(v, 0x7f0000004000ULL);
	ck_assert(region_field_number(&snap, r, F_SIZE, &v));
	ck_assert_uint_eq(v, 0x4000);
	ck_assert(region_field_number(&snap, r, F_OFFSET, &v));
	ck_assert_uint_eq(v, 0x3000);
	ck_assert(region_field_number(&snap, r, F_INODE, &v));
	ck_assert_uint_eq(v, 987654);
	ck_assert(region_field_number(&snap, r, F_RSS, &v));
	ck_assert_uint_eq(v, 12288);
	ck_assert(region_field_number(&snap, r, F_PSS, &v));
	ck_assert_uint_eq(v, 6144);
	ck_assert(region_field_number(&snap, r, F_USS, &v));
	ck_assert_uint_eq(v, 8192);
	ck_assert(region_field_number(&snap, r, F_DIRTY, &v));
	ck_assert_uint_eq(v, 4096);
	ck_assert(region_field_number(&snap, r, F_KPAGESIZE, &v));
	ck_assert_uint_eq(v, 4096);
	/* not printed by this kernel: unknown, never 0 */
	ck_assert(!region_field_number(&snap, r, F_SWAP, &v));
	ck_assert(!region_field_number(&snap, r, F_PSS_DIRTY, &v));
	ck_assert(!region_field_number(&snap, r, F_KSM, &v));
	/* no thread */
	ck_assert(!region_field_number(&snap, r, F_TID, &v));
	/* text fields have no number */
	ck_assert(!region_field_number(&snap, r, F_PATH, &v));
	ck_assert(!region_field_number(&snap, r, F_KIND, &v));
}
END_TEST

START_TEST(test_numbers_unknown)
{
	uint64_t v = 7;

	/* maps-only region: only the header fields are known */
	ck_assert(region_field_number(&snap, &snap.regions[1], F_SIZE, &v));
	ck_assert_uint_eq(v, 4096);
	ck_assert(!region_field_number(&snap, &snap.regions[1], F_RSS, &v));
	ck_assert(!region_field_number(&snap, &snap.regions[1], F_USS, &v));
	/* a sum with one half unknown is unknown */
	ck_assert(!region_field_number(&snap, &snap.regions[2], F_DIRTY, &v));
	ck_assert(!region_field_number(&snap, &snap.regions[2], F_USS, &v));
	ck_assert(region_field_number(&snap, &snap.regions[2], F_PRIVATE_DIRTY, &v));
	ck_assert_uint_eq(v, 8192);
}
END_TEST

START_TEST(test_tid)
{
	struct region *r = &snap.regions[2];
	uint64_t v = 0;

	r->tid = 4321;
	ck_assert(region_field_number(&snap, r, F_TID, &v));
	ck_assert_uint_eq(v, 4321);
}
END_TEST

START_TEST(test_texts)
{
	const struct region *r = &snap.regions[0];
	char buf[160];

	ck_assert_str_eq(region_field_text(&snap, r, F_PERMS, buf, sizeof(buf)), "rw-p");
	ck_assert_str_eq(region_field_text(&snap, r, F_DEV, buf, sizeof(buf)), "00:1ac");
	ck_assert_str_eq(region_field_text(&snap, r, F_PATH, buf, sizeof(buf)),
			 "/tmp/data file");
	ck_assert_str_eq(region_field_text(&snap, r, F_DELETED, buf, sizeof(buf)), "deleted");
	ck_assert_str_eq(region_field_text(&snap, r, F_KIND, buf, sizeof(buf)), "file");
	/* in bit order, the unknown mnemonic as "??" */
	ck_assert_str_eq(region_field_text(&snap, r, F_VMFLAGS, buf, sizeof(buf)),
			 "rd wr mr mw me ac ??");
	ck_assert_ptr_null(region_field_text(&snap, r, F_DETAIL, buf, sizeof(buf)));
	ck_assert_ptr_null(region_field_text(&snap, r, F_IMAGE, buf, sizeof(buf)));
	/* not an image: no sections */
	ck_assert_ptr_null(region_field_text(&snap, r, F_SECTIONS, buf, sizeof(buf)));

	r = &snap.regions[1];
	ck_assert_str_eq(region_field_text(&snap, r, F_PERMS, buf, sizeof(buf)), "r--s");
	ck_assert_str_eq(region_field_text(&snap, r, F_DEV, buf, sizeof(buf)), "fe:00");
	ck_assert_ptr_null(region_field_text(&snap, r, F_DELETED, buf, sizeof(buf)));
	ck_assert_ptr_null(region_field_text(&snap, r, F_VMFLAGS, buf, sizeof(buf)));

	r = &snap.regions[2];
	ck_assert_ptr_null(region_field_text(&snap, r, F_PATH, buf, sizeof(buf)));
	ck_assert_str_eq(region_field_text(&snap, r, F_KIND, buf, sizeof(buf)), "anon");
	ck_assert_str_eq(region_field_text(&snap, r, F_DEV, buf, sizeof(buf)), "00:00");
	/* number fields have no text */
	ck_assert_ptr_null(region_field_text(&snap, r, F_RSS, buf, sizeof(buf)));
}
END_TEST

/* A small buffer truncates the flags list and stays terminated. */
START_TEST(test_vmflags_small_buffer)
{
	char buf[160];
	const char *t;
	size_t n;

	memset(buf, 'X', sizeof(buf));
	t = region_field_text(&snap, &snap.regions[0], F_VMFLAGS, buf, 9);
	ck_assert_ptr_nonnull(t);
	n = strlen(t);
	ck_assert_uint_lt(n, 9);
	ck_assert(strncmp("rd wr mr mw me ac ??", t, n) == 0);
	ck_assert_int_eq(buf[9], 'X');
}
END_TEST

/* The detail pane lists every counter under the kernel's key, and every
 * VmFlags bit spelled out, through these. */
START_TEST(test_counters_and_vmflags)
{
	const struct region *r = &snap.regions[0];
	struct region_counter c;
	const char *name, *what;
	int i, n = 0, flags = 0;
	char perms[5];

	ck_assert_int_gt(region_counter_count(), 0);
	for (i = 0; i < region_counter_count(); i++) {
		if (!region_counter(r, i, &c))
			continue;
		ck_assert_ptr_nonnull(c.key);
		ck_assert(c.bytes);
		if (strcmp(c.key, "Rss") == 0)
			ck_assert_uint_eq(c.v, 12288);
		if (strcmp(c.key, "Private_Dirty") == 0)
			ck_assert_uint_eq(c.v, 4096);
		n++;
	}
	/* the seven set in setup(), no more */
	ck_assert_int_eq(n, 7);
	ck_assert(!region_counter(r, -1, &c));
	ck_assert(!region_counter(r, region_counter_count(), &c));
	/* no smaps block: no counters */
	for (i = 0; i < region_counter_count(); i++)
		ck_assert(!region_counter(&snap.regions[1], i, &c));

	for (i = 0; i < REGION_VMFLAG_BITS; i++) {
		if (!region_vmflag(r, i, &name, &what))
			continue;
		ck_assert_ptr_nonnull(name);
		ck_assert_ptr_nonnull(what);
		if (strcmp(name, "??") == 0)
			ck_assert_str_eq(what, "a flag this vmmap does not know");
		if (strcmp(name, "rd") == 0)
			ck_assert_str_eq(what, "readable");
		flags++;
	}
	ck_assert_int_eq(flags, 7);
	ck_assert(!region_vmflag(&snap.regions[1], 0, &name, &what));

	region_perms_text(r->perms, perms);
	ck_assert_str_eq(perms, "rw-p");
	ck_assert(!region_perms_wx(r->perms));
	ck_assert(region_perms_wx(MAPS_READ | MAPS_WRITE | MAPS_EXEC));
}
END_TEST

/* Fields of an image region read from the sleep capture. */
START_TEST(test_fixture_image_fields)
{
	char *root = util_fixture_dir("sleep");
	struct source src;
	struct load_error err;
	struct snapshot s;
	size_t i, code = 0;
	char buf[512];

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, util_fixture_pid("sleep"), NULL, &s, &err), 0);
	for (i = 0; i < s.nregions; i++) {
		const struct region *r = &s.regions[i];
		const char *img = region_field_text(&s, r, F_IMAGE, buf, sizeof(buf));

		if (r->kind != KIND_CODE)
			continue;
		code++;
		ck_assert_ptr_nonnull(img);
		ck_assert_str_eq(img, region_field_text(&s, r, F_PATH, buf, sizeof(buf)));
		ck_assert_ptr_nonnull(region_field_text(&s, r, F_SECTIONS, buf, sizeof(buf)));
		ck_assert_str_eq(region_field_text(&s, r, F_PERMS, buf, sizeof(buf)), "r-xp");
	}
	ck_assert_uint_gt(code, 0);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

/* The process and image attributes views show, named by the model. */
START_TEST(test_fixture_process_and_images)
{
	char *root = util_fixture_dir("sleep");
	struct source src;
	struct load_error err;
	struct snapshot s;
	struct image_elf ie;
	struct image_segment sg;
	const char *name;
	uint64_t v;
	size_t i, loads = 0;
	bool code_known;

	ck_assert_str_eq(region_vmflag_name(0), "rd");
	ck_assert_str_eq(region_vmflag_name(63), "??");
	ck_assert_ptr_null(region_vmflag_name(64));
	ck_assert_ptr_null(region_vmflag_name(-1));

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, util_fixture_pid("sleep"), NULL, &s, &err), 0);

	ck_assert_int_gt(process_mm_count(), 1);
	code_known = process_mm(&s, 0, &name, &v);
	ck_assert_str_eq(name, "start_code");
	ck_assert(code_known);
	ck_assert_uint_gt(v, 0);
	ck_assert(!process_mm(&s, process_mm_count(), &name, &v));
	ck_assert_int_gt(process_status_count(), 1);
	ck_assert(process_status(&s, 0, &name, &v));
	ck_assert_ptr_nonnull(name);
	ck_assert(!process_status(&s, -1, &name, &v));

	ck_assert_uint_gt(s.nimages, 0);
	ck_assert(image_elf(&s.images[0], &ie));
	ck_assert(strcmp(ie.type, "dyn") == 0 || strcmp(ie.type, "exec") == 0);
	ck_assert_int_eq(ie.elf_class, 64);
	ck_assert_uint_eq(strspn(ie.build_id, "0123456789abcdef"), strlen(ie.build_id));
	for (i = 0; image_segment(&s.images[0], i, &sg); i++) {
		ck_assert_uint_eq(strlen(sg.flags), 3);
		loads += strcmp(sg.type, "LOAD") == 0;
	}
	ck_assert_uint_eq(i, ie.nsegments);
	ck_assert_uint_gt(loads, 0);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

static Suite *fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, test_field_table);
	tcase_add_test(tc, test_field_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_numbers_unknown);
	tcase_add_test(tc, test_tid);
	tcase_add_test(tc, test_texts);
	tcase_add_test(tc, test_vmflags_small_buffer);
	tcase_add_test(tc, test_counters_and_vmflags);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_fixture_image_fields);
	tcase_add_test(tc, test_fixture_process_and_images);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(fields_suite());
}
