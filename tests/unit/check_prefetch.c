/* check_prefetch.c: the background chunk reader (src/proc/prefetch.c),
 * over a real smaps capture. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/prefetch.h"
#include "proc/smaps.h"
#include "unit_util.h"

static int fixture_dir_fd(pid_t *pid)
{
	char *dir = util_fixture_dir("python-threads");
	char path[4096];
	int fd;

	*pid = util_fixture_pid("python-threads");
	ck_assert_int_gt(*pid, 0);
	snprintf(path, sizeof(path), "%s/proc/%d", dir, (int)*pid);
	free(dir);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Read name through a prefetch of chunk bytes and slots slots, appending
 * everything to a new buffer (*len bytes). */
static char *read_all(int dir_fd, const char *name, size_t chunk, unsigned int slots,
		      size_t *len, unsigned int *nchunks)
{
	struct prefetch *p;
	char *all = NULL;
	const char *data;
	size_t n;

	*len = 0;
	*nchunks = 0;
	ck_assert_int_eq(prefetch_start(dir_fd, name, chunk, slots, &p), 0);
	for (;;) {
		ck_assert_int_eq(prefetch_next(p, &data, &n), 0);
		if (!n)
			break;
		ck_assert_uint_le(n, chunk);
		all = realloc(all, *len + n + 1);
		ck_assert_ptr_nonnull(all);
		memcpy(all + *len, data, n);
		*len += n;
		(*nchunks)++;
	}
	/* the end stays the end */
	ck_assert_int_eq(prefetch_next(p, &data, &n), 0);
	ck_assert_uint_eq(n, 0);
	prefetch_stop(p);
	return all;
}

/* Every byte, in order, whatever the chunk size and ring length; a
 * regular file fills every chunk but the last. */
START_TEST(test_whole_file_in_order)
{
	static const size_t chunks[] = { 61, 1000, 4096, 1 << 20 };
	size_t want_len, len, i;
	unsigned int n;
	pid_t pid;
	int dir_fd = fixture_dir_fd(&pid);
	char *want = util_fixture_read("python-threads", "smaps", &want_len);

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *got = read_all(dir_fd, "smaps", chunks[i], i % 2 ? 2 : 5, &len, &n);

		ck_assert_uint_eq(len, want_len);
		ck_assert_int_eq(memcmp(got, want, len), 0);
		ck_assert_uint_eq(n, (want_len + chunks[i] - 1) / chunks[i]);
		free(got);
	}
	free(want);
	close(dir_fd);
}
END_TEST

static int count_region(void *ctx, const struct smaps_entry *e)
{
	(void)e;
	(*(size_t *)ctx)++;
	return 0;
}

/* Chunks cut lines anywhere: the streaming parser sees the same regions. */
START_TEST(test_parser_over_chunks)
{
	struct smaps_parser parser;
	struct prefetch *p;
	size_t whole = 0, chunked = 0, len, n;
	const char *data;
	pid_t pid;
	int dir_fd = fixture_dir_fd(&pid);
	char *text = util_fixture_read("python-threads", "smaps", &len);

	ck_assert_int_eq(smaps_parse(text, len, count_region, &whole, NULL), 0);
	ck_assert_uint_gt(whole, 10);
	ck_assert_int_eq(prefetch_start(dir_fd, "smaps", 333, 3, &p), 0);
	smaps_parser_init(&parser, count_region, &chunked);
	do {
		ck_assert_int_eq(prefetch_next(p, &data, &n), 0);
		ck_assert_int_eq(n ? smaps_parser_feed(&parser, data, n)
				   : smaps_parser_finish(&parser), 0);
	} while (n);
	smaps_parser_release(&parser);
	prefetch_stop(p);
	ck_assert_uint_eq(chunked, whole);
	free(text);
	close(dir_fd);
}
END_TEST

/* An open error is the caller's at once; a read error after the start
 * comes from prefetch_next(). */
START_TEST(test_errors)
{
	struct prefetch *p = (struct prefetch *)1;
	const char *data;
	size_t n;
	pid_t pid;
	int dir_fd = fixture_dir_fd(&pid);

	ck_assert_int_eq(prefetch_start(dir_fd, "no-such-file", 4096, 4, &p), -ENOENT);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(prefetch_start(dir_fd, "smaps", 4096, 1, &p), -EINVAL);
	ck_assert_int_eq(prefetch_start(dir_fd, "smaps", 0, 4, &p), -EINVAL);

	ck_assert_int_eq(prefetch_start(dir_fd, "task", 4096, 4, &p), 0);
	ck_assert_int_eq(prefetch_next(p, &data, &n), -EISDIR);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(prefetch_next(p, &data, &n), -EISDIR);
	prefetch_stop(p);
	prefetch_stop(NULL);
	close(dir_fd);
}
END_TEST

/* Stopping with the ring full and the reader waiting, or before the first
 * chunk was taken, neither hangs nor leaks. */
START_TEST(test_stop_early)
{
	struct prefetch *p;
	const char *data;
	size_t n;
	pid_t pid;
	int dir_fd = fixture_dir_fd(&pid);

	ck_assert_int_eq(prefetch_start(dir_fd, "smaps", 64, 2, &p), 0);
	ck_assert_int_eq(prefetch_next(p, &data, &n), 0);
	ck_assert_uint_eq(n, 64);
	usleep(10000);		/* let the reader fill the ring and wait */
	prefetch_stop(p);

	ck_assert_int_eq(prefetch_start(dir_fd, "smaps", 64, 2, &p), 0);
	prefetch_stop(p);
	close(dir_fd);
}
END_TEST

static Suite *prefetch_suite(void)
{
	Suite *s = suite_create("prefetch");
	TCase *tc = tcase_create("prefetch");

	tcase_add_test(tc, test_whole_file_in_order);
	tcase_add_test(tc, test_parser_over_chunks);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_stop_early);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(prefetch_suite());
}
