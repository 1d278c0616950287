/* prefetch.h: reading one file of a process in a background thread.
 *
 * For a process with tens of thousands of regions the kernel spends most of
 * vmmap's run producing smaps text. A prefetch reads that file in its own
 * thread, chunk by chunk, so the caller can parse, classify and print on
 * the other CPU while the kernel is still writing the rest. At most
 * max_chunks chunks wait unconsumed: the reader stops until the caller
 * catches up, so memory stays bounded however large the file is.
 *
 * Nothing here prints or exits; functions return 0 or a negative errno.
 */
#ifndef VMMAP_PROC_PREFETCH_H
#define VMMAP_PROC_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>

struct prefetch;

/* Work on each chunk done in the reader's thread, after the chunk is read
 * and before it is handed out, so that it too runs beside the caller (the
 * smaps parser, say). fn gets the chunk and *state, the chunk slot's own
 * state: NULL the first time, which fn may then allocate and set; it is
 * handed out instead of the chunk, whose text is not kept (every chunk is
 * read into the same buffer), and kept for the slot's next chunk. What fn
 * needs of the text once it returns, it copies into the state. At the end
 * of the file fn is called with last set (len may be 0), and that chunk is
 * handed out even when empty. fn returns 0, or a negative errno that ends
 * the reading as a failed read() would. free_state releases a state when
 * the prefetch stops. */
struct prefetch_work {
	int (*fn)(void *ctx, const char *data, size_t len, bool last, void **state);
	void (*free_state)(void *state);
	void *ctx;
};

/* Start reading fd, which the caller opened (so an open error such as
 * EACCES is the caller's to report) and hands over: it is closed by
 * prefetch_stop(), or here on failure. A negative fd is returned as it is,
 * so an open's result can be passed straight in. Reads in chunks of up to
 * chunk_size bytes, keeping at most max_chunks of them (>= 2). On success
 * *out owns the thread and the file; release it with prefetch_stop().
 * Returns 0 or -errno. */
int prefetch_start(int fd, size_t chunk_size, unsigned int max_chunks,
		   struct prefetch **out);

/* prefetch_start() with work done on each chunk (see struct prefetch_work;
 * it is copied, work->ctx must outlive the prefetch). */
int prefetch_start_work(int fd, size_t chunk_size, unsigned int max_chunks,
			const struct prefetch_work *work, struct prefetch **out);

/* The next chunk of a prefetch without work, in file order. *data and
 * *len stay valid until the next call (the previous chunk is handed back
 * to the reader then); *len is 0 at the end of the file. Returns 0, the
 * -errno its read() failed with (after every chunk read before the failure
 * was handed out), or -EINVAL for a prefetch with work. */
int prefetch_next(struct prefetch *p, const char **data, size_t *len);

/* The work state of the next chunk of a prefetch with work, valid until
 * the next call. Returns 1 with *state for each chunk (the last may have
 * been empty), 0 after the last one, the -errno its read() or the work
 * failed with (after every chunk done before was handed out), or -EINVAL
 * for a prefetch without work. */
int prefetch_next_work(struct prefetch *p, void **state);

/* Stop reading (a read in progress completes first), join the thread and
 * free everything. p may be NULL. */
void prefetch_stop(struct prefetch *p);

#endif
