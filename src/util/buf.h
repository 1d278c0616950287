/* buf.h: a growable byte buffer, for a file read whole and for text built
 * up piece by piece.
 *
 * Library-free: needs only libc. Functions return 0 or a negative errno.
 */
#ifndef VMMAP_UTIL_BUF_H
#define VMMAP_UTIL_BUF_H

#include <stddef.h>

/* data is always NUL-terminated after len once it is allocated; a zeroed
 * struct buf is an empty buffer. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Make room for extra more bytes after len, and the NUL after them (at
 * least 4096 bytes, else doubling). Returns 0 or -ENOMEM, also when
 * len + extra + 1 would not fit in a size_t. */
int buf_reserve(struct buf *b, size_t extra);

/* Free the storage; b is then an empty buffer again. */
void buf_release(struct buf *b);

/* Read everything from fd into out (appending), failing with -EFBIG once
 * out holds more than max bytes (0: no limit). EINTR is retried. Returns 0
 * or -errno. */
int buf_read_fd(struct buf *out, int fd, size_t max);

#endif
