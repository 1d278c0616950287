/* buf.c: see buf.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/array.h"
#include "util/buf.h"

int buf_reserve(struct buf *b, size_t extra)
{
	if (extra >= SIZE_MAX - b->len)
		return -ENOMEM;
	return ARRAY_GROW(&b->data, &b->cap, b->len + extra + 1, 4096);
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int buf_read_fd(struct buf *out, int fd, size_t max)
{
	for (;;) {
		ssize_t n;
		int err = buf_reserve(out, 16384);

		if (err)
			return err;
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (max && out->len > max)
			return -EFBIG;
	}
	out->data[out->len] = '\0';
	return 0;
}
