/* check_maps.c: the maps/smaps header line parser (src/proc/maps.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/maps.h"
#include "proc/procfs.h"
#include "util/array.h"
#include "unit_util.h"

static char namebuf[4096];

/* Parse a literal line and return its result code. */
static int parse(const char *line, struct maps_entry *e)
{
	return maps_parse_line(line, strlen(line), e, namebuf, sizeof(namebuf));
}

static void parse_ok(const char *line, struct maps_entry *e)
{
	int rc = parse(line, e);

	ck_assert_msg(rc == 0, "maps_parse_line(\"%s\") = %d, want 0", line, rc);
}

START_TEST(test_real_code_line)
{
	struct maps_entry e;

	parse_ok("55939bbd4000-55939bbd9000 r-xp 00002000 fe:00 248056"
		 "                     /usr/bin/sleep", &e);
	ck_assert_uint_eq(e.start, 0x55939bbd4000ULL);
	ck_assert_uint_eq(e.end, 0x55939bbd9000ULL);
	ck_assert_uint_eq(e.perms, MAPS_READ | MAPS_EXEC);
	ck_assert_uint_eq(e.offset, 0x2000);
	ck_assert_uint_eq(e.dev_major, 0xfe);
	ck_assert_uint_eq(e.dev_minor, 0);
	ck_assert_uint_eq(e.inode, 248056);
	ck_assert_str_eq(e.name, "/usr/bin/sleep");
	ck_assert_uint_eq(e.name_len, strlen("/usr/bin/sleep"));
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);
	ck_assert(!e.deleted);
	ck_assert_ptr_eq(e.name, namebuf);
}
END_TEST

START_TEST(test_real_line_with_newline)
{
	struct maps_entry e;

	parse_ok("7f858f29c000-7f858f29e000 rw-p 001d3000 fe:00 332835"
		 "                     /usr/lib/x86_64-linux-gnu/libc.so.6\n", &e);
	ck_assert_uint_eq(e.start, 0x7f858f29c000ULL);
	ck_assert_uint_eq(e.end, 0x7f858f29e000ULL);
	ck_assert_uint_eq(e.perms, MAPS_READ | MAPS_WRITE);
	ck_assert_uint_eq(e.offset, 0x1d3000);
	ck_assert_uint_eq(e.inode, 332835);
	ck_assert_str_eq(e.name, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);
}
END_TEST

START_TEST(test_shared_file)
{
	struct maps_entry e;

	parse_ok("7fe4f08c9000-7fe4f08d0000 r--s 00000000 fe:00 332280"
		 "                     /usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", &e);
	ck_assert_uint_eq(e.perms, MAPS_READ | MAPS_SHARED);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);
}
END_TEST

START_TEST(test_unnamed_trailing_space)
{
	struct maps_entry e;

	/* the kernel ends an unnamed line with "<inode> " */
	parse_ok("7f858f0c6000-7f858f0c9000 rw-p 00000000 00:00 0 \n", &e);
	ck_assert_uint_eq(e.start, 0x7f858f0c6000ULL);
	ck_assert_uint_eq(e.end, 0x7f858f0c9000ULL);
	ck_assert_uint_eq(e.inode, 0);
	ck_assert_str_eq(e.name, "");
	ck_assert_uint_eq(e.name_len, 0);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_NONE);
	ck_assert(!e.deleted);

	/* and without the space or the newline */
	parse_ok("7f858f0c6000-7f858f0c9000 ---p 00000000 00:00 0", &e);
	ck_assert_uint_eq(e.perms, 0);
	ck_assert_uint_eq(e.name_len, 0);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_NONE);
}
END_TEST

START_TEST(test_32bit_addresses)
{
	struct maps_entry e;

	parse_ok("56581000-56582000 r--p 00000000 fe:00 1064962"
		 "                            /opt/demo/demo32", &e);
	ck_assert_uint_eq(e.start, 0x56581000ULL);
	ck_assert_uint_eq(e.end, 0x56582000ULL);
	ck_assert_uint_eq(e.inode, 1064962);
	ck_assert_str_eq(e.name, "/opt/demo/demo32");

	parse_ok("ffd25000-ffd46000 rw-p 00000000 00:00 0"
		 "                                  [stack]", &e);
	ck_assert_uint_eq(e.start, 0xffd25000ULL);
	ck_assert_uint_eq(e.end, 0xffd46000ULL);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_STACK);
}
END_TEST

START_TEST(test_vsyscall_16_digits)
{
	struct maps_entry e;

	parse_ok("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
		 "                  [vsyscall]\n", &e);
	ck_assert_uint_eq(e.start, 0xffffffffff600000ULL);
	ck_assert_uint_eq(e.end, 0xffffffffff601000ULL);
	ck_assert_uint_eq(e.perms, MAPS_EXEC);
	ck_assert_str_eq(e.name, "[vsyscall]");
	ck_assert_int_eq(e.name_kind, MAPS_NAME_VSYSCALL);
}
END_TEST

START_TEST(test_big_minor_and_major)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000001000 r--p 00000000 00:1ac 42"
		 "                         /mnt/overlay/file", &e);
	ck_assert_uint_eq(e.dev_major, 0);
	ck_assert_uint_eq(e.dev_minor, 0x1ac);
	ck_assert_uint_eq(e.inode, 42);

	parse_ok("7f0000000000-7f0000001000 r--p 00000000 103:10005 18446744073709551615"
		 " /x", &e);
	ck_assert_uint_eq(e.dev_major, 0x103);
	ck_assert_uint_eq(e.dev_minor, 0x10005);
	ck_assert_uint_eq(e.inode, 18446744073709551615ULL);
}
END_TEST

START_TEST(test_name_with_spaces)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 99"
		 "                         /tmp/my file  with spaces.dat\n", &e);
	ck_assert_str_eq(e.name, "/tmp/my file  with spaces.dat");
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);
}
END_TEST

START_TEST(test_name_ending_with_spaces)
{
	struct maps_entry e;

	/* "a  " is a legal file name: trailing blanks belong to it */
	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 99"
		 "                         /tmp/a  \n", &e);
	ck_assert_str_eq(e.name, "/tmp/a  ");
	ck_assert_uint_eq(e.name_len, 8);
}
END_TEST

START_TEST(test_newline_escape)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 99"
		 "                         /tmp/a\\012b", &e);
	ck_assert_str_eq(e.name, "/tmp/a\nb");
	ck_assert_uint_eq(e.name_len, 8);

	/* the reference's live example: only \012 is an escape, a lone
	 * backslash is printed raw and kept */
	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:01 2048"
		 "                       /memfd:we ird\\012name\\x (deleted)\n", &e);
	ck_assert_str_eq(e.name, "/memfd:we ird\nname\\x");
	ck_assert(e.deleted);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_MEMFD);

	/* an incomplete escape at the end stays as it is */
	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 99 /tmp/z\\01", &e);
	ck_assert_str_eq(e.name, "/tmp/z\\01");
}
END_TEST

START_TEST(test_deleted_suffix)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000001000 r-xp 00000000 fe:00 99"
		 "                         /usr/lib/libgone.so (deleted)\n", &e);
	ck_assert_str_eq(e.name, "/usr/lib/libgone.so");
	ck_assert_uint_eq(e.name_len, strlen("/usr/lib/libgone.so"));
	ck_assert(e.deleted);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);

	/* in the middle of a name it is part of the name */
	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 99"
		 "                         /tmp/x (deleted) y", &e);
	ck_assert_str_eq(e.name, "/tmp/x (deleted) y");
	ck_assert(!e.deleted);

	/* without its leading space it is not the suffix */
	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 99"
		 "                         /tmp/x(deleted)", &e);
	ck_assert_str_eq(e.name, "/tmp/x(deleted)");
	ck_assert(!e.deleted);
}
END_TEST

START_TEST(test_anon_names)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000010000 rw-p 00000000 00:00 0"
		 "                          [anon:foo bar]", &e);
	ck_assert_str_eq(e.name, "[anon:foo bar]");
	ck_assert_int_eq(e.name_kind, MAPS_NAME_ANON);

	parse_ok("7f0000000000-7f0000010000 rw-s 00000000 00:01 7"
		 "                          [anon_shmem:ring]", &e);
	ck_assert_str_eq(e.name, "[anon_shmem:ring]");
	ck_assert_int_eq(e.name_kind, MAPS_NAME_ANON_SHMEM);
	ck_assert_uint_eq(e.perms, MAPS_READ | MAPS_WRITE | MAPS_SHARED);
}
END_TEST

START_TEST(test_shared_memory_names)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:01 3077"
		 "                       /memfd:x (deleted)", &e);
	ck_assert_str_eq(e.name, "/memfd:x");
	ck_assert(e.deleted);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_MEMFD);

	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:01 32769"
		 "                      /SYSV0000002a (deleted)", &e);
	ck_assert_str_eq(e.name, "/SYSV0000002a");
	ck_assert(e.deleted);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_SYSV);

	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:01 4"
		 "                          /dev/zero (deleted)", &e);
	ck_assert_str_eq(e.name, "/dev/zero");
	ck_assert(e.deleted);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_DEV_ZERO);

	parse_ok("7f0000000000-7f0000200000 rw-p 00000000 00:0f 5"
		 "                          /anon_hugepage (deleted)", &e);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_HUGEPAGE);

	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:0e 6"
		 "                          /secretmem (deleted)", &e);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_SECRETMEM);

	/* a SYSV-like name of the wrong length is an ordinary path */
	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 6 /SYSVfoo", &e);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);
	/* a real /dev/zerox is a path too */
	parse_ok("7f0000000000-7f0000001000 r--p 00000000 fe:00 6 /dev/zerox", &e);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PATH);
}
END_TEST

START_TEST(test_pseudo_names)
{
	struct maps_entry e;

	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:10 1051"
		 "                       anon_inode:[io_uring]", &e);
	ck_assert_str_eq(e.name, "anon_inode:[io_uring]");
	ck_assert(!e.deleted);
	ck_assert_int_eq(e.name_kind, MAPS_NAME_ANON_INODE);

	parse_ok("7f0000000000-7f0000001000 rw-s 00000000 00:08 123"
		 "                        socket:[123]", &e);
	ck_assert_str_eq(e.name, "socket:[123]");
	ck_assert_int_eq(e.name_kind, MAPS_NAME_PSEUDO);
}
END_TEST

START_TEST(test_special_names)
{
	static const struct {
		const char *name;
		enum maps_name_kind kind;
	} cases[] = {
		{ "[heap]", MAPS_NAME_HEAP },
		{ "[stack]", MAPS_NAME_STACK },
		{ "[vdso]", MAPS_NAME_VDSO },
		{ "[vvar]", MAPS_NAME_VVAR },
		{ "[vvar_vclock]", MAPS_NAME_VVAR },
		{ "[vsyscall]", MAPS_NAME_VSYSCALL },
		{ "[uprobes]", MAPS_NAME_SPECIAL },
		{ "[sigpage]", MAPS_NAME_SPECIAL },
		{ "[stack:1234]", MAPS_NAME_SPECIAL },
		{ "[heapx]", MAPS_NAME_SPECIAL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[256];
		struct maps_entry e;

		snprintf(line, sizeof(line),
			 "7fe4f08d2000-7fe4f08d6000 r--p 00000000 00:00 0"
			 "                          %s\n", cases[i].name);
		parse_ok(line, &e);
		ck_assert_str_eq(e.name, cases[i].name);
		ck_assert_msg(e.name_kind == cases[i].kind, "%s: kind %d, want %d",
			      cases[i].name, e.name_kind, cases[i].kind);
		ck_assert_int_eq(maps_name_classify(cases[i].name,
						    strlen(cases[i].name)),
				 cases[i].kind);
	}
	ck_assert_int_eq(maps_name_classify("", 0), MAPS_NAME_NONE);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"",
		"\n",
		"55939bbd2000-55939bbd4000",			/* missing fields */
		"55939bbd2000-55939bbd4000 r--p",
		"55939bbd2000-55939bbd4000 r--p 00000000",
		"55939bbd2000-55939bbd4000 r--p 00000000 fe:00",
		"55939bbd2000-55939bbd4000 r--p 00000000 fe 248056 /x",
		"55939bbd2000 55939bbd4000 r--p 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 rw?p 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--q 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 R--p 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 wr-p 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 p--p 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 rwps 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--x 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r-- 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--pp 00000000 fe:00 248056 /x",
		"5593gbbd2000-55939bbd4000 r--p 00000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--p 0000z000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--p 00000000 fe:00 24a056 /x",
		"55939bbd2000-55939bbd4000 r--p 00000000 fe:00 248056/x",
		"55939bbd2000-55939bbd4000 r--p 00000000 fe:00 -1 /x",
		"55939bbd4000-55939bbd2000 r--p 00000000 fe:00 248056 /x", /* end < start */
		"0ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]",
		"ffffffffff600000-0ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]",
		"55939bbd2000-55939bbd4000 r--p 00000000000000000 fe:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--p 00000000 100000000:00 248056 /x",
		"55939bbd2000-55939bbd4000 r--p 00000000 fe:00 99999999999999999999 /x",
		" 55939bbd2000-55939bbd4000 r--p 00000000 fe:00 248056 /x",
		"Rss:                   4 kB",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct maps_entry e;
		int rc = parse(bad[i], &e);

		ck_assert_msg(rc == -EINVAL, "maps_parse_line(\"%s\") = %d, want -EINVAL",
			      bad[i], rc);
	}
}
END_TEST

START_TEST(test_namebuf_too_small)
{
	static const char line[] = "55939bbd2000-55939bbd4000 r--p 00000000 fe:00 1 /x";
	struct maps_entry e;
	char small[8];

	ck_assert_int_eq(maps_parse_line(line, strlen(line), &e, small, sizeof(small)),
			 -EINVAL);
	/* len + 1 is enough */
	{
		char *exact = malloc(strlen(line) + 1);

		ck_assert_int_eq(maps_parse_line(line, strlen(line), &e, exact,
						 strlen(line) + 1), 0);
		ck_assert_str_eq(e.name, "/x");
		free(exact);
	}
}
END_TEST

START_TEST(test_len_respected)
{
	/* only len bytes are parsed: the rest of the buffer is not the name */
	static const char line[] = "55939bbd2000-55939bbd4000 r--p 00000000 fe:00 1 /abcdef";
	struct maps_entry e;

	ck_assert_int_eq(maps_parse_line(line, strlen(line) - 3, &e, namebuf,
					 sizeof(namebuf)), 0);
	ck_assert_str_eq(e.name, "/abc");
	ck_assert_uint_eq(e.name_len, 4);
}
END_TEST

START_TEST(test_perms_string)
{
	char out[5];
	unsigned int p;

	for (p = 0; p < 16; p++) {
		char line[128];
		struct maps_entry e;

		maps_perms_string(p, out);
		ck_assert_uint_eq(strlen(out), 4);
		snprintf(line, sizeof(line), "1000-2000 %s 00000000 00:00 0 ", out);
		parse_ok(line, &e);
		ck_assert_uint_eq(e.perms, p);
	}
	maps_perms_string(MAPS_READ | MAPS_EXEC, out);
	ck_assert_str_eq(out, "r-xp");
	maps_perms_string(MAPS_READ | MAPS_WRITE | MAPS_SHARED, out);
	ck_assert_str_eq(out, "rw-s");
}
END_TEST

START_TEST(test_is_header)
{
	ck_assert(maps_is_header("55939bbd2000-", 13));
	ck_assert(maps_is_header("ffffffffff600000-", 17));
	ck_assert(maps_is_header("0040", 4));
	ck_assert(!maps_is_header("Rss:", 4));
	ck_assert(!maps_is_header("VmFlags: rd", 11));
	ck_assert(!maps_is_header("KSM:", 4));
	ck_assert(!maps_is_header("", 0));
}
END_TEST

/* Every line of every captured maps file parses, and agrees with what the
 * file says in its columns. */
START_TEST(test_fixture_maps_files)
{
	char **cases = util_fixture_cases();
	size_t c, total = 0;

	ck_assert_ptr_nonnull(cases[0]);
	for (c = 0; cases[c]; c++) {
		size_t len;
		char *text = util_fixture_read(cases[c], "maps", &len);
		char *line = text, *nl;
		uint64_t prev_end = 0;
		size_t n = 0;

		while ((nl = strchr(line, '\n'))) {
			struct maps_entry e;
			char perms[5];
			int rc = maps_parse_line(line, (size_t)(nl - line), &e,
						 namebuf, sizeof(namebuf));

			ck_assert_msg(rc == 0, "%s maps line %zu: %d", cases[c], n + 1, rc);
			ck_assert_msg(e.start < e.end, "%s line %zu", cases[c], n + 1);
			ck_assert_msg(e.start >= prev_end, "%s line %zu overlaps", cases[c], n + 1);
			maps_perms_string(e.perms, perms);
			ck_assert(memcmp(perms, strchr(line, ' ') + 1, 4) == 0);
			/* named lines have their name at column 73 */
			if (e.name_len && !memchr(e.name, '\n', e.name_len))
				ck_assert_msg(strncmp(line + 73, e.name, e.name_len) == 0,
					      "%s line %zu: name \"%s\"", cases[c], n + 1, e.name);
			prev_end = e.end;
			line = nl + 1;
			n++;
		}
		ck_assert_uint_gt(n, 5);
		total += n;
		free(text);
	}
	ck_assert_uint_gt(total, 10);
	util_free_list(cases);
}
END_TEST

/* The hand-made 32-bit maps: 8-digit addresses and no [vsyscall]. */
START_TEST(test_edge_32bit_maps)
{
	size_t len, n = 0;
	char *text = util_read_file(FIXTURES "/edge/maps-32bit", &len);
	char *line = text, *nl;
	bool stack = false;

	while ((nl = strchr(line, '\n'))) {
		struct maps_entry e;

		ck_assert_int_eq(maps_parse_line(line, (size_t)(nl - line), &e,
						 namebuf, sizeof(namebuf)), 0);
		ck_assert_uint_eq(strchr(line, '-') - line, 8);
		ck_assert_uint_le(e.end, 0xffffe000ULL);
		ck_assert_int_ne(e.name_kind, MAPS_NAME_VSYSCALL);
		stack |= e.name_kind == MAPS_NAME_STACK;
		line = nl + 1;
		n++;
	}
	ck_assert(stack);
	ck_assert_uint_eq(n, util_count_lines(text, len));
	free(text);
}
END_TEST

static int count_entry(void *ctx, const struct maps_entry *e)
{
	size_t *n = ctx;

	ck_assert_uint_lt(e->start, e->end);
	++*n;
	return 0;
}

static int stop_at_third(void *ctx, const struct maps_entry *e)
{
	count_entry(ctx, e);
	return *(size_t *)ctx == 3 ? -ECANCELED : 0;
}

/* A whole file: one entry per line, a last line without '\n' too, the
 * first malformed line named, a callback's error passed through. */
START_TEST(test_parse_whole_text)
{
	static const char broken[] =
		"00400000-00401000 r-xp 00000000 08:01 12 /bin/a\n"
		"00401000-00402000 rw-p 00001000 08:01 12 /bin/a\n"
		"not a maps line\n"
		"00403000-00404000 rw-p 00000000 00:00 0\n";
	static const char last[] =
		"00400000-00401000 r-xp 00000000 08:01 12 /bin/a\n"
		"00401000-00402000 rw-p 00000000 00:00 0";
	static const char four[] =
		"00000000-00001000 r--p 00000000 00:00 0\n"
		"00001000-00002000 rw-p 00000000 00:00 0\n"
		"00002000-00003000 r--p 00000000 00:00 0\n"
		"00003000-00004000 rw-p 00000000 00:00 0\n";
	unsigned long bad = 99;
	size_t len, n = 0;
	char *text = util_fixture_read("python-threads", "maps", &len);

	ck_assert_int_eq(maps_parse(text, len, count_entry, &n, &bad), 0);
	ck_assert_uint_eq(n, util_count_lines(text, len));
	ck_assert_uint_eq(bad, 0);
	free(text);

	n = 0;
	ck_assert_int_eq(maps_parse(broken, sizeof(broken) - 1, count_entry, &n, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 3);
	ck_assert_uint_eq(n, 2);

	n = 0;
	ck_assert_int_eq(maps_parse(last, sizeof(last) - 1, count_entry, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);

	n = 0;
	ck_assert_int_eq(maps_parse(four, sizeof(four) - 1, stop_at_third, &n, &bad), -ECANCELED);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(bad, 0);

	n = 0;
	ck_assert_int_eq(maps_parse("", 0, count_entry, &n, NULL), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* What a parse gave, one text line per entry, to compare two parses. */
struct entry_text {
	char *text;
	size_t len, cap;
	size_t n;
};

/* Make room for extra more bytes (and a NUL) at the end of *text. */
static void reserve(char **text, size_t len, size_t *cap, size_t extra)
{
	ck_assert_int_eq(ARRAY_GROW(text, cap, len + extra + 1, 0), 0);
}

static int add_entry_text(void *ctx, const struct maps_entry *e)
{
	struct entry_text *t = ctx;
	char line[512];
	int n = snprintf(line, sizeof(line), "%llx-%llx %x %llx %x:%x %llu %d %d %zu:",
			 (unsigned long long)e->start, (unsigned long long)e->end,
			 e->perms, (unsigned long long)e->offset, e->dev_major,
			 e->dev_minor, (unsigned long long)e->inode, e->name_kind,
			 e->deleted, e->name_len);

	ck_assert_int_gt(n, 0);
	reserve(&t->text, t->len, &t->cap, (size_t)n + e->name_len + 1);
	memcpy(t->text + t->len, line, (size_t)n);
	memcpy(t->text + t->len + n, e->name, e->name_len);
	t->len += (size_t)n + e->name_len;
	t->text[t->len++] = '\n';
	t->text[t->len] = '\0';
	t->n++;
	return 0;
}

static char maps_dir[64];

/* A directory holding a file "maps" with text, open as a proc handle. */
static void write_maps_dir(struct proc_handle *h, const char *text, size_t len)
{
	char path[96];
	int fd;

	snprintf(maps_dir, sizeof(maps_dir), "/tmp/vmmap-maps-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(maps_dir));
	snprintf(path, sizeof(path), "%s/maps", maps_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	h->dir_fd = open(maps_dir, O_RDONLY | O_DIRECTORY);
	h->capture = true;
	ck_assert_int_ge(h->dir_fd, 0);
}

static void remove_maps_dir(struct proc_handle *h)
{
	char path[96];

	close(h->dir_fd);
	snprintf(path, sizeof(path), "%s/maps", maps_dir);
	unlink(path);
	rmdir(maps_dir);
}

/* maps_read() on text gives what maps_parse() gives on it whole. */
static void read_as_parse(const char *text, size_t len, size_t want_entries)
{
	struct entry_text whole = { 0 }, read = { 0 };
	struct proc_handle h;
	unsigned long bad = 99;

	ck_assert_int_eq(maps_parse(text, len, add_entry_text, &whole, NULL), 0);
	write_maps_dir(&h, text, len);
	ck_assert_int_eq(maps_read(&h, add_entry_text, &read, &bad), 0);
	remove_maps_dir(&h);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(whole.n, want_entries);
	ck_assert_uint_eq(read.n, whole.n);
	ck_assert_uint_eq(read.len, whole.len);
	ck_assert_int_eq(memcmp(read.text, whole.text, whole.len), 0);
	free(whole.text);
	free(read.text);
}

/* Append maps lines of n regions to *text, the names growing longer so
 * that lines straddle the reader's 256 KiB pieces at every offset. */
static void append_regions(char **text, size_t *len, size_t *cap, size_t n,
			   uint64_t base)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char line[512];
		int k = snprintf(line, sizeof(line),
				 "%012llx-%012llx rw-p 00000000 00:00 0                          /tmp/%.*s\n",
				 (unsigned long long)(base + i * 0x1000),
				 (unsigned long long)(base + i * 0x1000 + 0x1000),
				 (int)(i % 300), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

		reserve(text, *len, cap, (size_t)k);
		memcpy(*text + *len, line, (size_t)k + 1);
		*len += (size_t)k;
	}
}

/* maps_read() reads a piece at a time: every captured maps file, a file
 * of 8 MB whose lines cross the pieces' ends, one line longer than a
 * piece, and a last line without '\n', all as one whole parse gives. */
START_TEST(test_read_in_pieces)
{
	char **cases = util_fixture_cases();
	char *text = NULL, *big;
	size_t c, len = 0, cap = 0, big_len;

	for (c = 0; cases[c]; c++) {
		char *t = util_fixture_read(cases[c], "maps", &len);

		read_as_parse(t, len, util_count_lines(t, len));
		free(t);
	}
	util_free_list(cases);

	len = 0;
	append_regions(&text, &len, &cap, 40000, 0x10000000);
	ck_assert_uint_gt(len, 8u << 20);
	read_as_parse(text, len, 40000);
	/* without its last '\n' */
	read_as_parse(text, len - 1, 40000);

	/* a name of 60 KiB, longer than any the kernel writes, is taken */
	big_len = len + (600u << 10) + 128;
	big = malloc(big_len + 1);
	ck_assert_ptr_nonnull(big);
	memcpy(big, text, len);
	len += (size_t)sprintf(big + len, "7f0000000000-7f0000001000 r--p 00000000 00:00 0 /");
	memset(big + len, 'y', 60u << 10);
	len += 60u << 10;
	big[len++] = '\n';
	read_as_parse(big, len, 40001);

	/* one of 600 KiB is malformed, and not held whole: a capture can
	 * hold one endless line */
	{
		struct entry_text t = { 0 };
		struct proc_handle h;
		unsigned long bad = 0;

		len -= (60u << 10) + 1;
		memset(big + len, 'y', 600u << 10);
		len += 600u << 10;
		big[len++] = '\n';
		write_maps_dir(&h, big, len);
		ck_assert_int_eq(maps_read(&h, add_entry_text, &t, &bad), -EINVAL);
		ck_assert_uint_eq(bad, 40001);
		remove_maps_dir(&h);
		free(t.text);
	}
	free(big);
	free(text);
}
END_TEST

/* A malformed line is named by its number in the whole file, far past the
 * first piece; a callback's error stops the read; a missing file is
 * -ENOENT. */
START_TEST(test_read_errors)
{
	struct entry_text t = { 0 };
	struct proc_handle h;
	unsigned long bad = 0;
	char *text = NULL;
	size_t len = 0, cap = 0, n = 0;

	append_regions(&text, &len, &cap, 10000, 0x10000000);
	reserve(&text, len, &cap, 8);
	len += (size_t)sprintf(text + len, "garbage\n");
	append_regions(&text, &len, &cap, 5, 0x70000000);
	write_maps_dir(&h, text, len);
	ck_assert_int_eq(maps_read(&h, add_entry_text, &t, &bad), -EINVAL);
	ck_assert_uint_eq(bad, 10001);
	ck_assert_uint_eq(t.n, 10000);
	ck_assert_int_eq(maps_read(&h, stop_at_third, &n, &bad), -ECANCELED);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(bad, 0);
	remove_maps_dir(&h);

	h.dir_fd = open("/", O_RDONLY | O_DIRECTORY);
	h.capture = true;
	ck_assert_int_ge(h.dir_fd, 0);
	ck_assert_int_eq(maps_read(&h, count_entry, &n, NULL), -ENOENT);
	close(h.dir_fd);
	free(t.text);
	free(text);
}
END_TEST

static Suite *maps_suite(void)
{
	Suite *s = suite_create("maps");
	TCase *tc = tcase_create("parse_line");

	tcase_add_test(tc, test_real_code_line);
	tcase_add_test(tc, test_real_line_with_newline);
	tcase_add_test(tc, test_shared_file);
	tcase_add_test(tc, test_unnamed_trailing_space);
	tcase_add_test(tc, test_32bit_addresses);
	tcase_add_test(tc, test_vsyscall_16_digits);
	tcase_add_test(tc, test_big_minor_and_major);
	tcase_add_test(tc, test_name_with_spaces);
	tcase_add_test(tc, test_name_ending_with_spaces);
	tcase_add_test(tc, test_newline_escape);
	tcase_add_test(tc, test_deleted_suffix);
	tcase_add_test(tc, test_anon_names);
	tcase_add_test(tc, test_shared_memory_names);
	tcase_add_test(tc, test_pseudo_names);
	tcase_add_test(tc, test_special_names);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_namebuf_too_small);
	tcase_add_test(tc, test_len_respected);
	tcase_add_test(tc, test_perms_string);
	tcase_add_test(tc, test_is_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	/* megabytes of maps text, parsed several times over: under the
	 * sanitizers on a busy machine that takes longer than Check's 4 s */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fixture_maps_files);
	tcase_add_test(tc, test_edge_32bit_maps);
	tcase_add_test(tc, test_parse_whole_text);
	tcase_add_test(tc, test_read_in_pieces);
	tcase_add_test(tc, test_read_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(maps_suite());
}
