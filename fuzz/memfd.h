/* memfd.h: the fuzz input as a regular file, for the readers that take a
 * file descriptor (libelf reads it with pread). */
#ifndef VMMAP_FUZZ_MEMFD_H
#define VMMAP_FUZZ_MEMFD_H

#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

/* One memfd per process, rewritten for each input. */
static inline int fuzz_memfd(const uint8_t *data, size_t size)
{
	static int fd = -1;
	size_t off = 0;

	if (fd < 0) {
		fd = memfd_create("vmmap-fuzz", MFD_CLOEXEC);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
	}
	if (ftruncate(fd, 0) < 0)
		abort();
	while (off < size) {
		ssize_t n = pwrite(fd, data + off, size - off, (off_t)off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		abort();
	return fd;
}

#endif
