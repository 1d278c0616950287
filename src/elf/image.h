/* image.h: what vmmap needs from an ELF file that is mapped into a process:
 * its type and class, program headers, allocated sections and build-id.
 *
 * Read from a file descriptor the caller opened (safely: see
 * proc/mapfile.h), with libelf translating byte order. Parsed images are
 * immutable and shared: a cache keyed by (dev, inode) hands out references.
 *
 * The file is hostile: any process can map a sparse file whose headers
 * claim tables of gigabytes, or billions of sections, at no cost to itself.
 * Every table is checked against the file size and its cap below before a
 * byte of it is read; one that fails is not read at all, and the result
 * says which and why (struct elf_skipped).
 */
#ifndef VMMAP_ELF_IMAGE_H
#define VMMAP_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { ELF_IMAGE_EXEC = 2, ELF_IMAGE_DYN = 3 };	/* ET_EXEC, ET_DYN */

/* What is read of a file at most, whatever its headers claim. Real files
 * stay far below: section names take kilobytes, notes bytes, symbol tables
 * and their names megabytes, rarely tens of them even unstripped. */
enum {
	ELF_MAX_PHDRS = 4096,		/* program headers looked at (the rest ignored) */
	ELF_MAX_SECTIONS = 65536,	/* section headers looked at (4 MiB) */
	ELF_MAX_SHSTRTAB = 16 << 20,	/* the section-header string table */
	ELF_MAX_NOTES = 4 << 20,	/* all note sections and segments (build-id) */
	ELF_MAX_SYMTAB = 64 << 20,	/* .symtab or .dynsym */
	ELF_MAX_STRTAB = 64 << 20,	/* the names of its symbols */
};

/* A table of the file left unread: what its headers claim lies past the end
 * of the file or over its cap. The first such table is recorded. */
struct elf_skipped {
	const char *what;	/* "the section names"; NULL when nothing was skipped */
	const char *loss;	/* what is unknown for it: "its sections are unknown" */
	char why[96];		/* "the string table claims 2.0G (limit 16M)" */
};

struct elf_segment {
	uint32_t type;		/* PT_* */
	uint32_t flags;		/* PF_R | PF_W | PF_X */
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* An SHF_ALLOC section that occupies addresses (.tbss does not). */
struct elf_section {
	uint64_t addr;
	uint64_t size;
	uint32_t type;		/* SHT_* (SHT_NOBITS for .bss) */
	uint32_t name;		/* offset into names */
};

struct elf_image {
	int refs;
	int type;		/* ELF_IMAGE_EXEC or ELF_IMAGE_DYN, or the raw e_type */
	int elf_class;		/* 32 or 64 */
	int machine;
	struct elf_segment *segments;
	size_t nsegments;
	struct elf_section *sections;	/* sorted by addr */
	size_t nsections;
	char *names;
	bool has_section_headers;
	unsigned char build_id[64];
	size_t build_id_len;
	/* a table left unread; the rest is usable: skipped program headers
	 * leave no segments, skipped section headers or names no sections,
	 * skipped notes no build-id */
	struct elf_skipped skipped;
};

/* Parse the ELF file open on fd (the caller keeps fd). At most
 * ELF_MAX_PHDRS program headers and ELF_MAX_SECTIONS sections are looked
 * at; a table past the end of the file or over its ELF_MAX_* cap is
 * skipped (img->skipped says which). Returns 0 with a new image (refs = 1)
 * in *out, -ENOEXEC when fd is not an ELF file, -ENOMEM, or -errno. */
int elf_image_read_fd(int fd, struct elf_image **out);

struct elf_image *elf_image_ref(struct elf_image *img);
void elf_image_unref(struct elf_image *img);

/* The loadable segments' lowest page: what a region at file offset 0 maps. */
uint64_t elf_image_first_load_vaddr(const struct elf_image *img, uint64_t page_size);

/* Section name, or "" */
static inline const char *elf_section_name(const struct elf_image *img,
					   const struct elf_section *s)
{
	return img->names ? img->names + s->name : "";
}

/* A function or object symbol (from .symtab, else .dynsym). */
struct elf_symbol {
	uint64_t value;		/* ELF virtual address */
	uint64_t size;
	uint32_t name;		/* offset into the symbol names */
};

struct elf_symbols {
	struct elf_symbol *v;	/* sorted by value */
	size_t n;
	char *names;
	bool from_symtab;	/* .symtab was there (else only .dynsym) */
	struct elf_skipped skipped;	/* why there are none: a table left unread */
};

/* Read the function and object symbols of the ELF file on fd: .symtab when
 * it has one, else .dynsym. The first 1,000,000 entries are looked at. A
 * symbol table over ELF_MAX_SYMTAB, names over ELF_MAX_STRTAB or either
 * past the end of the file are not read: n = 0 and syms->skipped says why.
 * Returns 0 (an image without symbols gives n = 0), -ENOEXEC, -ENOMEM or
 * -errno. */
int elf_symbols_read_fd(int fd, struct elf_symbols *out);
void elf_symbols_release(struct elf_symbols *syms);

/* The symbol holding vaddr (value <= vaddr < value + size), else the
 * nearest one below it within 64 KiB, else NULL. */
const struct elf_symbol *elf_symbols_find(const struct elf_symbols *syms, uint64_t vaddr);

static inline const char *elf_symbol_name(const struct elf_symbols *syms,
					  const struct elf_symbol *sym)
{
	return syms->names + sym->name;
}

/* The section holding vaddr, or NULL. */
const struct elf_section *elf_image_section_at(const struct elf_image *img, uint64_t vaddr);

/* Cache of parsed images per (dev, inode). */
struct elf_cache_entry {
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	struct elf_image *img;	/* NULL: tried and failed */
	int err;
};

struct elf_cache {
	struct elf_cache_entry *v;
	size_t n;
	size_t cap;
};

/* Find an entry; NULL when the file was never tried. */
struct elf_cache_entry *elf_cache_find(struct elf_cache *c, uint32_t dev_major,
				       uint32_t dev_minor, uint64_t inode);
/* Record an outcome (img may be NULL with err set); the cache takes one
 * reference. Returns the entry or NULL on -ENOMEM. */
struct elf_cache_entry *elf_cache_put(struct elf_cache *c, uint32_t dev_major,
				      uint32_t dev_minor, uint64_t inode,
				      struct elf_image *img, int err);
void elf_cache_release(struct elf_cache *c);

#endif
