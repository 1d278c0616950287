/* kpage.c */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/kpage.h"

void kpage_count(struct kpage_counts *c, uint64_t f, uint64_t mapcount)
{
#define HAS(bit) ((f >> (bit)) & 1)
	c->dirty += HAS(KPF_DIRTY);
	c->referenced += HAS(KPF_REFERENCED);
	c->active += HAS(KPF_ACTIVE);
	c->ksm += HAS(KPF_KSM);
	/* the huge zero page also sets THP, with ZERO_PAGE */
	c->thp += HAS(KPF_THP) && !HAS(KPF_ZERO_PAGE);
	c->unevictable += HAS(KPF_UNEVICTABLE);
	c->idle += HAS(KPF_IDLE);
	c->shared += mapcount > 1;
#undef HAS
}

int kpage_open(const struct proc_source *src, struct kpage *kp)
{
	kp->flags_fd = openat(src->proc_fd, "kpageflags", O_RDONLY | O_CLOEXEC);
	if (kp->flags_fd < 0)
		return -errno;
	kp->count_fd = openat(src->proc_fd, "kpagecount", O_RDONLY | O_CLOEXEC);
	if (kp->count_fd < 0) {
		int err = -errno;

		close(kp->flags_fd);
		kp->flags_fd = -1;
		return err;
	}
	return 0;
}

void kpage_close(struct kpage *kp)
{
	if (kp->flags_fd >= 0)
		close(kp->flags_fd);
	if (kp->count_fd >= 0)
		close(kp->count_fd);
	kp->flags_fd = kp->count_fd = -1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Read words [pfn, pfn + n) of fd into out; short reads past the end of
 * the file leave zeros. */
static int read_words(int fd, uint64_t pfn, size_t n, uint64_t *out)
{
	size_t done = 0;

	memset(out, 0, n * sizeof(*out));
	while (done < n) {
		ssize_t r = pread(fd, out + done, (n - done) * sizeof(*out),
				  (off_t)((pfn + done) * sizeof(*out)));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		done += (size_t)r / sizeof(*out);
	}
	return 0;
}

int kpage_lookup(struct kpage *kp, const uint64_t *pfns, size_t n,
		 struct kpage_counts *c)
{
	enum { RUN_MAX = 512 };
	uint64_t *sorted, flags[RUN_MAX], counts[RUN_MAX];
	size_t i = 0;
	int rc = 0;

	if (!n)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, pfns, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	while (i < n && !rc) {
		uint64_t first = sorted[i];
		size_t j = i, span;

		/* the run of consecutive PFNs starting at sorted[i] */
		while (j + 1 < n && sorted[j + 1] - first < RUN_MAX &&
		       (sorted[j + 1] == sorted[j] || sorted[j + 1] == sorted[j] + 1))
			j++;
		span = (size_t)(sorted[j] - first) + 1;
		rc = read_words(kp->flags_fd, first, span, flags);
		if (!rc)
			rc = read_words(kp->count_fd, first, span, counts);
		for (; !rc && i <= j; i++)
			kpage_count(c, flags[sorted[i] - first], counts[sorted[i] - first]);
	}
	free(sorted);
	return rc;
}
