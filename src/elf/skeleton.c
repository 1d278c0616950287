/* skeleton.c: see skeleton.h. Read by hand with <elf.h> and pread(), as
 * elf/core.c reads cores: each table's size is checked against the file
 * and its cap (elf/image.h) before it is read, so a sparse file whose
 * headers claim gigabytes costs nothing. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/image.h"
#include "elf/skeleton.h"

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA ELFDATA2LSB
#else
#define HOST_DATA ELFDATA2MSB
#endif

/* The header fields the skeleton moves, whatever the class. */
struct ehdr_info {
	bool is64;
	size_t ehsize, phentsize, shentsize;
	uint64_t phoff, shoff;
	uint64_t phnum, shnum, shstrndx;	/* extended numbering resolved */
};

/* The first reason, kept; later ones are dropped. */
static void left_out(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void left_out(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!whylen || why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* pread all of n bytes at off, or -EIO for a file shorter than it said. */
static int read_at(int fd, void *p, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)p + done, n - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}

/* Whether [off, off + len) lies inside a file of size bytes. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Append n bytes (from p, or zeros) at an 8-aligned offset of out; the
 * offset is put in *off. */
static int append(struct buf *out, const void *p, size_t n, uint64_t *off)
{
	size_t pad = (8 - out->len % 8) % 8;
	int rc = buf_reserve(out, pad + n);

	if (rc)
		return rc;
	memset(out->data + out->len, 0, pad);
	out->len += pad;
	*off = out->len;
	if (p)
		memcpy(out->data + out->len, p, n);
	else
		memset(out->data + out->len, 0, n);
	out->len += n;
	out->data[out->len] = '\0';
	return 0;
}

/* Program and section header fields, by class, in place in a table. */
static uint32_t ph_type(const struct ehdr_info *e, const void *ph)
{
	return e->is64 ? ((const Elf64_Phdr *)ph)->p_type : ((const Elf32_Phdr *)ph)->p_type;
}

static void ph_get(const struct ehdr_info *e, const void *ph, uint64_t *off, uint64_t *filesz)
{
	if (e->is64) {
		const Elf64_Phdr *p = ph;

		*off = p->p_offset;
		*filesz = p->p_filesz;
	} else {
		const Elf32_Phdr *p = ph;

		*off = p->p_offset;
		*filesz = p->p_filesz;
	}
}

static void ph_set(const struct ehdr_info *e, void *ph, uint64_t off, uint64_t filesz)
{
	if (e->is64) {
		Elf64_Phdr *p = ph;

		p->p_offset = off;
		p->p_filesz = filesz;
	} else {
		Elf32_Phdr *p = ph;

		p->p_offset = (Elf32_Off)off;
		p->p_filesz = (Elf32_Word)filesz;
	}
}

static void sh_get(const struct ehdr_info *e, const void *sh, uint32_t *type,
		   uint64_t *off, uint64_t *size)
{
	if (e->is64) {
		const Elf64_Shdr *s = sh;

		*type = s->sh_type;
		*off = s->sh_offset;
		*size = s->sh_size;
	} else {
		const Elf32_Shdr *s = sh;

		*type = s->sh_type;
		*off = s->sh_offset;
		*size = s->sh_size;
	}
}

static void sh_set(const struct ehdr_info *e, void *sh, uint64_t off, uint64_t size)
{
	if (e->is64) {
		Elf64_Shdr *s = sh;

		s->sh_offset = off;
		s->sh_size = size;
	} else {
		Elf32_Shdr *s = sh;

		s->sh_offset = (Elf32_Off)off;
		s->sh_size = (Elf32_Word)size;
	}
}

/* The ELF header: class, byte order, table geometry, with the counts of
 * extended numbering read from section header 0. */
static int read_ehdr(int fd, uint64_t size, unsigned char *raw, struct ehdr_info *e,
		     char *why, size_t whylen)
{
	int rc;

	if (size < EI_NIDENT)
		return -ENOEXEC;
	rc = read_at(fd, raw, EI_NIDENT, 0);
	if (rc)
		return rc == -EIO ? -ENOEXEC : rc;
	if (memcmp(raw, ELFMAG, SELFMAG) != 0 ||
	    (raw[EI_CLASS] != ELFCLASS32 && raw[EI_CLASS] != ELFCLASS64))
		return -ENOEXEC;
	if (raw[EI_DATA] != HOST_DATA) {
		left_out(why, whylen, "not in this machine's byte order");
		return -ENOEXEC;
	}
	e->is64 = raw[EI_CLASS] == ELFCLASS64;
	e->ehsize = e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (size < e->ehsize)
		return -ENOEXEC;
	rc = read_at(fd, raw, e->ehsize, 0);
	if (rc)
		return rc == -EIO ? -ENOEXEC : rc;
	if (e->is64) {
		const Elf64_Ehdr *h = (const Elf64_Ehdr *)raw;

		e->phoff = h->e_phoff;
		e->shoff = h->e_shoff;
		e->phentsize = h->e_phentsize;
		e->shentsize = h->e_shentsize;
		e->phnum = h->e_phnum;
		e->shnum = h->e_shnum;
		e->shstrndx = h->e_shstrndx;
	} else {
		const Elf32_Ehdr *h = (const Elf32_Ehdr *)raw;

		e->phoff = h->e_phoff;
		e->shoff = h->e_shoff;
		e->phentsize = h->e_phentsize;
		e->shentsize = h->e_shentsize;
		e->phnum = h->e_phnum;
		e->shnum = h->e_shnum;
		e->shstrndx = h->e_shstrndx;
	}
	if (e->shoff && (e->phnum == PN_XNUM || e->shnum == 0 || e->shstrndx == SHN_XINDEX)) {
		union { Elf64_Shdr s64; Elf32_Shdr s32; } sh0;
		size_t n = e->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);

		if (e->shentsize != n || !in_file(e->shoff, n, size) ||
		    read_at(fd, &sh0, n, e->shoff) != 0) {
			left_out(why, whylen, "the section headers: the first lies past the end of the file");
			if (e->phnum == PN_XNUM)
				return -ENOEXEC;	/* the program headers' count is there */
			e->shoff = 0;
			e->shnum = 0;
			return 0;
		}
		if (e->phnum == PN_XNUM)
			e->phnum = e->is64 ? sh0.s64.sh_info : sh0.s32.sh_info;
		if (e->shnum == 0)
			e->shnum = e->is64 ? sh0.s64.sh_size : sh0.s32.sh_size;
		if (e->shstrndx == SHN_XINDEX)
			e->shstrndx = e->is64 ? sh0.s64.sh_link : sh0.s32.sh_link;
	}
	if (!e->shoff)
		e->shnum = 0;
	return 0;
}

/* Copy [off, off + n) of the file to out if it lies in the file and the
 * budget allows; *budget shrinks by n. Sets *new_off, or returns 1 when
 * it was left out. */
static int copy_blob(int fd, uint64_t size, uint64_t off, uint64_t n, uint64_t *budget,
		     struct buf *out, uint64_t *new_off)
{
	int rc;

	if (!in_file(off, n, size) || n > *budget)
		return 1;
	rc = append(out, NULL, (size_t)n, new_off);
	if (rc)
		return rc;
	rc = read_at(fd, out->data + *new_off, (size_t)n, off);
	if (rc) {
		out->len = (size_t)*new_off;
		return rc == -EIO ? 1 : rc;
	}
	*budget -= n;
	return 0;
}

int elf_skeleton_build(int fd, struct buf *out, char *why, size_t whylen)
{
	unsigned char raw[sizeof(Elf64_Ehdr)];
	struct ehdr_info e = { 0 };
	uint64_t notes_budget = ELF_MAX_NOTES, names_budget = ELF_MAX_SHSTRTAB;
	uint64_t size, off, len, new_off, new_shoff = 0, i;
	unsigned char *sh = NULL;
	size_t phbytes, shbytes = 0, shsize, phsize;
	struct stat st;
	int rc;

	out->len = 0;
	if (whylen)
		why[0] = '\0';
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	size = (uint64_t)st.st_size;
	rc = read_ehdr(fd, size, raw, &e, why, whylen);
	if (rc)
		return rc;
	phsize = e.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	shsize = e.is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);

	/* The program headers are kept whole or the file is refused: load
	 * biases come from them, and a part of them would mislead. */
	if (e.phnum && e.phentsize != phsize) {
		left_out(why, whylen, "program headers of %zu bytes, not %zu", e.phentsize, phsize);
		return -ENOEXEC;
	}
	if (e.phnum > ELF_MAX_PHDRS) {
		left_out(why, whylen, "%llu program headers (limit %d)",
			 (unsigned long long)e.phnum, ELF_MAX_PHDRS);
		return -ENOEXEC;
	}
	phbytes = (size_t)e.phnum * phsize;
	if (!in_file(e.phoff, phbytes, size)) {
		left_out(why, whylen, "the program headers lie past the end of the file");
		return -ENOEXEC;
	}
	rc = buf_reserve(out, e.ehsize + phbytes);
	if (rc)
		return rc;
	memcpy(out->data, raw, e.ehsize);
	out->len = e.ehsize + phbytes;
	rc = read_at(fd, out->data + e.ehsize, phbytes, e.phoff);
	if (rc)
		goto fail;

	for (i = 0; i < e.phnum; i++) {
		unsigned char *ph = (unsigned char *)out->data + e.ehsize + i * phsize;

		if (ph_type(&e, ph) != PT_NOTE)
			continue;
		ph_get(&e, ph, &off, &len);
		rc = copy_blob(fd, size, off, len, &notes_budget, out, &new_off);
		if (rc < 0)
			goto fail;
		/* out->data may have moved */
		ph = (unsigned char *)out->data + e.ehsize + i * phsize;
		if (rc) {
			left_out(why, whylen, "a note segment past the end of the file or over %d bytes",
				 ELF_MAX_NOTES);
			ph_set(&e, ph, 0, 0);
		} else {
			ph_set(&e, ph, new_off, len);
		}
	}

	/* The section headers: all or none. */
	if (e.shnum && (e.shentsize != shsize || e.shnum > ELF_MAX_SECTIONS ||
			!in_file(e.shoff, e.shnum * shsize, size))) {
		if (e.shentsize != shsize)
			left_out(why, whylen, "the section headers: entries of %zu bytes, not %zu",
				 e.shentsize, shsize);
		else if (e.shnum > ELF_MAX_SECTIONS)
			left_out(why, whylen, "the section headers: %llu of them (limit %d)",
				 (unsigned long long)e.shnum, ELF_MAX_SECTIONS);
		else
			left_out(why, whylen, "the section headers: past the end of the file");
		e.shnum = 0;
	}
	if (e.shnum) {
		shbytes = (size_t)e.shnum * shsize;
		sh = malloc(shbytes);
		if (!sh) {
			rc = -ENOMEM;
			goto fail;
		}
		rc = read_at(fd, sh, shbytes, e.shoff);
		if (rc)
			goto fail;
	}
	for (i = 0; i < e.shnum; i++) {
		unsigned char *s = sh + i * shsize;
		uint32_t type;

		sh_get(&e, s, &type, &off, &len);
		if (i > 0 && (type == SHT_NOTE || i == e.shstrndx)) {
			uint64_t *budget = type == SHT_NOTE ? &notes_budget : &names_budget;

			rc = copy_blob(fd, size, off, len, budget, out, &new_off);
			if (rc < 0)
				goto fail;
			if (rc) {
				left_out(why, whylen, "%s past the end of the file or over its limit",
					 type == SHT_NOTE ? "a note section" : "the section names");
				sh_set(&e, s, 0, 0);
			} else {
				sh_set(&e, s, new_off, len);
			}
		} else if (type != SHT_NOBITS) {
			/* contents left out; sizes and types kept (.tdata
			 * against .tbss, the sections' extents) */
			sh_set(&e, s, 0, len);
		}
	}
	if (e.shnum) {
		rc = append(out, sh, shbytes, &new_shoff);
		if (rc)
			goto fail;
	}
	free(sh);
	sh = NULL;

	if (e.is64) {
		Elf64_Ehdr *h = (Elf64_Ehdr *)out->data;

		h->e_phoff = e.phnum ? e.ehsize : 0;
		h->e_shoff = new_shoff;
		if (!e.shnum)
			h->e_shnum = h->e_shstrndx = 0;
	} else {
		Elf32_Ehdr *h = (Elf32_Ehdr *)out->data;

		h->e_phoff = e.phnum ? (Elf32_Off)e.ehsize : 0;
		h->e_shoff = (Elf32_Off)new_shoff;
		if (!e.shnum)
			h->e_shnum = h->e_shstrndx = 0;
	}
	return 0;
fail:
	free(sh);
	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	return rc == -EIO ? -ENOEXEC : rc;
}
