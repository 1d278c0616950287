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
	SOURCE_CORE,		/* an ELF core file */
	SOURCE_SAVED,		/* vmmap's own JSON document, saved earlier */
};

struct saved;

struct core_file;

struct source_ops;

struct source {
	enum source_kind kind;
	const struct source_ops *ops;
	/* live and sysroot: the proc root, files of the target resolved
	 * under the capture's root */
	struct proc_source proc;
	/* core: the parsed core, and the directory its mapped files are
	 * looked up under (/ or --sysroot DIR), an O_PATH fd */
	struct core_file *core;
	int root_fd;
	char *core_path;	/* the core's or the saved document's path */
	/* saved: the parsed document */
	struct saved *saved;
};

/* Open /proc (sysroot NULL) or SYSROOT/proc as a source. Returns 0 or
 * -errno (as proc_source_init()). Release with source_close(). */
int source_open_proc(struct source *src, const char *sysroot);
void source_close(struct source *src);

/* Whether path names a regular file that holds an ELF core: 1 yes, 0 no
 * (not there, not a regular file, not a core), -errno when it is a file
 * that cannot be read. */
int source_is_core_file(const char *path);

/* Open the ELF core at path as a source; its mapped files are looked up
 * under sysroot (NULL: /). Returns 0, -ENOEXEC when it is not a core,
 * -PROC_ENOTREG, or -errno. The file is opened non-blocking and must be a
 * regular file; what the core says is bounded by elf/core.h. */
int source_open_core(struct source *src, const char *path, const char *sysroot);

/* Open the file an image was mapped from, as the source knows it (h: the
 * process, live or captured; NULL for a core). Returns an fd or -errno. */
struct mapped_file_id;
int source_open_image(const struct source *src, const struct proc_handle *h,
		      const struct mapped_file_id *id);

/* Open vmmap's JSON document at path (vmmap --json PID > path) as a
 * source: snapshot_load() then gives the snapshot it describes, with the
 * kinds it names. Returns 0, or -errno with a reason in why for a file
 * that is not such a document (the place in it is named). */
int source_open_saved(struct source *src, const char *path, char *why, size_t whylen);

/* "live", "sysroot", "core", "saved": what the JSON document's "source"
 * says. */
const char *source_kind_name(const struct source *src);

static inline bool source_is_live(const struct source *src)
{
	return src->kind == SOURCE_LIVE;
}

#endif
