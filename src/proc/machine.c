/* machine.c */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "proc/machine.h"

int cpuinfo_has_flag(const char *text, size_t len, const char *flag)
{
	const char *s = text, *end = text + len;
	size_t fl = strlen(flag);

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		if (le - s > 5 && memcmp(s, "flags", 5) == 0 &&
		    (s[5] == ' ' || s[5] == '\t' || s[5] == ':')) {
			const char *p = memchr(s, ':', (size_t)(le - s));

			if (!p)
				return -ENOENT;
			p++;
			while (p < le) {
				const char *w;

				while (p < le && *p == ' ')
					p++;
				w = p;
				while (p < le && *p != ' ')
					p++;
				if ((size_t)(p - w) == fl && memcmp(w, flag, fl) == 0)
					return 1;
			}
			return 0;
		}
		s = le + 1;
	}
	return -ENOENT;
}

int cpuinfo_read_flag(const struct proc_source *src, const char *flag)
{
	struct buf b = { 0 };
	int rc = proc_source_read_file(src, "cpuinfo", &b);

	if (!rc)
		rc = cpuinfo_has_flag(b.data, b.len, flag);
	buf_release(&b);
	return rc;
}

int pagemap_probe_task_size(const struct proc_handle *h, uint64_t page_size,
			    uint64_t *task_size)
{
	uint64_t lo, hi, entry;
	int shift = 0, fd;
	ssize_t n;

	if (!page_size || (page_size & (page_size - 1)))
		return -EINVAL;
	while ((1ULL << shift) < page_size)
		shift++;
	fd = proc_openat(h, "pagemap");
	if (fd < 0)
		return fd;
	/* Invariant: page lo is below the task size, page hi is not. Page 0
	 * is always inside (every task size is > 0). */
	n = pread(fd, &entry, sizeof(entry), 0);
	if (n != sizeof(entry)) {
		int err = n < 0 ? -errno : -ESRCH;	/* 0 bytes: no mm */

		close(fd);
		return err;
	}
	lo = 0;
	hi = 1ULL << (64 - shift - 3);	/* largest offset pread accepts */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		n = pread(fd, &entry, sizeof(entry), (off_t)(mid * 8));
		if (n < 0 && errno != EINVAL) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == sizeof(entry))
			lo = mid;
		else
			hi = mid;
	}
	close(fd);
	*task_size = hi << shift;
	return 0;
}
