/* check_prefetch.c: the background chunk reader (src/proc/prefetch.c),
 * over a real smaps capture. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/prefetch.h"
#include "proc/smaps.h"
#include "util/array.h"
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

/* openat() as the loader's opener answers: an fd or -errno. */
static int open_in(int dir_fd, const char *name)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Read name through a prefetch of chunk bytes and slots slots, appending
 * everything to a new buffer (*len bytes). */
static char *read_all(int dir_fd, const char *name, size_t chunk, unsigned int slots,
		      size_t *len, unsigned int *nchunks)
{
	struct prefetch *p;
	char *all = NULL;
	const char *data;
	size_t n, cap = 0;

	*len = 0;
	*nchunks = 0;
	ck_assert_int_eq(prefetch_start(open_in(dir_fd, name), chunk, slots, &p), 0);
	for (;;) {
		ck_assert_int_eq(prefetch_next(p, &data, &n), 0);
		if (!n)
			break;
		ck_assert_uint_le(n, chunk);
		ck_assert_int_eq(ARRAY_GROW(&all, &cap, *len + n + 1, 0), 0);
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
	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "smaps"), 333, 3, &p), 0);
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

/* The regions of a whole smaps text, in order, as a hash per region. */
struct region_hashes {
	uint64_t h[4096];
	size_t n;
};

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

static int hash_region(void *ctx, const struct smaps_entry *e)
{
	struct region_hashes *r = ctx;
	uint64_t h = 0xcbf29ce484222325ULL;

	ck_assert_uint_lt(r->n, 4096);
	h = mix(h, &e->map.start, sizeof(e->map.start));
	h = mix(h, &e->map.end, sizeof(e->map.end));
	h = mix(h, &e->map.inode, sizeof(e->map.inode));
	h = mix(h, e->map.name, e->map.name_len + 1);
	h = mix(h, e->counters.v, sizeof(e->counters.v));
	h = mix(h, &e->counters.present, sizeof(e->counters.present));
	h = mix(h, &e->vm_flags, sizeof(e->vm_flags));
	r->h[r->n++] = h;
	return 0;
}

/* Parsed in the reading thread, batch by batch: the same regions, names
 * included, as one parse of the whole text, however the chunks cut it. */
START_TEST(test_batches_in_reader)
{
	static const size_t chunks[] = { 61, 333, 4096, 1 << 20 };
	static struct region_hashes whole, batched;
	size_t len, i, k;
	pid_t pid;
	int dir_fd = fixture_dir_fd(&pid);
	char *text = util_fixture_read("python-threads", "smaps", &len);

	whole.n = 0;
	ck_assert_int_eq(smaps_parse(text, len, hash_region, &whole, NULL), 0);
	ck_assert_uint_gt(whole.n, 10);
	for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		struct smaps_batcher batcher;
		struct prefetch_work work = {
			smaps_batch_chunk, smaps_batch_free, &batcher,
		};
		struct prefetch *p;
		void *state;
		int rc;

		batched.n = 0;
		smaps_batcher_init(&batcher);
		ck_assert_int_eq(prefetch_start_work(open_in(dir_fd, "smaps"), chunks[k], 2 + k % 2,
						     &work, &p), 0);
		for (;;) {
			const struct smaps_batch *b;

			rc = prefetch_next_work(p, &state);
			ck_assert_int_ge(rc, 0);
			if (rc == 0) {
				ck_assert_ptr_null(state);
				break;
			}
			b = state;
			ck_assert_ptr_nonnull(b);
			for (i = 0; i < b->n; i++)
				hash_region(&batched, &b->entries[i]);
		}
		prefetch_stop(p);
		smaps_batcher_release(&batcher);
		ck_assert_uint_eq(batched.n, whole.n);
		ck_assert_int_eq(memcmp(batched.h, whole.h, whole.n * sizeof(whole.h[0])), 0);
	}
	free(text);
	close(dir_fd);
}
END_TEST

/* A malformed line ends the reading like a read error: the batches before
 * it are handed out, then the error, and the parser says which line. */
START_TEST(test_batch_malformed)
{
	static const char text[] =
		"00400000-00401000 r--p 00000000 08:01 42 /bin/a\n"
		"Size:                  4 kB\n"
		"Rss:                   4 kB\n"
		"00401000-00402000 r-xp 00001000 08:01 42 /bin/a\n"
		"Size:                  4 kB\n"
		"Rss:                 x4 kB\n";
	char dir[] = "/tmp/check_prefetch.XXXXXX", path[64];
	struct smaps_batcher batcher;
	struct prefetch_work work = { smaps_batch_chunk, smaps_batch_free, &batcher };
	struct prefetch *p;
	const char *data;
	size_t n, regions = 0;
	void *state;
	int fd, dir_fd, rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/smaps", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dir_fd, 0);

	smaps_batcher_init(&batcher);
	ck_assert_int_eq(prefetch_start_work(open_in(dir_fd, "smaps"), 100, 2, &work, &p), 0);
	/* with work, the text is not handed out */
	ck_assert_int_eq(prefetch_next(p, &data, &n), -EINVAL);
	while ((rc = prefetch_next_work(p, &state)) == 1)
		regions += ((const struct smaps_batch *)state)->n;
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_uint_eq(regions, 1);		/* the first, complete region */
	prefetch_stop(p);
	ck_assert_uint_eq(batcher.parser.line_no, 6);
	smaps_batcher_release(&batcher);
	close(dir_fd);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* An open error is the caller's at once; a read error after the start
 * comes from prefetch_next(). */
START_TEST(test_errors)
{
	struct prefetch *p = (struct prefetch *)1;
	const char *data;
	void *state = (void *)1;
	size_t n;
	pid_t pid;
	int dir_fd = fixture_dir_fd(&pid);

	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "no-such-file"), 4096, 4, &p), -ENOENT);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "smaps"), 4096, 1, &p), -EINVAL);
	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "smaps"), 0, 4, &p), -EINVAL);

	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "task"), 4096, 4, &p), 0);
	ck_assert_int_eq(prefetch_next_work(p, &state), -EINVAL);	/* no work */
	ck_assert_ptr_null(state);
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

	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "smaps"), 64, 2, &p), 0);
	ck_assert_int_eq(prefetch_next(p, &data, &n), 0);
	ck_assert_uint_eq(n, 64);
	usleep(10000);		/* let the reader fill the ring and wait */
	prefetch_stop(p);

	ck_assert_int_eq(prefetch_start(open_in(dir_fd, "smaps"), 64, 2, &p), 0);
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
	tcase_add_test(tc, test_batches_in_reader);
	tcase_add_test(tc, test_batch_malformed);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_stop_early);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(prefetch_suite());
}
