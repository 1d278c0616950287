/* streamed.c: a report spooled while its process is read (streamed.h). */
#include "config.h"

#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "output/streamed.h"

struct streamed_report {
	bool json;
	const struct output_options *o;
	bool complete;		/* the loader gave it every region, as loaded */
	FILE *spool;
	char *spool_buf;	/* its stdio buffer */
	struct json_stream *js;
	struct table_stream *ts;
	struct region_consumer consumer;
};

static int sink_begin(void *ctx, const struct snapshot *s)
{
	struct streamed_report *sr = ctx;
	int rc;

	if (sr->json) {
		rc = json_stream_begin(&sr->js, sr->spool, s, sr->o);
		return rc ? rc : 1;
	}
	return table_stream_begin(&sr->ts, sr->spool, s, sr->o);
}

static int sink_regions(void *ctx, const struct snapshot *s, size_t from, size_t to)
{
	struct streamed_report *sr = ctx;

	if (sr->js)
		return json_stream_regions(sr->js, s, from, to);
	return table_stream_regions(sr->ts, s, to);
}

static void sink_end(void *ctx, bool complete)
{
	struct streamed_report *sr = ctx;

	sr->complete = complete;
}

enum { SPOOL_BUFFER = 1 << 20 };

struct streamed_report *streamed_report_new(bool json, const struct output_options *o)
{
	struct streamed_report *sr = calloc(1, sizeof(*sr));
	int fd;

	if (!sr)
		return NULL;
	sr->json = json;
	sr->o = o;
	sr->consumer = (struct region_consumer){
		.begin = sink_begin, .regions = sink_regions, .end = sink_end, .ctx = sr,
	};
	fd = memfd_create("vmmap-report", MFD_CLOEXEC);
	if (fd < 0) {
		free(sr);
		return NULL;
	}
	/* fewer, larger writes than the memfd's 4 KiB block size suggests
	 * (glibc sizes a buffer it allocates itself by the block size,
	 * whatever size setvbuf() asks for) */
	sr->spool_buf = malloc(SPOOL_BUFFER);
	sr->spool = sr->spool_buf ? fdopen(fd, "w+") : NULL;
	if (!sr->spool) {
		free(sr->spool_buf);
		close(fd);
		free(sr);
		return NULL;
	}
	setvbuf(sr->spool, sr->spool_buf, _IOFBF, SPOOL_BUFFER);
	/* Only this thread writes the spool, and the table writes it a few
	 * characters per call: skip stdio's per-call locking, which costs
	 * atomics once the read-ahead thread exists. */
	__fsetlocking(sr->spool, FSETLOCKING_BYCALLER);
	return sr;
}

const struct region_consumer *streamed_report_consumer(struct streamed_report *sr)
{
	return &sr->consumer;
}

bool streamed_report_complete(const struct streamed_report *sr)
{
	return sr->complete;
}

/* Append everything written to spool to out. Returns 0 or -errno. */
static int copy_spool(FILE *spool, FILE *out)
{
	int in = fileno(spool), fd = fileno(out);
	off_t off = 0, size;
	char buf[1 << 16];

	if (fflush(spool))
		return -EIO;
	if (fflush(out))
		return -errno;
	size = lseek(in, 0, SEEK_END);
	if (size < 0)
		return -errno;
	while (off < size) {
		ssize_t n = sendfile(fd, in, &off, (size_t)(size - off));

		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EINVAL && errno != ENOSYS)
			return -errno;
		break;
	}
	/* an output sendfile() cannot write to */
	while (off < size) {
		ssize_t n = pread(in, buf, sizeof(buf), off), w = 0;

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		while (w < n) {
			ssize_t k = write(fd, buf + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return -errno;
			w += k;
		}
		off += n;
	}
	return 0;
}

int streamed_report_finish(struct streamed_report *sr, const struct snapshot *snap,
			   FILE *out, bool *write_failed)
{
	int rc;

	*write_failed = false;
	if (sr->js) {
		rc = json_stream_end(sr->js, snap);
	} else {
		rc = table_stream_end(sr->ts, snap);
		if (!rc)
			rc = table_print_process_line(out, snap, sr->o);
	}
	sr->js = NULL;
	sr->ts = NULL;
	if (!rc && ferror(sr->spool))
		rc = -EIO;
	else if (!rc)
		*write_failed = (rc = copy_spool(sr->spool, out)) != 0;
	return rc;
}

void streamed_report_free(struct streamed_report *sr)
{
	if (!sr)
		return;
	json_stream_free(sr->js);
	table_stream_free(sr->ts);
	if (sr->spool)
		fclose(sr->spool);
	free(sr->spool_buf);
	free(sr);
}
