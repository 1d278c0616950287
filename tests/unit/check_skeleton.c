/* check_skeleton.c: the ELF skeleton a capture keeps (src/elf/skeleton.c).
 *
 * The skeleton of a full ELF file (this test program itself) must read as
 * the file does (elf/image.c: type, segments, sections and their names,
 * build-id) in a fraction of its size; the skeletons in tests/fixtures
 * (written by tests/elf-skeleton) must come out byte for byte, in both
 * classes; and hostile files (truncated, lying counts, extended numbering
 * claiming 2^58 sections, not ELF) give an error or a skeleton without the
 * table that lies, never a crash or a large allocation. */
#include "config.h"

#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/image.h"
#include "elf/skeleton.h"
#include "unit_util.h"

/* A temporary file holding len bytes of data; returns its fd. */
static int file_of(const void *data, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	fd = dup(fileno(f));
	fclose(f);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, data, len, 0), (ssize_t)len);
	return fd;
}

static char *read_whole(const char *path, size_t *len)
{
	char *p = util_read_file(path, len);

	ck_assert_ptr_nonnull(p);
	return p;
}

static struct elf_image *image_of_fd(int fd)
{
	struct elf_image *img = NULL;

	ck_assert_int_eq(elf_image_read_fd(fd, &img), 0);
	return img;
}

/* Everything vmmap takes from an image is the same in both. */
static void assert_same_image(const struct elf_image *a, const struct elf_image *b)
{
	size_t i;

	ck_assert_int_eq(a->type, b->type);
	ck_assert_int_eq(a->elf_class, b->elf_class);
	ck_assert_int_eq(a->machine, b->machine);
	ck_assert_uint_eq(a->nsegments, b->nsegments);
	for (i = 0; i < a->nsegments; i++) {
		const struct elf_segment *x = &a->segments[i], *y = &b->segments[i];

		ck_assert_uint_eq(x->type, y->type);
		ck_assert_uint_eq(x->flags, y->flags);
		ck_assert_uint_eq(x->vaddr, y->vaddr);
		ck_assert_uint_eq(x->memsz, y->memsz);
		if (x->type != PT_NOTE) {
			ck_assert_uint_eq(x->offset, y->offset);
			ck_assert_uint_eq(x->filesz, y->filesz);
		}
	}
	ck_assert_int_eq(a->has_section_headers, b->has_section_headers);
	ck_assert_uint_eq(a->nsections, b->nsections);
	for (i = 0; i < a->nsections; i++) {
		ck_assert_uint_eq(a->sections[i].addr, b->sections[i].addr);
		ck_assert_uint_eq(a->sections[i].size, b->sections[i].size);
		ck_assert_uint_eq(a->sections[i].type, b->sections[i].type);
		ck_assert_str_eq(elf_section_name(a, &a->sections[i]),
				 elf_section_name(b, &b->sections[i]));
	}
	ck_assert_uint_eq(a->build_id_len, b->build_id_len);
	ck_assert_mem_eq(a->build_id, b->build_id, a->build_id_len);
	ck_assert_ptr_null(b->skipped.what);
}

/* A full, unstripped ELF file: this program. */
START_TEST(test_full_file)
{
	struct buf sk = { 0 };
	struct elf_image *a, *b;
	char why[128];
	size_t len;
	char *data = read_whole("/proc/self/exe", &len);
	int fd = file_of(data, len), sfd;

	ck_assert_int_eq(elf_skeleton_build(fd, &sk, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
	/* the headers only: far smaller than the program */
	ck_assert_uint_lt(sk.len, 64 * 1024);
	ck_assert_uint_lt(sk.len, len / 4);
	ck_assert_mem_eq(sk.data, data, EI_NIDENT);
	a = image_of_fd(fd);
	sfd = file_of(sk.data, sk.len);
	b = image_of_fd(sfd);
	ck_assert_uint_gt(a->nsections, 5);
	ck_assert_uint_gt(a->build_id_len, 0);
	assert_same_image(a, b);
	elf_image_unref(a);
	elf_image_unref(b);
	close(sfd);
	close(fd);
	buf_release(&sk);
	free(data);
}
END_TEST

/* The fixtures' skeletons (tests/elf-skeleton's output) come out
 * unchanged: the same bytes as the script writes. */
static void same_as_fixture(const char *rel)
{
	char path[4096];
	struct buf sk = { 0 };
	char why[128];
	size_t len;
	char *data;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, rel);
	data = read_whole(path, &len);
	fd = file_of(data, len);
	ck_assert_int_eq(elf_skeleton_build(fd, &sk, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
	ck_assert_uint_eq(sk.len, len);
	ck_assert_mem_eq(sk.data, data, len);
	close(fd);
	buf_release(&sk);
	free(data);
}

START_TEST(test_fixtures)
{
	same_as_fixture("zoo/usr/local/bin/zoo");
	same_as_fixture("machine/all/usr/lib/x86_64-linux-gnu/libc.so.6");
	same_as_fixture("i386/usr/lib32/libc.so.6");	/* 32-bit */
	same_as_fixture("i386/opt/demo/demo32");
}
END_TEST

/* A copy of this program to lie in. */
static char *self(size_t *len)
{
	char *data = read_whole("/proc/self/exe", len);

	ck_assert_uint_gt(*len, sizeof(Elf64_Ehdr));
	ck_assert_int_eq(data[EI_CLASS], ELFCLASS64);
	return data;
}

static int build(const void *data, size_t len, struct buf *sk, char *why, size_t whylen)
{
	int fd = file_of(data, len), rc;

	rc = elf_skeleton_build(fd, sk, why, whylen);
	close(fd);
	return rc;
}

START_TEST(test_truncated)
{
	static const size_t cuts[] = { 0, 3, EI_NIDENT, sizeof(Elf64_Ehdr) - 1,
				       sizeof(Elf64_Ehdr) + 10 };
	struct buf sk = { 0 };
	char why[128];
	size_t len, i;
	char *data = self(&len);

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		ck_assert_int_eq(build(data, cuts[i], &sk, why, sizeof(why)), -ENOEXEC);
	ck_assert_uint_eq(sk.len, 0);
	/* the program headers kept, the section headers past the end: a
	 * skeleton without sections, saying so */
	ck_assert_int_eq(build(data, 8192, &sk, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "section headers"));
	ck_assert_uint_eq(((Elf64_Ehdr *)sk.data)->e_shnum, 0);
	ck_assert_uint_eq(((Elf64_Ehdr *)sk.data)->e_shoff, 0);
	buf_release(&sk);
	free(data);
}
END_TEST

START_TEST(test_lying_counts)
{
	struct buf sk = { 0 };
	struct elf_image *img;
	char why[128];
	size_t len;
	char *data = self(&len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)data, saved = *eh;
	Elf64_Shdr *sh0;
	int fd;

	/* program headers over the cap: refused, they cannot be cut */
	eh->e_phnum = 60000;
	ck_assert_int_eq(build(data, len, &sk, why, sizeof(why)), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "program headers"));
	*eh = saved;

	/* program headers of another size */
	eh->e_phentsize = 40;
	ck_assert_int_eq(build(data, len, &sk, why, sizeof(why)), -ENOEXEC);
	*eh = saved;

	/* 65535 sections claimed past the end: left out */
	eh->e_shnum = 0xfffe;
	ck_assert_int_eq(build(data, len, &sk, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "section headers"));
	*eh = saved;

	/* extended numbering claiming 2^58 + 1 sections, whose byte count
	 * wraps to 64 bytes: over the cap, left out, nothing read */
	ck_assert_uint_lt(eh->e_shoff + sizeof(Elf64_Shdr), len);
	sh0 = (Elf64_Shdr *)(data + eh->e_shoff);
	sh0->sh_size = (1ULL << 58) + 1;
	eh->e_shnum = 0;
	ck_assert_int_eq(build(data, len, &sk, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "limit"));
	fd = file_of(sk.data, sk.len);
	img = image_of_fd(fd);
	ck_assert_uint_eq(img->nsections, 0);
	ck_assert_uint_gt(img->nsegments, 0);
	elf_image_unref(img);
	close(fd);
	sh0->sh_size = 0;
	*eh = saved;

	/* the section names claim gigabytes: left out, the rest kept */
	{
		Elf64_Shdr *names = (Elf64_Shdr *)(data + eh->e_shoff) + eh->e_shstrndx;

		ck_assert_uint_le((size_t)((char *)(names + 1) - data), len);
		names->sh_size = 1ULL << 33;
		ck_assert_int_eq(build(data, len, &sk, why, sizeof(why)), 0);
		ck_assert_ptr_nonnull(strstr(why, "section names"));
	}
	buf_release(&sk);
	free(data);
}
END_TEST

START_TEST(test_not_elf)
{
	static const char text[] = "#!/bin/sh\necho not an ELF file\n";
	unsigned char ident[sizeof(Elf64_Ehdr)] = { 0x7f, 'E', 'L', 'F', 9, 1, 1 };
	struct buf sk = { 0 };
	char why[128];

	ck_assert_int_eq(build(text, sizeof(text), &sk, why, sizeof(why)), -ENOEXEC);
	ck_assert_int_eq(build(ident, sizeof(ident), &sk, why, sizeof(why)), -ENOEXEC);
	/* the other byte order */
	ident[EI_CLASS] = ELFCLASS64;
	ident[EI_DATA] = ELFDATA2MSB;
	ck_assert_int_eq(build(ident, sizeof(ident), &sk, why, sizeof(why)), -ENOEXEC);
	buf_release(&sk);
}
END_TEST

static Suite *skeleton_suite(void)
{
	Suite *s = suite_create("skeleton");
	TCase *tc = tcase_create("skeleton");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_full_file);
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_lying_counts);
	tcase_add_test(tc, test_not_elf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(skeleton_suite());
}
