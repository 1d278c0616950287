/* pipeline.c: the pipelined read of a large live process.
 *
 * For a large process nearly all of a sequential read is the kernel writing
 * smaps. Here a second thread reads smaps while this one reads maps (the
 * same regions without counters, a tenth of the kernel's work), the
 * threads and the ELF images, classifies, and hands the regions to the
 * consumer as their smaps blocks arrive. Every smaps header must equal the
 * maps line it fills: when one does not, the process changed between the
 * two reads, the consumer's work is void and the loader reads again
 * (-EAGAIN), sequentially.
 *
 * The kinds are decided once, from maps, before the counters arrive,
 * unless a verdict rests on VmFlags (only in smaps) that a region has yet
 * to get: the classifier says so (kinds_wait_vmflags), and then the
 * consumer is not given the regions early, and the kinds are decided
 * again once every region has its VmFlags.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load/internal.h"
#include "load/pages.h"
#include "model/images.h"
#include "proc/prefetch.h"
#include "proc/smaps.h"

enum {
	PIPE_CHUNK = 256 * 1024,	/* as smaps_read() */
	PIPE_CHUNKS = 48,		/* at most 12 MiB read ahead */
};

struct pipe_fill {
	struct snapshot *snap;
	size_t next;		/* region the next smaps block must describe */
};

static bool same_region(const struct snapshot *s, const struct region *r,
			const struct maps_entry *m)
{
	const char *path = region_path(s, r);

	return r->start == m->start && r->end == m->end && r->offset == m->offset &&
	       r->inode == m->inode && r->dev_major == m->dev_major &&
	       r->dev_minor == m->dev_minor && r->perms == m->perms &&
	       r->name_kind == m->name_kind &&
	       !!(r->flags & REGION_DELETED) == m->deleted &&
	       strcmp(path ? path : "", m->name) == 0;
}

static int fill_smaps_region(void *ctx, const struct smaps_entry *e)
{
	struct pipe_fill *f = ctx;
	struct region *r;

	if (f->next >= f->snap->nregions ||
	    !same_region(f->snap, &f->snap->regions[f->next], &e->map))
		return -ESTALE;
	r = &f->snap->regions[f->next++];
	r->counters = e->counters;
	if (e->has_vm_flags) {
		r->flags |= REGION_HAS_VMFLAGS;
		r->vm_flags = e->vm_flags;
	}
	return 0;
}

static int add_maps_region(void *ctx, const struct maps_entry *m)
{
	int rc = proc_check_order(ctx, m);

	return rc ? rc : snapshot_add_region(ctx, m, NULL, 0, false);
}

/* Warnings taken out of a snapshot to be put back later, so that a
 * pipelined read lists them in the order a sequential one does. */
struct held_warnings {
	char **v;
	size_t n;
};

static int hold_warnings(struct snapshot *snap, size_t from, struct held_warnings *hw)
{
	size_t n = snap->nwarnings - from;

	hw->n = 0;
	if (!n)
		return 0;
	hw->v = malloc(n * sizeof(*hw->v));
	if (!hw->v)
		return -ENOMEM;
	memcpy(hw->v, snap->warnings + from, n * sizeof(*hw->v));
	hw->n = n;
	snap->nwarnings = from;
	return 0;
}

static void put_back_warnings(struct snapshot *snap, struct held_warnings *hw)
{
	size_t i;

	for (i = 0; i < hw->n; i++)
		if (snapshot_warn(snap, "%s", hw->v[i]))
			break;
	for (i = 0; i < hw->n; i++)
		free(hw->v[i]);
	free(hw->v);
	hw->v = NULL;
	hw->n = 0;
}

/* Drop the warnings from index from on (those of a classification done
 * again). */
static void drop_warnings(struct snapshot *snap, size_t from)
{
	while (snap->nwarnings > from)
		free(snap->warnings[--snap->nwarnings]);
}

int pipeline_read(const struct source *src, pid_t pid, const struct load_request *rq,
		  struct snapshot *snap, struct load_error *error)
{
	struct proc_read pr = { .h = { .dir_fd = -1 }, .ev = { .cpu_la57 = -1 } };
	const struct region_consumer *consumer = rq->consumer;
	struct pipe_fill fill = { .snap = snap };
	struct smaps_parser parser;
	struct smaps_batcher batcher;
	struct prefetch_work work = {
		.fn = smaps_batch_chunk, .free_state = smaps_batch_free, .ctx = &batcher,
	};
	/* Where smaps is parsed, measured at 60,000 regions: the caller's
	 * thread keeps up with the kernel's smaps and parses it too, leaving
	 * the reader only the kernel's work; with the page tables' thread
	 * sharing the two CPUs, the reader has the slack. */
	bool in_reader = rq->pages;
	struct page_reader pgr;
	struct held_warnings page_warnings = { 0 };
	bool reading_pages = false, began = false, complete = false;
	struct prefetch *pf = NULL;
	size_t emitted = 0, classified_from, classified_to;
	int want = 0, rc;

	smaps_batcher_init(&batcher);
	smaps_parser_init(&parser, fill_smaps_region, &fill);

	rc = proc_read_prelude(src, pid, snap, error, &pr, rq->kinds_only);
	if (rc)
		goto out;
	/* Anything unexpected from here on (a read error, a malformed line,
	 * a process that changed) is -EAGAIN: the sequential read that follows
	 * reads everything again and explains it. */
	rc = -EAGAIN;
	if (prefetch_start_work(proc_openat(&pr.h, "smaps"), PIPE_CHUNK, PIPE_CHUNKS,
				in_reader ? &work : NULL, &pf) ||
	    maps_read(&pr.h, add_maps_region, snap, NULL) || snap->nregions == 0)
		goto out;
	proc_read_threads(snap, &pr.h, !rq->kinds_only);
	if (!rq->kinds_only)
		proc_read_evidence(src, snap, &pr);
	rc = images_group(snap);
	if (rc)
		goto oom;
	load_read_images(snap, src, &pr.h, rq);
	classified_from = snap->nwarnings;
	rc = load_classify(snap, rq->kinds_only ? NULL : &pr.ev);
	if (rc)
		goto oom;
	classified_to = snap->nwarnings;
	if (rq->pages) {
		/* in a third thread: the consumer gets each stretch of regions
		 * once both their smaps blocks and their page states are in */
		rc = page_reader_begin(&pgr, src, snap, &pr.h);
		reading_pages = true;
		if (!rc)
			rc = hold_warnings(snap, classified_to, &page_warnings);
		if (rc == -ENOMEM)
			goto oom;
		if (rc) {
			load_fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
			goto out;
		}
		page_reader_start(&pgr);
	}

	if (!snap->kinds_wait_vmflags) {
		began = true;
		want = consumer->begin(consumer->ctx, snap);
		if (want < 0) {
			rc = want;
			load_fail(error, LOAD_FAILED, rc, "cannot print the report of %d: %s",
				  (int)pid, errno_text(rc));
			goto out;
		}
	}
	for (;;) {
		const struct smaps_batch *batch;
		const char *data;
		size_t len, i;
		void *state;
		bool end;

		rc = -EAGAIN;
		if (in_reader) {
			int got = prefetch_next_work(pf, &state);

			if (got < 0)
				goto out;
			end = got == 0;
			batch = state;
			for (i = 0; !end && i < batch->n; i++)
				if (fill_smaps_region(&fill, &batch->entries[i]))
					goto out;
		} else {
			if (prefetch_next(pf, &data, &len))
				goto out;
			end = len == 0;
			if (end ? smaps_parser_finish(&parser)
				: smaps_parser_feed(&parser, data, len))
				goto out;
		}
		if (reading_pages && fill.next > emitted) {
			rc = page_reader_wait(&pgr, fill.next);
			if (rc)
				goto oom;
			for (i = emitted; i < fill.next; i++)
				fill_huge_pages(snap, &snap->regions[i], &snap->pages[i]);
		}
		if (want > 0 && fill.next > emitted) {
			rc = consumer->regions(consumer->ctx, snap, emitted, fill.next);
			if (rc) {
				load_fail(error, LOAD_FAILED, rc, "cannot print the report of %d: %s",
					  (int)pid, errno_text(rc));
				goto out;
			}
		}
		emitted = fill.next;
		if (end)
			break;
	}
	rc = -EAGAIN;
	if (fill.next != snap->nregions)
		goto out;
	prefetch_stop(pf);
	pf = NULL;

	if (!proc_still_same(&pr.h, snap)) {
		rc = -ESRCH;
		load_fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		goto out;
	}
	if (snap->kinds_wait_vmflags) {
		/* every region has its VmFlags now: decide the kinds for good */
		drop_warnings(snap, classified_from);
		rc = load_classify(snap, rq->kinds_only ? NULL : &pr.ev);
		if (rc)
			goto oom;
	}
	load_account(snap);
	put_back_warnings(snap, &page_warnings);
	if (reading_pages) {
		reading_pages = false;
		rc = page_reader_end(&pgr, snap);
		if (rc)
			goto oom;
	}
	complete = want > 0;
	snap->proc = pr.h;
	pr.h.dir_fd = -1;
	rc = 0;
	goto out;

oom:
	load_fail(error, LOAD_FAILED, rc, "out of memory");
out:
	if (began && consumer->end)
		consumer->end(consumer->ctx, complete);
	prefetch_stop(pf);
	if (reading_pages)
		page_reader_close(&pgr);
	put_back_warnings(snap, &page_warnings);
	smaps_batcher_release(&batcher);
	smaps_parser_release(&parser);
	proc_close(&pr.h);
	return rc;
}
