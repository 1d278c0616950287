/* elf_ident.c: class and machine from an ELF header. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>

#include "elf/elf_ident.h"

static const char *machine_name(int machine, int elf_class)
{
	switch (machine) {
	case EM_X86_64: return elf_class == 32 ? "x32" : "x86_64";
	case EM_386: return "i386";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_RISCV: return elf_class == 32 ? "riscv32" : "riscv64";
	case EM_PPC64: return "ppc64";
	case EM_PPC: return "ppc";
	case EM_S390: return "s390x";
	case EM_MIPS: return "mips";
	case EM_LOONGARCH: return "loongarch64";
	default: return NULL;
	}
}

int elf_ident_fd(int fd, struct elf_ident *out)
{
	GElf_Ehdr ehdr;
	struct stat st;
	Elf *elf;
	int cls, rc = 0;

	out->elf_class = 0;
	out->machine = 0;
	out->arch = NULL;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		return -ENOEXEC;
	if (elf_kind(elf) != ELF_K_ELF) {
		rc = -ENOEXEC;
		goto out;
	}
	cls = gelf_getclass(elf);
	if (cls != ELFCLASS32 && cls != ELFCLASS64) {
		rc = -ENOEXEC;
		goto out;
	}
	if (!gelf_getehdr(elf, &ehdr)) {
		rc = -ENOEXEC;
		goto out;
	}
	out->elf_class = cls == ELFCLASS32 ? 32 : 64;
	out->machine = ehdr.e_machine;
	out->arch = machine_name(ehdr.e_machine, out->elf_class);
out:
	elf_end(elf);
	return rc;
}
