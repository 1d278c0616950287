/* skeleton.h: the parts of an ELF file that vmmap reads, compactly, for a
 * capture (vmmap --capture) that --sysroot replays.
 *
 * The skeleton keeps the ELF header and the program headers as they are
 * (load biases are computed from them; only a PT_NOTE's offset moves), and
 * the section headers, the section-name table and the notes (build-id),
 * moved to new offsets. The contents of every other section and segment
 * are left out: a 2 MiB library becomes a few KiB.
 *
 * The file is hostile (a target maps what it likes): the headers are read
 * with pread(), each table checked against the file size and the caps of
 * elf/image.h before a byte of it is read. Only ELF files in the host's
 * byte order are taken (a process maps no other); no libelf.
 */
#ifndef VMMAP_ELF_SKELETON_H
#define VMMAP_ELF_SKELETON_H

#include <stddef.h>

#include "util/buf.h"

/* Build the skeleton of the ELF file open on fd (the caller keeps fd) into
 * out, replacing its contents. A table that cannot be kept (past the end
 * of the file, over its cap) is left out of the skeleton and named in why
 * (whylen bytes; "" when nothing was left out beyond the contents).
 * Returns 0, -ENOEXEC when fd is not an ELF file in the host's byte order
 * with program headers the skeleton can keep, -ENOMEM, or -errno. */
int elf_skeleton_build(int fd, struct buf *out, char *why, size_t whylen);

#endif
