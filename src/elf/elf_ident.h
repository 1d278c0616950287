/* elf_ident.h: the class and machine of an ELF file (the process's
 * executable); implemented in image.c beside the full reader, with which
 * it shares the opening of the file. */
#ifndef VMMAP_ELF_IDENT_H
#define VMMAP_ELF_IDENT_H

struct elf_ident {
	int elf_class;		/* 32 or 64 */
	int machine;		/* EM_* */
	const char *arch;	/* "x86_64", "i386", ... or NULL when unknown */
};

/* Read the ELF header from fd (which must be a regular file; the caller keeps
 * ownership of fd). Returns 0, -ENOEXEC when it is not an ELF file, or
 * -errno. */
int elf_ident_fd(int fd, struct elf_ident *out);

#endif
