/* check_images.c: ELF images in a snapshot: grouping, load bias, kinds from
 * the program headers, bss tails, sections (src/model/images.c), with
 * parsed headers built by hand. */
#include "config.h"

#include <check.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf/image.h"
#include "model/fields.h"
#include "model/images.h"
#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "unit_util.h"

static const struct address_space_evidence ev = {
	.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64", .page_size = 4096,
};

static struct snapshot snap;

struct sec {
	const char *name;
	uint64_t addr, size;
	uint32_t type;
};

/* A parsed image as elf_image_read_fd() would return it (heap-allocated:
 * snapshot_release() drops the reference). */
static struct elf_image *new_elf(const struct elf_segment *seg, size_t nseg,
				 const struct sec *sec, size_t nsec)
{
	struct elf_image *img = calloc(1, sizeof(*img));
	size_t i, off = 1;

	ck_assert_ptr_nonnull(img);
	img->refs = 1;
	img->type = ELF_IMAGE_DYN;
	img->elf_class = 64;
	img->machine = EM_X86_64;
	img->segments = malloc(nseg * sizeof(*seg));
	ck_assert_ptr_nonnull(img->segments);
	memcpy(img->segments, seg, nseg * sizeof(*seg));
	img->nsegments = nseg;
	img->has_section_headers = nsec > 0;
	if (nsec) {
		img->sections = calloc(nsec, sizeof(*img->sections));
		img->names = calloc(1, 4096);
		ck_assert_ptr_nonnull(img->sections);
		ck_assert_ptr_nonnull(img->names);
		for (i = 0; i < nsec; i++) {
			img->sections[i].addr = sec[i].addr;
			img->sections[i].size = sec[i].size;
			img->sections[i].type = sec[i].type;
			img->sections[i].name = (uint32_t)off;
			strcpy(img->names + off, sec[i].name);
			off += strlen(sec[i].name) + 1;
		}
		img->nsections = nsec;
	}
	return img;
}

static long image_of(const char *path)
{
	size_t k;

	for (k = 0; k < snap.nimages; k++)
		if (strcmp(strpool_get(&snap.pool, snap.images[k].path), path) == 0)
			return (long)k;
	return -1;
}

static const struct region *at(uint64_t addr)
{
	long i = snapshot_find_region(&snap, addr);

	ck_assert_msg(i >= 0, "no region at 0x%llx", (unsigned long long)addr);
	return &snap.regions[i];
}

static void assert_kind(uint64_t addr, enum region_kind kind)
{
	const struct region *r = at(addr);

	ck_assert_msg(r->kind == kind, "0x%llx: kind %s, want %s",
		      (unsigned long long)addr, region_kind_name(r->kind),
		      region_kind_name(kind));
}

static const char *sections_of(uint64_t addr, char *buf, size_t size)
{
	return region_field_text(&snap, at(addr), F_SECTIONS, buf, size);
}

#define SLEEP "/usr/bin/sleep"
#define LIBBSS "/usr/lib/libbss.so.1"
#define LIBGONE "/usr/lib/libunreadable.so"
#define STRIPPED "/usr/lib/libstripped.so"
#define BIAS 0x56241d9ba000ULL

/* /usr/bin/sleep as the reference (§7.2) shows it: 4 PT_LOADs and a
 * PT_GNU_RELRO that ld.so split off the writable segment. */
static const struct elf_segment sleep_segments[] = {
	{ PT_PHDR, PF_R, 0x40, 0x40, 0x2d8, 0x2d8 },
	{ PT_LOAD, PF_R, 0x0, 0x0, 0x14a0, 0x14a0 },
	{ PT_LOAD, PF_R | PF_X, 0x2000, 0x2000, 0x4609, 0x4609 },
	{ PT_LOAD, PF_R, 0x7000, 0x7000, 0x1e30, 0x1e30 },
	{ PT_LOAD, PF_R | PF_W, 0x9d10, 0x9d10, 0x4f0, 0x6b0 },
	{ PT_GNU_RELRO, PF_R, 0x9d10, 0x9d10, 0x2f0, 0x2f0 },
};
static const struct sec sleep_sections[] = {
	{ ".interp", 0x318, 0x1c, SHT_PROGBITS },
	{ ".text", 0x2330, 0x42d2, SHT_PROGBITS },
	{ ".rodata", 0x7000, 0xc50, SHT_PROGBITS },
	{ ".eh_frame", 0x7ed8, 0xf58, SHT_PROGBITS },
	{ ".init_array", 0x9d10, 0x8, SHT_INIT_ARRAY },
	{ ".fini_array", 0x9d18, 0x8, SHT_FINI_ARRAY },
	{ ".data.rel.ro", 0x9d20, 0xb8, SHT_PROGBITS },
	{ ".dynamic", 0x9dd8, 0x1e0, SHT_DYNAMIC },
	{ ".got", 0x9fb8, 0x30, SHT_PROGBITS },
	{ ".got.plt", 0x9fe8, 0x198, SHT_PROGBITS },
	{ ".data", 0xa180, 0x80, SHT_PROGBITS },
	{ ".bss", 0xa200, 0x1c0, SHT_NOBITS },
};

/* A library with a big .bss and a loader gap between its two segments. */
static const struct elf_segment libbss_segments[] = {
	{ PT_LOAD, PF_R | PF_X, 0x0, 0x0, 0x1000, 0x1000 },
	{ PT_LOAD, PF_R | PF_W, 0x1000, 0x11000, 0x800, 0x5000 },
};

static void setup(void)
{
	struct smaps_counters c = { 0 };
	long k;

	ck_assert_int_eq(snapshot_init(&snap, 99), 0);
	util_set_counter(&c, SMAPS_RSS, 4096);
	util_set_counter(&c, SMAPS_PSS, 2048);
	util_set_counter(&c, SMAPS_SHARED_DIRTY, 0);
	util_set_counter(&c, SMAPS_PRIVATE_DIRTY, 4096);
	/* sleep, no VmFlags: the relro part is known from the headers */
	util_add_region(&snap, "56241d9ba000-56241d9bc000 r--p 00000000 fe:00 248056 " SLEEP,
			NULL, &c);
	util_add_region(&snap, "56241d9bc000-56241d9c1000 r-xp 00002000 fe:00 248056 " SLEEP,
			NULL, &c);
	util_add_region(&snap, "56241d9c1000-56241d9c3000 r--p 00007000 fe:00 248056 " SLEEP,
			NULL, &c);
	util_add_region(&snap, "56241d9c3000-56241d9c4000 r--p 00009000 fe:00 248056 " SLEEP,
			NULL, &c);
	util_add_region(&snap, "56241d9c4000-56241d9c5000 rw-p 0000a000 fe:00 248056 " SLEEP,
			NULL, &c);
	util_add_region(&snap, "56241e000000-56241e021000 rw-p 00000000 00:00 0 [heap]",
			NULL, &c);
	/* libbss: code, gap, data, then its bss tail merged with 40 KiB */
	util_add_region(&snap, "7f0000000000-7f0000001000 r-xp 00000000 fe:00 700 " LIBBSS,
			NULL, &c);
	util_add_region(&snap, "7f0000001000-7f0000011000 ---p 00001000 fe:00 700 " LIBBSS,
			NULL, NULL);
	util_add_region(&snap, "7f0000011000-7f0000012000 rw-p 00001000 fe:00 700 " LIBBSS,
			NULL, &c);
	util_add_region(&snap, "7f0000012000-7f0000020000 rw-p 00000000 00:00 0 ", NULL, &c);
	/* a library whose file could not be read */
	util_add_region(&snap, "7f0000100000-7f0000101000 r--p 00000000 fe:00 701 " LIBGONE,
			"rd mr mw me ac", &c);
	util_add_region(&snap, "7f0000101000-7f0000102000 r-xp 00001000 fe:00 701 " LIBGONE,
			NULL, &c);
	util_add_region(&snap, "7f0000102000-7f0000103000 rw-p 00000000 00:00 0 ", NULL, &c);
	/* a library without section headers */
	util_add_region(&snap, "7f0000200000-7f0000201000 r-xp 00000000 fe:00 702 " STRIPPED,
			NULL, &c);
	/* the same file as libbss, but mapped shared: not part of the image */
	util_add_region(&snap, "7f0000300000-7f0000301000 r--s 00000000 fe:00 700 " LIBBSS,
			NULL, &c);

	ck_assert_int_eq(images_group(&snap), 0);
	ck_assert(snap.images_grouped);
	ck_assert_uint_eq(snap.nimages, 4);
	k = image_of(SLEEP);
	ck_assert_int_ge(k, 0);
	snap.images[k].elf = new_elf(sleep_segments, 6, sleep_sections,
				     sizeof(sleep_sections) / sizeof(sleep_sections[0]));
	k = image_of(LIBBSS);
	ck_assert_int_ge(k, 0);
	snap.images[k].elf = new_elf(libbss_segments, 2, NULL, 0);
	snap.images[k].elf->has_section_headers = true;	/* but none allocated */
	k = image_of(STRIPPED);
	ck_assert_int_ge(k, 0);
	snap.images[k].elf = new_elf(libbss_segments, 1, NULL, 0);
	ck_assert_int_ge(image_of(LIBGONE), 0);
	ck_assert_int_eq(snapshot_analyse(&snap, &ev), 0);
}

static void teardown(void)
{
	snapshot_release(&snap);
}

START_TEST(test_grouping)
{
	/* every private file-backed region of an image file points at it */
	ck_assert_str_eq(region_image(&snap, at(BIAS)), SLEEP);
	ck_assert_str_eq(region_image(&snap, at(BIAS + 0x9000)), SLEEP);
	ck_assert_str_eq(region_image(&snap, at(0x7f0000001000ULL)), LIBBSS);
	ck_assert_ptr_null(region_image(&snap, at(0x56241e000000ULL)));
	ck_assert_ptr_null(region_image(&snap, at(0x7f0000300000ULL)));
	ck_assert_int_eq(at(0x7f0000300000ULL)->kind, KIND_FILE);
	ck_assert_uint_eq(region_image_info(&snap, at(BIAS))->inode, 248056);
}
END_TEST

START_TEST(test_bias)
{
	const struct image *im = &snap.images[image_of(SLEEP)];

	ck_assert(im->bias_known);
	ck_assert_uint_eq(im->bias, BIAS);
	im = &snap.images[image_of(LIBBSS)];
	ck_assert(im->bias_known);
	ck_assert_uint_eq(im->bias, 0x7f0000000000ULL);
	im = &snap.images[image_of(LIBGONE)];
	ck_assert(!im->bias_known);
	ck_assert_ptr_null(im->elf);
}
END_TEST

START_TEST(test_kinds_from_headers)
{
	assert_kind(BIAS, KIND_RODATA);
	assert_kind(BIAS + 0x2000, KIND_CODE);
	assert_kind(BIAS + 0x7000, KIND_RODATA);
	/* no "ac" VmFlags here: PT_GNU_RELRO says it */
	assert_kind(BIAS + 0x9000, KIND_RELRO);
	assert_kind(BIAS + 0xa000, KIND_DATA);
	assert_kind(0x56241e000000ULL, KIND_HEAP);
	/* sleep's .bss fits in its last file page: no bss region */
	ck_assert_int_eq(at(0x56241e000000ULL)->image, 0);
}
END_TEST

START_TEST(test_bss_and_gap)
{
	const struct region *r;

	assert_kind(0x7f0000000000ULL, KIND_CODE);
	assert_kind(0x7f0000001000ULL, KIND_GUARD);
	ck_assert_str_eq(region_detail(&snap, at(0x7f0000001000ULL)), "image gap");
	assert_kind(0x7f0000011000ULL, KIND_DATA);
	r = at(0x7f0000012000ULL);
	ck_assert_int_eq(r->kind, KIND_BSS);
	ck_assert_str_eq(region_image(&snap, r), LIBBSS);
	/* .bss needs 16 KiB (to 0x16000); the region goes on for 40 KiB more */
	ck_assert_str_eq(region_detail(&snap, r),
			 "libbss.so.1, merged with 40 KiB of anonymous memory");
}
END_TEST

START_TEST(test_unreadable_image)
{
	char buf[160];

	/* kinds from permissions and VmFlags only */
	assert_kind(0x7f0000100000ULL, KIND_RELRO);
	assert_kind(0x7f0000101000ULL, KIND_CODE);
	/* without headers nothing says the anonymous region is bss */
	assert_kind(0x7f0000102000ULL, KIND_ANON);
	/* unknown sections are "-", not empty */
	ck_assert_str_eq(sections_of(0x7f0000101000ULL, buf, sizeof(buf)), "-");
	ck_assert_int_eq(region_sections(&snap, at(0x7f0000101000ULL), NULL, NULL), -1);
}
END_TEST

START_TEST(test_sections)
{
	char buf[512];

	ck_assert_str_eq(sections_of(BIAS, buf, sizeof(buf)), ".interp");
	ck_assert_str_eq(sections_of(BIAS + 0x2000, buf, sizeof(buf)), ".text");
	ck_assert_str_eq(sections_of(BIAS + 0x7000, buf, sizeof(buf)), ".rodata,.eh_frame");
	ck_assert_str_eq(sections_of(BIAS + 0x9000, buf, sizeof(buf)),
			 ".init_array,.fini_array,.data.rel.ro,.dynamic,.got,.got.plt");
	ck_assert_str_eq(sections_of(BIAS + 0xa000, buf, sizeof(buf)),
			 ".got.plt,.data,.bss");
	/* not an image: no sections at all */
	ck_assert_ptr_null(sections_of(0x56241e000000ULL, buf, sizeof(buf)));
	ck_assert_int_eq(region_sections(&snap, at(0x56241e000000ULL), NULL, NULL), 0);
}
END_TEST

START_TEST(test_sections_small_buffer)
{
	char buf[16];
	const char *t = sections_of(BIAS + 0x9000, buf, sizeof(buf));

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_lt(strlen(t), sizeof(buf));
	ck_assert(strncmp(t, ".init_array,.fini_array", strlen(t)) == 0);
}
END_TEST

START_TEST(test_no_section_headers)
{
	char buf[160];
	const struct region *r = at(0x7f0000200000ULL);

	ck_assert_int_eq(r->kind, KIND_CODE);
	ck_assert_str_eq(region_detail(&snap, r), "no section headers: segments shown");
	ck_assert_str_eq(sections_of(0x7f0000200000ULL, buf, sizeof(buf)), "LOAD r-x");
}
END_TEST

START_TEST(test_image_sums)
{
	const struct image *im = &snap.images[image_of(SLEEP)];

	ck_assert(im->rss.known && im->pss.known && im->dirty.known);
	ck_assert_uint_eq(im->rss.v, 5 * 4096);
	ck_assert_uint_eq(im->pss.v, 5 * 2048);
	ck_assert_uint_eq(im->dirty.v, 5 * 4096);
	/* libbss: its gap has no counters */
	im = &snap.images[image_of(LIBBSS)];
	ck_assert(!im->rss.known && !im->pss.known && !im->dirty.known);
}
END_TEST

static Suite *images_suite(void)
{
	Suite *s = suite_create("images");
	TCase *tc = tcase_create("by_hand");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_grouping);
	tcase_add_test(tc, test_bias);
	tcase_add_test(tc, test_kinds_from_headers);
	tcase_add_test(tc, test_bss_and_gap);
	tcase_add_test(tc, test_unreadable_image);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_sections_small_buffer);
	tcase_add_test(tc, test_no_section_headers);
	tcase_add_test(tc, test_image_sums);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(images_suite());
}
