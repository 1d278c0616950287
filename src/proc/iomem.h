/* iomem.h: /proc/iomem, the kernel's tree of physical address ranges.
 *
 *   <indent><start>-<end> : <name>
 *
 * One resource per line (kernel/resource.c: r_show()): the indent is two
 * spaces per level of nesting, start and end are lowercase hex without
 * "0x", at least 8 digits wide, and end is inclusive. The name is the rest
 * of the line after the first " : " and may itself hold colons ("PCI Bus
 * 0000:00"). A child range lies inside its parent ("Kernel code" inside a
 * "System RAM"). The kernel caps the indent at 5 levels: deeper resources
 * print at depth 5 and read here as siblings of the depth-5 line above them.
 *
 * Addresses are printed only to an opener with CAP_SYS_ADMIN in the initial
 * user namespace; anyone else reads every range as 00000000-00000000. Such
 * a file still gives the names and the shape of the tree, but no address:
 * see struct iomem's addresses_hidden.
 */
#ifndef VMMAP_PROC_IOMEM_H
#define VMMAP_PROC_IOMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

struct iomem_resource {
	uint64_t start;
	uint64_t end;		/* inclusive */
	int depth;		/* 0 for a top-level resource */
	long parent;		/* index of the enclosing resource; -1 at depth 0 */
	const char *name;	/* NUL-terminated, owned by the struct iomem;
				 * "" when the line has nothing after " : " */
};

struct iomem {
	struct iomem_resource *res;	/* in file order (a pre-order walk) */
	size_t count;
	char *names;			/* storage of every name; owned */
	bool addresses_hidden;		/* the file has at least one line and
					 * every range reads 00000000-00000000:
					 * the reader lacked CAP_SYS_ADMIN */
};

/* Parse iomem text: len bytes at text, which need not be NUL-terminated;
 * nothing at or after text + len is read. A last line without its newline
 * is parsed like the others. Every line must be an indent of an even number
 * of spaces, at most one level deeper than the line before (the first line
 * at depth 0), then hex "start-end" (1 to 16 digits each), then " : " and a
 * name without NUL bytes; anything else, empty lines included, is
 * malformed.
 * Returns 0 with *out filled (release it with iomem_release()), -EINVAL on
 * a malformed line, or -ENOMEM. On error *out is left empty: count 0, no
 * storage, and iomem_release() is still safe to call. */
int iomem_parse(const char *text, size_t len, struct iomem *out);

/* Free what iomem_parse() or iomem_read() allocated and empty *io. */
void iomem_release(struct iomem *io);

/* Read and parse iomem under src ("/proc/iomem", or SYSROOT/proc/iomem).
 * Returns as iomem_parse(), or the -errno of reading the file (-ENOENT
 * under a hidepid "subset=pid" mount or in a capture without it). */
int iomem_read(const struct proc_source *src, struct iomem *out);

/* The deepest resource whose [start, end] holds phys_addr, found by walking
 * down from the top-level resource that holds it. Returns its index into
 * io->res, or -1 when no resource holds the address or the addresses are
 * hidden (a hidden file knows no address, so it answers none). */
long iomem_find(const struct iomem *io, uint64_t phys_addr);

/* The bytes of the top-level resources named exactly "System RAM": the RAM
 * the kernel manages, holes and firmware reservations excluded. Saturates at
 * UINT64_MAX. Returns 0 when there is no such resource, and also when the
 * addresses are hidden: check addresses_hidden before printing the result,
 * because there 0 means unknown, not none. */
uint64_t iomem_system_ram_bytes(const struct iomem *io);

#endif
