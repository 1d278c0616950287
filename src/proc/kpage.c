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
	c->huge += HAS(KPF_THP) || HAS(KPF_HUGE);
#undef HAS
}

int kpage_open(const struct proc_source *src, struct kpage *kp)
{
	kp->pending_pfn = NULL;
	kp->pending_to = NULL;
	kp->npending = 0;
	kp->flags_fd = proc_source_openat(src, "kpageflags");
	if (kp->flags_fd < 0) {
		int err = kp->flags_fd;

		kp->flags_fd = kp->count_fd = -1;
		return err;
	}
	kp->count_fd = proc_source_openat(src, "kpagecount");
	if (kp->count_fd < 0) {
		int err = kp->count_fd;

		close(kp->flags_fd);
		kp->flags_fd = kp->count_fd = -1;
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
	free(kp->pending_pfn);
	free(kp->pending_to);
	kp->pending_pfn = NULL;
	kp->pending_to = NULL;
	kp->npending = 0;
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

size_t kpage_window(const uint64_t *pfns, size_t n, uint64_t *lo, uint64_t *hi)
{
	/* Words read for nothing cost the kernel less than another pread
	 * does, so a window may hold up to twice as many words as PFNs (and
	 * a few more, so that a small jump does not end a fresh window). */
	enum { SLACK = 16 };
	uint64_t l, h;
	size_t j;

	if (!n)
		return 0;
	l = h = pfns[0];
	for (j = 1; j < n; j++) {
		uint64_t nl = pfns[j] < l ? pfns[j] : l;
		uint64_t nh = pfns[j] > h ? pfns[j] : h;
		uint64_t span = nh - nl + 1;

		if (span > KPAGE_WINDOW_MAX || span > 2 * (uint64_t)(j + 1) + SLACK)
			break;
		l = nl;
		h = nh;
	}
	*lo = l;
	*hi = h;
	return j;
}

int kpage_flush(struct kpage *kp)
{
	uint64_t flags[KPAGE_WINDOW_MAX], counts[KPAGE_WINDOW_MAX];
	size_t i = 0;
	int rc = 0;

	while (i < kp->npending && !rc) {
		uint64_t lo, hi;
		size_t k, take = kpage_window(kp->pending_pfn + i, kp->npending - i, &lo, &hi);

		rc = read_words(kp->flags_fd, lo, (size_t)(hi - lo) + 1, flags);
		if (!rc)
			rc = read_words(kp->count_fd, lo, (size_t)(hi - lo) + 1, counts);
		for (k = i; !rc && k < i + take; k++)
			kpage_count(kp->pending_to[k], flags[kp->pending_pfn[k] - lo],
				    counts[kp->pending_pfn[k] - lo]);
		i += take;
	}
	kp->npending = 0;
	return rc;
}

int kpage_add(struct kpage *kp, const uint64_t *pfns, size_t n,
	      struct kpage_counts *c)
{
	size_t i;
	int rc;

	if (!kp->pending_pfn) {
		kp->pending_pfn = malloc(KPAGE_PENDING_MAX * sizeof(*kp->pending_pfn));
		kp->pending_to = malloc(KPAGE_PENDING_MAX * sizeof(*kp->pending_to));
		if (!kp->pending_pfn || !kp->pending_to)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (kp->npending == KPAGE_PENDING_MAX) {
			rc = kpage_flush(kp);
			if (rc)
				return rc;
		}
		kp->pending_pfn[kp->npending] = pfns[i];
		kp->pending_to[kp->npending++] = c;
	}
	return 0;
}
