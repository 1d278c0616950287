/* source.h: where a snapshot is read from.
 *
 * A source is an interface with one implementation per kind: a live
 * process under /proc, a captured tree (--sysroot DIR, its DIR/proc read as
 * /proc was), and an ELF core file. The loader (load.h) asks the source to
 * read a process's raw facts (identity, regions with their counters,
 * threads, the executable) and to open the files its images were mapped
 * from; what is made of them (kinds, sections, geometry) is the same code
 * for every source.
 */
#ifndef VMMAP_LOAD_SOURCE_H
#define VMMAP_LOAD_SOURCE_H

#include <stdbool.h>

#include "proc/procfs.h"

enum source_kind {
	SOURCE_LIVE,		/* /proc of this machine */
	SOURCE_SYSROOT,		/* DIR/proc of a captured tree */
};

struct source_ops;

struct source {
	enum source_kind kind;
	const struct source_ops *ops;
	/* live and sysroot: the proc root, files of the target resolved
	 * under the capture's root */
	struct proc_source proc;
};

/* Open /proc (sysroot NULL) or SYSROOT/proc as a source. Returns 0 or
 * -errno (as proc_source_init()). Release with source_close(). */
int source_open_proc(struct source *src, const char *sysroot);
void source_close(struct source *src);

/* "live", "sysroot": what the JSON document's "source" says. */
const char *source_kind_name(const struct source *src);

static inline bool source_is_live(const struct source *src)
{
	return src->kind == SOURCE_LIVE;
}

#endif
