/* image.c: program headers, sections, build-id and symbols of a mapped ELF
 * file.
 *
 * Tables are read with pread(), each checked first against the file size
 * and its cap (image.h); libelf only translates what was read to host byte
 * order. elf_begin() is not used: before anything can be checked it
 * allocates and fills a descriptor per section the header claims (up to
 * 2^32 with extended numbering, in a sparse file of that many headers), and
 * elf_getdata() and elf_strptr() load whole sections, whatever size their
 * headers claim. A read, unlike an mmap, also leaves a target that
 * truncates the file no way to SIGBUS vmmap.
 */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/elf_ident.h"
#include "elf/image.h"
#include "util/array.h"

enum { MAX_NAMES = 1 << 20 };

/* An ELF file open for reading, its header in host order and its counts
 * with extended numbering resolved. */
struct elf_file {
	int fd;
	uint64_t size;
	int cls;			/* ELFCLASS32 or ELFCLASS64 */
	unsigned int encoding;		/* ELFDATA2LSB or ELFDATA2MSB */
	GElf_Ehdr eh;
	uint64_t phnum;
	uint64_t shnum;
	uint64_t shstrndx;
};

static void skip(struct elf_skipped *s, const char *what, const char *loss,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void skip(struct elf_skipped *s, const char *what, const char *loss,
		 const char *fmt, ...)
{
	va_list ap;

	if (!s || s->what)
		return;
	s->what = what;
	s->loss = loss;
	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
}

/* "2.0G", "16M", "512B": sizes for the reasons, rounded up so that a size
 * over a limit never reads as the limit. */
static void size_text(uint64_t v, char *out, size_t n)
{
	static const char units[] = "BKMGTPE";
	uint64_t whole = v, rem = 0, tenth;
	bool inexact = false;
	int u = 0;

	while (whole >= 1024 && u < 6) {
		inexact |= rem != 0;
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (u && whole < 10) {
		tenth = rem * 10 / 1024;
		if (rem * 10 % 1024 || inexact)
			tenth++;
		if (tenth >= 10) {
			whole++;
			tenth = 0;
		}
		snprintf(out, n, "%" PRIu64 ".%" PRIu64 "%c", whole, tenth, units[u]);
		return;
	}
	if (rem || inexact)
		whole++;
	snprintf(out, n, "%" PRIu64 "%c", whole, units[u]);
}

static int read_full(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENODATA;	/* the file shrank under us */
		done += (size_t)r;
	}
	return 0;
}

/* True, noted in s, when a table of len bytes is over cap. table names it in
 * the reason ("the string table"); what and loss say what a skip costs. */
static bool over_cap(uint64_t len, uint64_t cap, const char *table,
		     struct elf_skipped *s, const char *what, const char *loss)
{
	char a[24], b[24];

	if (len <= cap)
		return false;
	size_text(len, a, sizeof(a));
	size_text(cap, b, sizeof(b));
	skip(s, what, loss, "%s claims %s (limit %s)", table, a, b);
	return true;
}

/* Read len bytes at off into a new buffer, after checking that they lie in
 * the file and within cap (the rest as for over_cap()). Returns 0, 1 when
 * skipped (*out NULL), or -ENOMEM. */
static int read_table(const struct elf_file *f, uint64_t off, uint64_t len,
		      uint64_t cap, const char *table, struct elf_skipped *s,
		      const char *what, const char *loss, unsigned char **out)
{
	int rc;

	*out = NULL;
	if (over_cap(len, cap, table, s, what, loss))
		return 1;
	if (off > f->size || len > f->size - off) {
		skip(s, what, loss, "%s lies past the end of the file", table);
		return 1;
	}
	*out = malloc(len ? len : 1);
	if (!*out)
		return -ENOMEM;
	rc = read_full(f->fd, *out, len, off);
	if (rc) {
		free(*out);
		*out = NULL;
		skip(s, what, loss, "%s cannot be read (%s)", table,
		     rc == -ENODATA ? "the file is shorter" : "I/O error");
		return 1;
	}
	return 0;
}

/* Translate n bytes of records of type t, in place, to host order. */
static int xlate(const struct elf_file *f, void *buf, size_t n, Elf_Type t)
{
	Elf_Data d = { .d_buf = buf, .d_type = t, .d_size = n, .d_version = EV_CURRENT };

	if (f->cls == ELFCLASS32)
		return elf32_xlatetom(&d, &d, f->encoding) ? 0 : -ENOEXEC;
	return elf64_xlatetom(&d, &d, f->encoding) ? 0 : -ENOEXEC;
}

static size_t phdr_size(const struct elf_file *f)
{
	return f->cls == ELFCLASS32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
}

static size_t shdr_size(const struct elf_file *f)
{
	return f->cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
}

static size_t sym_size(const struct elf_file *f)
{
	return f->cls == ELFCLASS32 ? sizeof(Elf32_Sym) : sizeof(Elf64_Sym);
}

static void shdr_at(const struct elf_file *f, const unsigned char *buf, size_t i,
		    GElf_Shdr *sh)
{
	if (f->cls == ELFCLASS32) {
		Elf32_Shdr s;

		memcpy(&s, buf + i * sizeof(s), sizeof(s));
		*sh = (GElf_Shdr){
			.sh_name = s.sh_name, .sh_type = s.sh_type,
			.sh_flags = s.sh_flags, .sh_addr = s.sh_addr,
			.sh_offset = s.sh_offset, .sh_size = s.sh_size,
			.sh_link = s.sh_link, .sh_info = s.sh_info,
			.sh_addralign = s.sh_addralign, .sh_entsize = s.sh_entsize,
		};
	} else {
		memcpy(sh, buf + i * sizeof(*sh), sizeof(*sh));
	}
}

/* libelf's version handshake writes a global: once, for the machine
 * view's readers run in parallel. */
static pthread_once_t libelf_once = PTHREAD_ONCE_INIT;
static bool libelf_ok;

static void libelf_init(void)
{
	libelf_ok = elf_version(EV_CURRENT) != EV_NONE;
}

/* Open the ELF file on fd (a regular file): its header, and the counts that
 * extended numbering keeps in section header 0. s may be NULL. */
static int elf_file_open(int fd, struct elf_file *f, struct elf_skipped *s)
{
	unsigned char buf[sizeof(Elf64_Ehdr)];
	struct stat st;
	size_t len;

	memset(f, 0, sizeof(*f));
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	pthread_once(&libelf_once, libelf_init);
	if (!libelf_ok)
		return -ENOSYS;
	f->fd = fd;
	f->size = (uint64_t)st.st_size;
	if (read_full(fd, buf, EI_NIDENT, 0) != 0 || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	f->cls = buf[EI_CLASS];
	f->encoding = buf[EI_DATA];
	if ((f->cls != ELFCLASS32 && f->cls != ELFCLASS64) ||
	    (f->encoding != ELFDATA2LSB && f->encoding != ELFDATA2MSB))
		return -ENOEXEC;
	len = f->cls == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (read_full(fd, buf, len, 0) != 0 || xlate(f, buf, len, ELF_T_EHDR) != 0)
		return -ENOEXEC;
	if (f->cls == ELFCLASS32) {
		Elf32_Ehdr e;

		memcpy(&e, buf, sizeof(e));
		memcpy(f->eh.e_ident, e.e_ident, EI_NIDENT);
		f->eh.e_type = e.e_type;
		f->eh.e_machine = e.e_machine;
		f->eh.e_version = e.e_version;
		f->eh.e_entry = e.e_entry;
		f->eh.e_phoff = e.e_phoff;
		f->eh.e_shoff = e.e_shoff;
		f->eh.e_flags = e.e_flags;
		f->eh.e_ehsize = e.e_ehsize;
		f->eh.e_phentsize = e.e_phentsize;
		f->eh.e_phnum = e.e_phnum;
		f->eh.e_shentsize = e.e_shentsize;
		f->eh.e_shnum = e.e_shnum;
		f->eh.e_shstrndx = e.e_shstrndx;
	} else {
		memcpy(&f->eh, buf, sizeof(f->eh));
	}
	f->phnum = f->eh.e_phnum;
	f->shnum = f->eh.e_shoff ? f->eh.e_shnum : 0;
	f->shstrndx = f->eh.e_shstrndx;
	if (f->eh.e_shoff && (f->eh.e_shnum == 0 || f->eh.e_phnum == PN_XNUM ||
			      f->eh.e_shstrndx == SHN_XINDEX)) {
		unsigned char sh0[sizeof(Elf64_Shdr)];
		size_t n = shdr_size(f);
		GElf_Shdr sh;

		if (f->eh.e_shentsize != n || f->eh.e_shoff > f->size ||
		    n > f->size - f->eh.e_shoff ||
		    read_full(fd, sh0, n, f->eh.e_shoff) != 0 ||
		    xlate(f, sh0, n, ELF_T_SHDR) != 0) {
			/* the true counts are unknown */
			if (f->eh.e_phnum == PN_XNUM) {
				f->phnum = 0;
				skip(s, "the program headers", "its segments are unknown",
				     "their count is in an unreadable section header");
			}
			if (f->eh.e_shnum == 0) {
				f->shnum = 0;
				skip(s, "the section headers", "its sections are unknown",
				     "their count is in an unreadable section header");
			}
			return 0;
		}
		shdr_at(f, sh0, 0, &sh);
		if (f->eh.e_shnum == 0)
			f->shnum = sh.sh_size;
		if (f->eh.e_phnum == PN_XNUM)
			f->phnum = sh.sh_info;
		if (f->eh.e_shstrndx == SHN_XINDEX)
			f->shstrndx = sh.sh_link;
	}
	return 0;
}

/* The first ELF_MAX_SECTIONS section headers, in *sh (NULL and *n = 0 when
 * there are none, or they were skipped: loss says what that costs). */
static int read_shdrs(const struct elf_file *f, GElf_Shdr **sh, size_t *n,
		      struct elf_skipped *s, const char *loss)
{
	size_t esz = shdr_size(f), i, count;
	unsigned char *buf;
	int rc;

	*sh = NULL;
	*n = 0;
	if (!f->shnum)
		return 0;
	if (f->eh.e_shentsize != esz) {
		skip(s, "the section headers", loss, "they are %u bytes each, not %zu",
		     f->eh.e_shentsize, esz);
		return 0;
	}
	count = f->shnum > ELF_MAX_SECTIONS ? ELF_MAX_SECTIONS : (size_t)f->shnum;
	rc = read_table(f, f->eh.e_shoff, (uint64_t)count * esz,
			(uint64_t)ELF_MAX_SECTIONS * esz, "the section header table", s,
			"the section headers", loss, &buf);
	if (rc)
		return rc < 0 ? rc : 0;
	if (xlate(f, buf, count * esz, ELF_T_SHDR) != 0) {
		free(buf);
		return 0;
	}
	*n = count;
	if (f->cls == ELFCLASS64) {
		*sh = (GElf_Shdr *)buf;	/* GElf_Shdr is Elf64_Shdr */
		return 0;
	}
	*sh = calloc(count, sizeof(**sh));
	if (!*sh) {
		free(buf);
		*n = 0;
		return -ENOMEM;
	}
	for (i = 0; i < count; i++)
		shdr_at(f, buf, i, &(*sh)[i]);
	free(buf);
	return 0;
}

static uint32_t get32(const struct elf_file *f, const unsigned char *p)
{
	if (f->encoding == ELFDATA2LSB)
		return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[3] << 24;
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[0] << 24;
}

/* Look for NT_GNU_BUILD_ID in a block of notes, padded to 4 bytes (or 8
 * where the block is aligned so: GNU property notes). */
static bool find_build_id(const struct elf_file *f, const unsigned char *p, size_t n,
			  uint64_t align, struct elf_image *img)
{
	size_t a = align == 8 ? 8 : 4, off = 0;

	while (n - off >= 12) {
		uint32_t namesz = get32(f, p + off), descsz = get32(f, p + off + 4);
		uint32_t type = get32(f, p + off + 8);
		size_t name_off = off + 12, desc_off;

		if (namesz > n - name_off)
			break;
		desc_off = name_off + ((namesz + a - 1) & ~(a - 1));
		if (desc_off > n || descsz > n - desc_off)
			break;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    memcmp(p + name_off, "GNU", 4) == 0 &&
		    descsz > 0 && descsz <= sizeof(img->build_id)) {
			memcpy(img->build_id, p + desc_off, descsz);
			img->build_id_len = descsz;
			return true;
		}
		off = desc_off + (((size_t)descsz + a - 1) & ~(a - 1));
		if (off > n)
			break;
	}
	return false;
}

/* The note blocks of a file: what is left of ELF_MAX_NOTES, and the first
 * block skipped. */
struct notes {
	uint64_t left;
	struct elf_skipped skipped;
};

/* The build-id in the notes at off, unless the block is past the end of the
 * file or over what is left of ELF_MAX_NOTES: the cap holds for all blocks
 * together, or thousands of note headers could each claim up to it. */
static int read_notes(const struct elf_file *f, uint64_t off, uint64_t len,
		      uint64_t align, const char *table, struct elf_image *img,
		      struct notes *notes)
{
	static const char *what = "the notes", *lost = "its build-id is unknown";
	unsigned char *buf;
	int rc;

	if (len <= ELF_MAX_NOTES && len > notes->left) {
		char cap[24];

		size_text(ELF_MAX_NOTES, cap, sizeof(cap));
		skip(&notes->skipped, what, lost, "the notes claim over %s in all", cap);
		return 0;
	}
	rc = read_table(f, off, len, ELF_MAX_NOTES, table, &notes->skipped,
			what, lost, &buf);
	if (rc)
		return rc < 0 ? rc : 0;
	notes->left -= len;
	find_build_id(f, buf, (size_t)len, align, img);
	free(buf);
	return 0;
}

static int read_segments(const struct elf_file *f, struct elf_image *img,
			 struct notes *notes)
{
	size_t n, i, esz = phdr_size(f);
	unsigned char *buf = NULL;
	int rc;

	n = f->phnum > ELF_MAX_PHDRS ? ELF_MAX_PHDRS : (size_t)f->phnum;
	img->segments = calloc(n ? n : 1, sizeof(*img->segments));
	if (!img->segments)
		return -ENOMEM;
	if (!n)
		return 0;
	if (f->eh.e_phentsize != esz) {
		skip(&img->skipped, "the program headers", "its segments are unknown",
		     "they are %u bytes each, not %zu", f->eh.e_phentsize, esz);
		return 0;
	}
	rc = read_table(f, f->eh.e_phoff, (uint64_t)n * esz, (uint64_t)ELF_MAX_PHDRS * esz,
			"the program header table", &img->skipped, "the program headers",
			"its segments are unknown", &buf);
	if (rc)
		return rc < 0 ? rc : 0;
	if (xlate(f, buf, n * esz, ELF_T_PHDR) != 0) {
		free(buf);
		return 0;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (f->cls == ELFCLASS32) {
			Elf32_Phdr p;

			memcpy(&p, buf + i * sizeof(p), sizeof(p));
			ph = (GElf_Phdr){
				.p_type = p.p_type, .p_flags = p.p_flags,
				.p_offset = p.p_offset, .p_vaddr = p.p_vaddr,
				.p_filesz = p.p_filesz, .p_memsz = p.p_memsz,
				.p_align = p.p_align,
			};
		} else {
			memcpy(&ph, buf + i * sizeof(ph), sizeof(ph));
		}
		img->segments[i] = (struct elf_segment){
			.type = ph.p_type, .flags = ph.p_flags,
			.offset = ph.p_offset, .vaddr = ph.p_vaddr,
			.filesz = ph.p_filesz, .memsz = ph.p_memsz,
		};
		if (ph.p_type == PT_NOTE && !img->build_id_len) {
			rc = read_notes(f, ph.p_offset, ph.p_filesz, ph.p_align,
					"a note segment", img, notes);
			if (rc) {
				free(buf);
				return rc;
			}
		}
	}
	img->nsegments = n;
	free(buf);
	return 0;
}

static int cmp_section(const void *a, const void *b)
{
	const struct elf_section *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->size > y->size) - (x->size < y->size);
}

/* The string at off in a table of len bytes, its length in *n, cut at max
 * bytes; NULL when it runs off the end of the table. Never looks past max
 * bytes: thousands of names in a table of megabytes without a NUL must not
 * each cost a scan of it. */
static const char *string_at(const unsigned char *tab, size_t len, uint64_t off,
			     size_t max, size_t *n)
{
	size_t room;

	if (!tab || off >= len)
		return NULL;
	room = len - (size_t)off;
	*n = strnlen((const char *)tab + off, room < max ? room : max);
	return *n < room ? (const char *)tab + off : NULL;
}

static int read_sections(const struct elf_file *f, struct elf_image *img,
			 struct notes *notes)
{
	static const char *lost = "its sections are unknown";
	size_t shnum, names_len = 1, names_cap = 4096, strtab_len = 0, i, k = 0;
	unsigned char *strtab = NULL;
	GElf_Shdr *sh;
	int rc;

	rc = read_shdrs(f, &sh, &shnum, &img->skipped, lost);
	if (rc || !shnum)
		return rc;	/* no section headers: segments only */
	if (f->shstrndx != SHN_UNDEF && f->shstrndx < shnum &&
	    sh[f->shstrndx].sh_type != SHT_NOBITS) {
		const GElf_Shdr *s = &sh[f->shstrndx];

		rc = read_table(f, s->sh_offset, s->sh_size, ELF_MAX_SHSTRTAB,
				"the string table", &img->skipped, "the section names",
				lost, &strtab);
		if (rc) {
			free(sh);
			return rc < 0 ? rc : 0;
		}
		strtab_len = (size_t)s->sh_size;
	}
	img->sections = calloc(shnum, sizeof(*img->sections));
	img->names = malloc(names_cap);
	if (!img->sections || !img->names) {
		rc = -ENOMEM;
		goto out;
	}
	img->names[0] = '\0';
	/* section 0 is the null section (or holds extended counts) */
	for (i = 1; i < shnum; i++) {
		const GElf_Shdr *s = &sh[i];
		const char *name;
		size_t len;

		if (s->sh_type == SHT_NOTE && !img->build_id_len) {
			rc = read_notes(f, s->sh_offset, s->sh_size, s->sh_addralign,
					"a note section", img, notes);
			if (rc)
				goto out;
		}
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0)
			continue;
		/* .tbss is a TLS template: it takes no addresses */
		if (s->sh_type == SHT_NOBITS && (s->sh_flags & SHF_TLS))
			continue;
		name = string_at(strtab, strtab_len, s->sh_name, 256, &len);
		if (!name) {
			name = "";
			len = 0;
		}
		if (names_len + len + 1 > MAX_NAMES)
			continue;
		if (ARRAY_GROW_MAX(&img->names, &names_cap, names_len + len + 1, 0, MAX_NAMES)) {
			rc = -ENOMEM;
			goto out;
		}
		memcpy(img->names + names_len, name, len);
		img->names[names_len + len] = '\0';
		img->sections[k++] = (struct elf_section){
			.addr = s->sh_addr, .size = s->sh_size,
			.type = s->sh_type, .name = (uint32_t)names_len,
		};
		names_len += len + 1;
	}
	img->nsections = k;
	img->has_section_headers = k > 0;
	qsort(img->sections, k, sizeof(*img->sections), cmp_section);
out:
	free(strtab);
	free(sh);
	return rc;
}

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
	struct elf_file f;
	int rc;

	out->elf_class = 0;
	out->machine = 0;
	out->arch = NULL;
	rc = elf_file_open(fd, &f, NULL);
	if (rc)
		return rc;
	out->elf_class = f.cls == ELFCLASS32 ? 32 : 64;
	out->machine = f.eh.e_machine;
	out->arch = machine_name(f.eh.e_machine, out->elf_class);
	return 0;
}

int elf_image_read_fd(int fd, struct elf_image **out)
{
	struct notes notes = { .left = ELF_MAX_NOTES };
	struct elf_skipped head = { 0 };
	struct elf_image *img;
	struct elf_file f;
	int rc;

	*out = NULL;
	rc = elf_file_open(fd, &f, &head);
	if (rc)
		return rc;
	img = calloc(1, sizeof(*img));
	if (!img)
		return -ENOMEM;
	img->refs = 1;
	img->type = f.eh.e_type;
	img->elf_class = f.cls == ELFCLASS32 ? 32 : 64;
	img->machine = f.eh.e_machine;
	img->skipped = head;
	rc = read_segments(&f, img, &notes);
	if (!rc)
		rc = read_sections(&f, img, &notes);
	if (rc) {
		elf_image_unref(img);
		return rc;
	}
	/* a skipped note costs only when no other held the build-id */
	if (!img->build_id_len && notes.skipped.what && !img->skipped.what)
		img->skipped = notes.skipped;
	*out = img;
	return 0;
}

struct elf_image *elf_image_ref(struct elf_image *img)
{
	if (img)
		img->refs++;
	return img;
}

void elf_image_unref(struct elf_image *img)
{
	if (!img || --img->refs > 0)
		return;
	free(img->segments);
	free(img->sections);
	free(img->names);
	free(img);
}

uint64_t elf_image_first_load_vaddr(const struct elf_image *img, uint64_t page_size)
{
	size_t i;

	for (i = 0; i < img->nsegments; i++)
		if (img->segments[i].type == PT_LOAD)
			return img->segments[i].vaddr & ~(page_size - 1);
	return 0;
}

struct elf_cache_entry *elf_cache_find(struct elf_cache *c, uint32_t dev_major,
				       uint32_t dev_minor, uint64_t inode)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].inode == inode && c->v[i].dev_major == dev_major &&
		    c->v[i].dev_minor == dev_minor)
			return &c->v[i];
	return NULL;
}

struct elf_cache_entry *elf_cache_put(struct elf_cache *c, uint32_t dev_major,
				      uint32_t dev_minor, uint64_t inode,
				      struct elf_image *img, int err)
{
	if (ARRAY_GROW(&c->v, &c->cap, c->n + 1, 16))
		return NULL;
	c->v[c->n] = (struct elf_cache_entry){ inode, dev_major, dev_minor,
					       elf_image_ref(img), err };
	return &c->v[c->n++];
}

void elf_cache_release(struct elf_cache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		elf_image_unref(c->v[i].img);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

enum { MAX_SYMBOLS = 1000000, MAX_SYMBOL_NAMES = 64 << 20 };

static int cmp_symbol(const void *a, const void *b)
{
	const struct elf_symbol *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	/* of two at one address, the sized one last: found first by the
	 * backwards search */
	return (x->size > y->size) - (x->size < y->size);
}

/* The symbols of section idx (.symtab or .dynsym) and its string table. */
static int read_symtab(const struct elf_file *f, const GElf_Shdr *sh, size_t shnum,
		       size_t idx, struct elf_symbols *out)
{
	static const char *what = "the symbols", *lost = "its symbols are unknown";
	size_t n, i, esz = sym_size(f), names_len = 1, names_cap = 4096, k = 0;
	const GElf_Shdr *s = &sh[idx], *st;
	unsigned char *tab = NULL, *strtab = NULL;
	int rc;

	if (s->sh_type == SHT_NOBITS)
		return 0;
	if (s->sh_entsize != esz) {
		skip(&out->skipped, what, lost, "the symbol table's entries are %" PRIu64
		     " bytes, not %zu", (uint64_t)s->sh_entsize, esz);
		return 0;
	}
	if (s->sh_link == SHN_UNDEF || s->sh_link >= shnum ||
	    sh[s->sh_link].sh_type == SHT_NOBITS) {
		skip(&out->skipped, what, lost, "the symbol table names no string table");
		return 0;
	}
	st = &sh[s->sh_link];
	/* both caps checked before either table is read */
	if (over_cap(s->sh_size, ELF_MAX_SYMTAB, "the symbol table", &out->skipped,
		     what, lost) ||
	    over_cap(st->sh_size, ELF_MAX_STRTAB, "its string table", &out->skipped,
		     what, lost))
		return 0;
	n = s->sh_size / esz;
	if (n > MAX_SYMBOLS)
		n = MAX_SYMBOLS;
	rc = read_table(f, s->sh_offset, (uint64_t)n * esz, ELF_MAX_SYMTAB,
			"the symbol table", &out->skipped, what, lost, &tab);
	if (!rc)
		rc = read_table(f, st->sh_offset, st->sh_size, ELF_MAX_STRTAB,
				"its string table", &out->skipped, what, lost, &strtab);
	if (rc || xlate(f, tab, n * esz, ELF_T_SYM) != 0)
		goto out;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	out->names = malloc(names_cap);
	if (!out->v || !out->names) {
		rc = -ENOMEM;
		goto out;
	}
	out->names[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *name;
		size_t len;
		GElf_Sym sym;
		int type;

		if (f->cls == ELFCLASS32) {
			Elf32_Sym y;

			memcpy(&y, tab + i * sizeof(y), sizeof(y));
			sym = (GElf_Sym){
				.st_name = y.st_name, .st_info = y.st_info,
				.st_other = y.st_other, .st_shndx = y.st_shndx,
				.st_value = y.st_value, .st_size = y.st_size,
			};
		} else {
			memcpy(&sym, tab + i * sizeof(sym), sizeof(sym));
		}
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_OBJECT) || sym.st_shndx == SHN_UNDEF ||
		    sym.st_shndx == SHN_ABS)
			continue;
		name = string_at(strtab, (size_t)st->sh_size, sym.st_name, 512, &len);
		if (!name || !len)
			continue;
		if (names_len + len + 1 > MAX_SYMBOL_NAMES)
			break;
		if (ARRAY_GROW_MAX(&out->names, &names_cap, names_len + len + 1, 0,
				   MAX_SYMBOL_NAMES)) {
			rc = -ENOMEM;
			goto out;
		}
		memcpy(out->names + names_len, name, len);
		out->names[names_len + len] = '\0';
		out->v[k++] = (struct elf_symbol){ sym.st_value, sym.st_size,
						   (uint32_t)names_len };
		names_len += len + 1;
	}
	out->n = k;
	qsort(out->v, k, sizeof(*out->v), cmp_symbol);
out:
	free(tab);
	free(strtab);
	return rc < 0 ? rc : 0;
}

int elf_symbols_read_fd(int fd, struct elf_symbols *out)
{
	size_t shnum, i, symtab = 0, dynsym = 0;
	struct elf_file f;
	GElf_Shdr *sh;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = elf_file_open(fd, &f, &out->skipped);
	if (rc)
		return rc;
	rc = read_shdrs(&f, &sh, &shnum, &out->skipped, "its symbols are unknown");
	if (rc)
		return rc;
	for (i = 1; i < shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB && !symtab)
			symtab = i;
		else if (sh[i].sh_type == SHT_DYNSYM && !dynsym)
			dynsym = i;
	}
	out->from_symtab = symtab != 0;
	if (symtab || dynsym)
		rc = read_symtab(&f, sh, shnum, symtab ? symtab : dynsym, out);
	free(sh);
	if (rc)
		elf_symbols_release(out);
	return rc;
}

void elf_symbols_release(struct elf_symbols *syms)
{
	free(syms->v);
	free(syms->names);
	memset(syms, 0, sizeof(*syms));
}

const struct elf_symbol *elf_symbols_find(const struct elf_symbols *syms, uint64_t vaddr)
{
	size_t lo = 0, hi = syms->n;
	const struct elf_symbol *below;

	/* the last symbol with value <= vaddr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms->v[mid].value <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	below = &syms->v[lo - 1];
	/* a sized symbol holding vaddr, looking back over overlapping ones */
	for (hi = lo; hi-- > 0 && lo - hi <= 64;) {
		const struct elf_symbol *s = &syms->v[hi];

		if (vaddr < s->value + s->size)
			return s;
	}
	return vaddr - below->value < 65536 ? below : NULL;
}

const struct elf_section *elf_image_section_at(const struct elf_image *img, uint64_t vaddr)
{
	size_t i;

	for (i = 0; i < img->nsections; i++) {
		const struct elf_section *sec = &img->sections[i];

		if (vaddr >= sec->addr && vaddr < sec->addr + sec->size)
			return sec;
	}
	return NULL;
}
