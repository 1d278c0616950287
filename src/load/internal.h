/* internal.h: what the rooms of the loader share; not for outside src/load.
 *
 *   load.c        the entry point: retries, the common finish (images,
 *                 classification, accounting), the failure messages
 *   process.c     a process read through /proc or a captured tree: its
 *                 identity, regions, threads; the sequential read
 *   pipeline.c    the pipelined read of a large live process
 *   pages.c       page states (pagemap, kpageflags, kpagecount)
 *   elf_images.c  the ELF headers of every mapped image
 */
#ifndef VMMAP_LOAD_INTERNAL_H
#define VMMAP_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "load/load.h"
#include "model/address_space.h"
#include "proc/mapfile.h"
#include "proc/maps.h"
#include "proc/procfs.h"

struct smaps_entry;

/* One implementation of the source interface. */
struct source_ops {
	/* Read pid into snap (initialised by the caller): identity,
	 * regions with their counters, threads, the executable, the images'
	 * ELF headers, then load_classify() and load_account() exactly once,
	 * the page states when rq->pages, and rq->consumer fed if it is
	 * given and the source can. attempt counts the readings before this
	 * one; at LOAD_TRIES - 1 the loader will not read again, so a
	 * listing torn by a process that changes all the time is reported as
	 * best it can be instead of -EAGAIN. Returns 0, -EAGAIN (read again),
	 * or -errno with *error filled. */
	int (*read)(const struct source *src, pid_t pid, const struct load_request *rq,
		    unsigned int attempt, struct snapshot *snap, struct load_error *error);
	/* Page states of a snapshot loaded without them; NULL when the
	 * source has none. Returns as snapshot_load_pages(). */
	int (*read_pages)(const struct source *src, struct snapshot *snap);
	/* Open the file an image was mapped from (h: the process, when the
	 * source has one), read-only, a regular file. Returns an fd or -errno;
	 * -ESTALE when the file there now is not the one that was mapped. */
	int (*open_image)(const struct source *src, const struct proc_handle *h,
			  const struct mapped_file_id *id);
};

extern const struct source_ops proc_source_ops;
extern const struct source_ops core_source_ops;
extern const struct source_ops saved_source_ops;

/* saved.c: free a parsed saved document. */
void saved_release(struct saved *sv);

/* Torn listings are rare (a region must change exactly between two reads
 * of its neighbourhood): a few more readings are enough, and the last one
 * reports even a process that changes all the time. */
enum { LOAD_TRIES = 5 };

/* ---- load.c ---- */

void load_fail(struct load_error *error, enum load_failure kind, int err,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* What to do about a denied read, as text to append to the message ("" for
 * other errors). h is NULL when /proc/PID itself could not be opened. */
const char *load_access_hint(const struct proc_handle *h, int err);

/* The kinds, details, owning threads and geometry of snap's regions, from
 * its regions, threads and images (their ELF headers read), and the
 * warnings about stacks not found. Once per load: the counters need not be
 * in. ev NULL: no geometry, and no warning about lost stacks (kinds_only).
 * Returns 0 or -ENOMEM. */
int load_classify(struct snapshot *snap, const struct address_space_evidence *ev);

/* What needs the counters: images' sums, overflow warnings. */
void load_account(struct snapshot *snap);

/* ---- process.c ---- */

struct proc_read {
	struct proc_handle h;
	struct address_space_evidence ev;
};

/* Everything read before the regions: the process directory, stat (is
 * there an address space at all?), status, limits, cmdline and exe (not
 * status, limits and cmdline when kinds_only). On failure *error says why. */
int proc_read_prelude(const struct source *src, pid_t pid, struct snapshot *snap,
		      struct load_error *error, struct proc_read *pr, bool kinds_only);

/* The threads and, with_sp, their names and stack pointers (task/). */
void proc_read_threads(struct snapshot *snap, const struct proc_handle *h, bool with_sp);

/* What the geometry is computed from besides the regions, into pr->ev. */
void proc_read_evidence(const struct source *src, struct snapshot *snap, struct proc_read *pr);

/* Is the process still alive, not a zombie, and the one snap describes? */
bool proc_still_same(const struct proc_handle *h, const struct snapshot *snap);

/* Append a region read from maps or smaps, in order: a region before the
 * end of the last one is a listing torn between two reads (-EAGAIN live,
 * -EINVAL in a capture: malformed). */
int proc_check_order(const struct snapshot *snap, const struct maps_entry *m);

/* The images' ELF headers, the kinds, the lost-stack warnings: the part of
 * a read after the regions and threads. Returns 0 or -errno with *error. */
int proc_finish_classify(const struct source *src, struct snapshot *snap,
			 struct proc_read *pr, const struct load_request *rq,
			 struct load_error *error);

/* ---- pipeline.c ---- */

/* The read of a live process with smaps read by a second thread while
 * this one reads maps, classifies and feeds rq->consumer. Returns as
 * source_ops.read; -EAGAIN when the process changed under it. */
int pipeline_read(const struct source *src, pid_t pid, const struct load_request *rq,
		  struct snapshot *snap, struct load_error *error);

/* ---- numa.c ---- */

/* Read numa_maps into snap->numa (one per region): what cannot be read is
 * unknown, with a warning. Returns 0 or -ENOMEM. */
int load_read_numa(struct snapshot *snap, const struct proc_handle *h);

/* ---- elf_images.c ---- */

/* Parse the ELF headers of every image of snap, once per (dev, inode),
 * through rq->cache when not NULL; warn about what could not be read.
 * Nothing when rq->kinds_only: the images stay unread, without a
 * warning (the caller asked). */
void load_read_images(struct snapshot *snap, const struct source *src,
		      const struct proc_handle *h, const struct load_request *rq);

#endif
