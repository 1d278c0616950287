/* check_elf_image.c: the ELF reader (src/elf/image.c) on files built here:
 * a small well-formed image in both classes and byte orders, then the same
 * image with headers that lie: tables claiming gigabytes in a sparse file,
 * tables past the end of the file, extended section and segment counts.
 * A lying table must cost neither memory nor time, and the image must say
 * what it left unread. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "elf/elf_ident.h"
#include "elf/image.h"
#include "unit_util.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

/* What reading one lying file may cost at most. */
#define MAX_RSS_GROWTH (64 * MIB)
#define MAX_SECONDS 2.0

/* Where the parts of the crafted file lie. */
enum {
	PHOFF = 0x40,
	NOTE_OFF = 0x100,
	TEXT_OFF = 0x200,
	SYMTAB_OFF = 0x300,
	STRTAB_OFF = 0x380,
	SHSTRTAB_OFF = 0x3c0,
	SHOFF = 0x440,
	FILE_SIZE = 0x800,
	VBASE = 0x400000,
};

/* Section indices. */
enum { S_NULL, S_TEXT, S_NOTE, S_DATA, S_SYMTAB, S_STRTAB, S_SHSTRTAB, NSECTIONS };

static const char strtab[] = "\0main\0counter";
static const char shstrtab[] =
	"\0.text\0.note.gnu.build-id\0.data\0.symtab\0.strtab\0.shstrtab";
enum { N_TEXT = 1, N_NOTE = 7, N_DATA = 26, N_SYMTAB = 32, N_STRTAB = 40, N_SHSTRTAB = 48 };

struct crafted {
	unsigned char buf[FILE_SIZE];
	bool c64;
	bool big;
};

static void put(const struct crafted *c, unsigned char *p, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++)
		p[c->big ? size - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

#define PUT(c, p, type, field, v) \
	put(c, (p) + offsetof(type, field), sizeof(((type *)0)->field), (v))
/* a field of the ELF header, program header i, section header i, symbol i */
#define EH(c, field, v) ((c)->c64 ? PUT(c, (c)->buf, Elf64_Ehdr, field, v) : \
			 PUT(c, (c)->buf, Elf32_Ehdr, field, v))
#define PH(c, i, field, v) ((c)->c64 ? \
	PUT(c, (c)->buf + PHOFF + (i) * sizeof(Elf64_Phdr), Elf64_Phdr, field, v) : \
	PUT(c, (c)->buf + PHOFF + (i) * sizeof(Elf32_Phdr), Elf32_Phdr, field, v))
#define SH(c, i, field, v) ((c)->c64 ? \
	PUT(c, (c)->buf + SHOFF + (i) * sizeof(Elf64_Shdr), Elf64_Shdr, field, v) : \
	PUT(c, (c)->buf + SHOFF + (i) * sizeof(Elf32_Shdr), Elf32_Shdr, field, v))
#define SYM(c, i, field, v) ((c)->c64 ? \
	PUT(c, (c)->buf + SYMTAB_OFF + (i) * sizeof(Elf64_Sym), Elf64_Sym, field, v) : \
	PUT(c, (c)->buf + SYMTAB_OFF + (i) * sizeof(Elf32_Sym), Elf32_Sym, field, v))

static const unsigned char build_id[20] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14,
};

static void section(struct crafted *c, int i, uint32_t name, uint32_t type, uint64_t flags,
		    uint64_t off, uint64_t size)
{
	SH(c, i, sh_name, name);
	SH(c, i, sh_type, type);
	SH(c, i, sh_flags, flags);
	SH(c, i, sh_addr, flags & SHF_ALLOC ? VBASE + off : 0);
	SH(c, i, sh_offset, off);
	SH(c, i, sh_size, size);
	SH(c, i, sh_addralign, type == SHT_NOTE ? 4 : 1);
}

/* A shared object with a text and a data section, a build-id note (in a
 * PT_NOTE segment and a note section), and two symbols. */
static void craft(struct crafted *c, bool c64, bool big)
{
	size_t symsz = c64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	unsigned char *n = c->buf + NOTE_OFF;

	memset(c, 0, sizeof(*c));
	c->c64 = c64;
	c->big = big;
	memcpy(c->buf, ELFMAG, SELFMAG);
	c->buf[EI_CLASS] = c64 ? ELFCLASS64 : ELFCLASS32;
	c->buf[EI_DATA] = big ? ELFDATA2MSB : ELFDATA2LSB;
	c->buf[EI_VERSION] = EV_CURRENT;
	EH(c, e_type, ET_DYN);
	EH(c, e_machine, c64 ? EM_AARCH64 : EM_PPC);
	EH(c, e_version, EV_CURRENT);
	EH(c, e_phoff, PHOFF);
	EH(c, e_shoff, SHOFF);
	EH(c, e_ehsize, c64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr));
	EH(c, e_phentsize, c64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
	EH(c, e_phnum, 2);
	EH(c, e_shentsize, c64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr));
	EH(c, e_shnum, NSECTIONS);
	EH(c, e_shstrndx, S_SHSTRTAB);

	PH(c, 0, p_type, PT_LOAD);
	PH(c, 0, p_flags, PF_R | PF_X);
	PH(c, 0, p_vaddr, VBASE);
	PH(c, 0, p_filesz, FILE_SIZE);
	PH(c, 0, p_memsz, FILE_SIZE);
	PH(c, 0, p_align, 0x1000);
	PH(c, 1, p_type, PT_NOTE);
	PH(c, 1, p_flags, PF_R);
	PH(c, 1, p_offset, NOTE_OFF);
	PH(c, 1, p_vaddr, VBASE + NOTE_OFF);
	PH(c, 1, p_filesz, 16 + sizeof(build_id));
	PH(c, 1, p_memsz, 16 + sizeof(build_id));
	PH(c, 1, p_align, 4);

	put(c, n, 4, 4);
	put(c, n + 4, 4, sizeof(build_id));
	put(c, n + 8, 4, NT_GNU_BUILD_ID);
	memcpy(n + 12, "GNU", 4);
	memcpy(n + 16, build_id, sizeof(build_id));

	/* symbol 0 is the null symbol */
	SYM(c, 1, st_name, 1);
	SYM(c, 1, st_info, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC));
	SYM(c, 1, st_shndx, S_TEXT);
	SYM(c, 1, st_value, VBASE + TEXT_OFF);
	SYM(c, 1, st_size, 0x20);
	SYM(c, 2, st_name, 6);
	SYM(c, 2, st_info, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT));
	SYM(c, 2, st_shndx, S_DATA);
	SYM(c, 2, st_value, VBASE + 0x280);
	SYM(c, 2, st_size, 8);
	memcpy(c->buf + STRTAB_OFF, strtab, sizeof(strtab));
	memcpy(c->buf + SHSTRTAB_OFF, shstrtab, sizeof(shstrtab));

	section(c, S_TEXT, N_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, TEXT_OFF, 0x80);
	section(c, S_NOTE, N_NOTE, SHT_NOTE, SHF_ALLOC, NOTE_OFF, 16 + sizeof(build_id));
	section(c, S_DATA, N_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0x280, 0x40);
	section(c, S_SYMTAB, N_SYMTAB, SHT_SYMTAB, 0, SYMTAB_OFF, 3 * symsz);
	SH(c, S_SYMTAB, sh_link, S_STRTAB);
	SH(c, S_SYMTAB, sh_entsize, symsz);
	section(c, S_STRTAB, N_STRTAB, SHT_STRTAB, 0, STRTAB_OFF, sizeof(strtab));
	section(c, S_SHSTRTAB, N_SHSTRTAB, SHT_STRTAB, 0, SHSTRTAB_OFF, sizeof(shstrtab));
}

/* The crafted file, unlinked, as size bytes: past FILE_SIZE a hole, which
 * costs no disk and reads as zeros. */
static int file_of(const struct crafted *c, uint64_t size)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/vmmap-elf.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, c->buf, sizeof(c->buf)), (ssize_t)sizeof(c->buf));
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	return fd;
}

/* Peak RSS and time over a read of a lying file. */
struct cost {
	long rss_kb;
	struct timespec t0;
};

static void cost_start(struct cost *k)
{
	struct rusage ru;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	k->rss_kb = ru.ru_maxrss;
	clock_gettime(CLOCK_MONOTONIC, &k->t0);
}

static void cost_check(const struct cost *k, const char *what)
{
	struct timespec t1;
	struct rusage ru;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	took = (double)(t1.tv_sec - k->t0.tv_sec) + (double)(t1.tv_nsec - k->t0.tv_nsec) / 1e9;
	ck_assert_msg((uint64_t)(ru.ru_maxrss - k->rss_kb) * 1024 < MAX_RSS_GROWTH,
		      "%s: peak RSS grew by %ld KiB", what, ru.ru_maxrss - k->rss_kb);
	ck_assert_msg(took < MAX_SECONDS, "%s: took %.2f s", what, took);
}

static struct elf_image *read_image(const struct crafted *c, uint64_t size, const char *what)
{
	struct elf_image *img = NULL;
	struct cost k;
	int fd = file_of(c, size);

	cost_start(&k);
	ck_assert_int_eq(elf_image_read_fd(fd, &img), 0);
	cost_check(&k, what);
	close(fd);
	ck_assert_ptr_nonnull(img);
	return img;
}

static void read_symbols(const struct crafted *c, uint64_t size, const char *what,
			 struct elf_symbols *syms)
{
	struct cost k;
	int fd = file_of(c, size);

	cost_start(&k);
	ck_assert_int_eq(elf_symbols_read_fd(fd, syms), 0);
	cost_check(&k, what);
	close(fd);
}

static void assert_segments(const struct elf_image *img)
{
	ck_assert_uint_eq(img->nsegments, 2);
	ck_assert_uint_eq(img->segments[0].type, PT_LOAD);
	ck_assert_uint_eq(img->segments[0].flags, PF_R | PF_X);
	ck_assert_uint_eq(img->segments[0].vaddr, VBASE);
	ck_assert_uint_eq(img->segments[0].memsz, FILE_SIZE);
	ck_assert_uint_eq(img->segments[1].type, PT_NOTE);
}

static void assert_build_id(const struct elf_image *img)
{
	ck_assert_uint_eq(img->build_id_len, sizeof(build_id));
	ck_assert_mem_eq(img->build_id, build_id, sizeof(build_id));
}

static void assert_sections(const struct elf_image *img)
{
	ck_assert(img->has_section_headers);
	ck_assert_uint_eq(img->nsections, 3);
	ck_assert_str_eq(elf_section_name(img, &img->sections[0]), ".note.gnu.build-id");
	ck_assert_str_eq(elf_section_name(img, &img->sections[1]), ".text");
	ck_assert_str_eq(elf_section_name(img, &img->sections[2]), ".data");
	ck_assert_uint_eq(img->sections[1].addr, VBASE + TEXT_OFF);
	ck_assert_uint_eq(img->sections[1].size, 0x80);
}

static void assert_no_sections(const struct elf_image *img)
{
	ck_assert(!img->has_section_headers);
	ck_assert_uint_eq(img->nsections, 0);
}

static void assert_skipped(const struct elf_skipped *s, const char *what,
			   const char *why, const char *loss)
{
	ck_assert_ptr_nonnull(s->what);
	ck_assert_str_eq(s->what, what);
	ck_assert_str_eq(s->why, why);
	ck_assert_str_eq(s->loss, loss);
}

static void assert_symbols(const struct elf_symbols *syms)
{
	const struct elf_symbol *sym;

	ck_assert_ptr_null(syms->skipped.what);
	ck_assert(syms->from_symtab);
	ck_assert_uint_eq(syms->n, 2);
	sym = elf_symbols_find(syms, VBASE + TEXT_OFF + 0x10);
	ck_assert_ptr_nonnull(sym);
	ck_assert_str_eq(elf_symbol_name(syms, sym), "main");
	sym = elf_symbols_find(syms, VBASE + 0x284);
	ck_assert_ptr_nonnull(sym);
	ck_assert_str_eq(elf_symbol_name(syms, sym), "counter");
}

/* The well-formed file in all four class and byte order pairs. */
START_TEST(test_well_formed)
{
	static const struct { bool c64, big; } kinds[] = {
		{ true, false }, { true, true }, { false, false }, { false, true },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct elf_symbols syms;
		struct elf_image *img;
		struct elf_ident id;
		struct crafted c;
		int fd;

		craft(&c, kinds[i].c64, kinds[i].big);
		img = read_image(&c, FILE_SIZE, "well-formed");
		ck_assert_int_eq(img->elf_class, kinds[i].c64 ? 64 : 32);
		ck_assert_int_eq(img->type, ELF_IMAGE_DYN);
		ck_assert_int_eq(img->machine, kinds[i].c64 ? EM_AARCH64 : EM_PPC);
		assert_segments(img);
		assert_build_id(img);
		assert_sections(img);
		ck_assert_ptr_null(img->skipped.what);
		elf_image_unref(img);

		read_symbols(&c, FILE_SIZE, "well-formed", &syms);
		assert_symbols(&syms);
		elf_symbols_release(&syms);

		fd = file_of(&c, FILE_SIZE);
		ck_assert_int_eq(elf_ident_fd(fd, &id), 0);
		ck_assert_int_eq(id.elf_class, kinds[i].c64 ? 64 : 32);
		ck_assert_str_eq(id.arch, kinds[i].c64 ? "aarch64" : "ppc");
		close(fd);
	}
}
END_TEST

/* A section-header string table of 2 GiB in a sparse file: the sections
 * are dropped, the segments and the build-id kept. */
START_TEST(test_huge_shstrtab)
{
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, false);
	SH(&c, S_SHSTRTAB, sh_offset, MIB);
	SH(&c, S_SHSTRTAB, sh_size, 2 * GIB);
	img = read_image(&c, MIB + 2 * GIB, "2 GiB shstrtab");
	assert_segments(img);
	assert_build_id(img);
	assert_no_sections(img);
	assert_skipped(&img->skipped, "the section names",
		       "the string table claims 2.0G (limit 16M)", "its sections are unknown");
	elf_image_unref(img);
}
END_TEST

/* Just over the cap is over it; a table in the file within it is read. */
START_TEST(test_shstrtab_cap)
{
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, false);
	SH(&c, S_SHSTRTAB, sh_size, (uint64_t)ELF_MAX_SHSTRTAB + 1);
	img = read_image(&c, SHSTRTAB_OFF + ELF_MAX_SHSTRTAB + 1, "shstrtab over the cap");
	assert_no_sections(img);
	ck_assert_str_eq(img->skipped.why, "the string table claims 17M (limit 16M)");
	elf_image_unref(img);

	craft(&c, true, false);
	SH(&c, S_SHSTRTAB, sh_size, sizeof(shstrtab) + 4096);
	img = read_image(&c, SHSTRTAB_OFF + sizeof(shstrtab) + 4096, "shstrtab within the cap");
	assert_sections(img);
	ck_assert_ptr_null(img->skipped.what);
	elf_image_unref(img);
}
END_TEST

START_TEST(test_shstrtab_past_eof)
{
	struct elf_image *img;
	struct crafted c;

	craft(&c, false, true);
	SH(&c, S_SHSTRTAB, sh_offset, FILE_SIZE - 8);
	img = read_image(&c, FILE_SIZE, "shstrtab past the end");
	assert_segments(img);
	assert_no_sections(img);
	assert_skipped(&img->skipped, "the section names",
		       "the string table lies past the end of the file",
		       "its sections are unknown");
	elf_image_unref(img);

	craft(&c, true, false);
	SH(&c, S_SHSTRTAB, sh_offset, 0xffffffffffffff00ULL);
	img = read_image(&c, FILE_SIZE, "shstrtab offset near 2^64");
	assert_no_sections(img);
	ck_assert_str_eq(img->skipped.why, "the string table lies past the end of the file");
	elf_image_unref(img);
}
END_TEST

/* The section header table itself past the end: the segments stay. */
START_TEST(test_section_headers_past_eof)
{
	struct elf_symbols syms;
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, false);
	EH(&c, e_shoff, 64 * GIB);
	img = read_image(&c, FILE_SIZE, "section headers past the end");
	assert_segments(img);
	assert_build_id(img);
	assert_no_sections(img);
	assert_skipped(&img->skipped, "the section headers",
		       "the section header table lies past the end of the file",
		       "its sections are unknown");
	elf_image_unref(img);

	read_symbols(&c, FILE_SIZE, "section headers past the end", &syms);
	ck_assert_uint_eq(syms.n, 0);
	assert_skipped(&syms.skipped, "the section headers",
		       "the section header table lies past the end of the file",
		       "its symbols are unknown");
	elf_symbols_release(&syms);
}
END_TEST

/* Notes claiming gigabytes, in the segment and the section: no build-id,
 * and the image says why; the sections stay. */
START_TEST(test_huge_notes)
{
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, false);
	PH(&c, 1, p_filesz, 3 * GIB);
	SH(&c, S_NOTE, sh_size, 3 * GIB);
	img = read_image(&c, NOTE_OFF + 3 * GIB, "3 GiB notes");
	assert_segments(img);
	assert_sections(img);
	ck_assert_uint_eq(img->build_id_len, 0);
	assert_skipped(&img->skipped, "the notes",
		       "a note segment claims 3.0G (limit 4.0M)", "its build-id is unknown");
	elf_image_unref(img);

	/* the section still holds it: nothing is lost */
	craft(&c, true, false);
	PH(&c, 1, p_filesz, 3 * GIB);
	img = read_image(&c, NOTE_OFF + 3 * GIB, "3 GiB note segment");
	assert_build_id(img);
	ck_assert_ptr_null(img->skipped.what);
	elf_image_unref(img);
}
END_TEST

/* Thousands of note sections, each within the cap, all over one hole: the
 * cap holds for all of them together. */
START_TEST(test_many_notes)
{
	enum { N = 3000 };
	const uint64_t note_at = MIB, note_size = 3 * MIB, table_at = 8 * MIB;
	unsigned char *table = calloc(N, sizeof(Elf64_Shdr));
	struct elf_image *img;
	struct crafted c;
	struct cost k;
	size_t i;
	int fd;

	ck_assert_ptr_nonnull(table);
	craft(&c, true, false);
	put(&c, c.buf + NOTE_OFF + 8, 4, 1);	/* not a build-id */
	EH(&c, e_shoff, table_at);
	EH(&c, e_shnum, N);
	EH(&c, e_shstrndx, SHN_UNDEF);
	for (i = 1; i < N; i++) {
		unsigned char *sh = table + i * sizeof(Elf64_Shdr);

		PUT(&c, sh, Elf64_Shdr, sh_type, SHT_NOTE);
		PUT(&c, sh, Elf64_Shdr, sh_offset, note_at);
		PUT(&c, sh, Elf64_Shdr, sh_size, note_size);
		PUT(&c, sh, Elf64_Shdr, sh_addralign, 4);
	}
	fd = file_of(&c, table_at);
	ck_assert_int_eq(pwrite(fd, table, N * sizeof(Elf64_Shdr), (off_t)table_at),
			 (ssize_t)(N * sizeof(Elf64_Shdr)));
	free(table);
	cost_start(&k);
	ck_assert_int_eq(elf_image_read_fd(fd, &img), 0);
	cost_check(&k, "3000 notes of 3 MiB");
	close(fd);
	assert_segments(img);
	ck_assert_uint_eq(img->build_id_len, 0);
	assert_skipped(&img->skipped, "the notes", "the notes claim over 4.0M in all",
		       "its build-id is unknown");
	elf_image_unref(img);
}
END_TEST

/* Thousands of sections named into a string table of megabytes with no
 * NUL: each name costs its cut length, not a scan of the table. */
START_TEST(test_unterminated_names)
{
	enum { N = 32768 };
	const uint64_t table_at = MIB, names_at = 4 * MIB, names_size = ELF_MAX_SHSTRTAB;
	unsigned char *table = calloc(N, sizeof(Elf64_Shdr));
	char *names = malloc(names_size), cut[257];
	struct elf_image *img;
	struct crafted c;
	struct cost k;
	size_t i;
	int fd;

	ck_assert_ptr_nonnull(table);
	ck_assert_ptr_nonnull(names);
	memset(names, 'A', names_size);
	craft(&c, true, false);
	EH(&c, e_shoff, table_at);
	EH(&c, e_shnum, N);
	EH(&c, e_shstrndx, N - 1);
	for (i = 1; i < N; i++) {
		unsigned char *sh = table + i * sizeof(Elf64_Shdr);
		bool last = i == N - 1;

		PUT(&c, sh, Elf64_Shdr, sh_type, last ? SHT_STRTAB : SHT_PROGBITS);
		PUT(&c, sh, Elf64_Shdr, sh_flags, last ? 0 : SHF_ALLOC);
		PUT(&c, sh, Elf64_Shdr, sh_addr, last ? 0 : VBASE + i * 0x1000);
		PUT(&c, sh, Elf64_Shdr, sh_offset, last ? names_at : 0);
		PUT(&c, sh, Elf64_Shdr, sh_size, last ? names_size : 0x10);
	}
	fd = file_of(&c, table_at);
	ck_assert_int_eq(pwrite(fd, table, N * sizeof(Elf64_Shdr), (off_t)table_at),
			 (ssize_t)(N * sizeof(Elf64_Shdr)));
	ck_assert_int_eq(pwrite(fd, names, names_size, (off_t)names_at), (ssize_t)names_size);
	free(table);
	free(names);
	cost_start(&k);
	ck_assert_int_eq(elf_image_read_fd(fd, &img), 0);
	cost_check(&k, "32768 names in 16 MiB without a NUL");
	close(fd);
	/* as many as the 1 MiB kept for names holds */
	ck_assert_uint_gt(img->nsections, 4000);
	memset(cut, 'A', 256);
	cut[256] = '\0';
	ck_assert_str_eq(elf_section_name(img, &img->sections[0]), cut);
	ck_assert_ptr_null(img->skipped.what);
	elf_image_unref(img);
}
END_TEST

/* A note whose sizes run past its block is not read beyond it. */
START_TEST(test_note_sizes_lie)
{
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, true);
	put(&c, c.buf + NOTE_OFF + 4, 4, 0xfffffff0u);
	img = read_image(&c, FILE_SIZE, "note descsz lies");
	ck_assert_uint_eq(img->build_id_len, 0);
	ck_assert_ptr_null(img->skipped.what);
	elf_image_unref(img);
}
END_TEST

START_TEST(test_huge_symtab)
{
	struct elf_symbols syms;
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, false);
	SH(&c, S_SYMTAB, sh_size, 4 * GIB);
	read_symbols(&c, SYMTAB_OFF + 4 * GIB, "4 GiB symtab", &syms);
	ck_assert_uint_eq(syms.n, 0);
	assert_skipped(&syms.skipped, "the symbols",
		       "the symbol table claims 4.0G (limit 64M)", "its symbols are unknown");
	elf_symbols_release(&syms);
	/* the image does not read symbols: nothing of it is lost */
	img = read_image(&c, SYMTAB_OFF + 4 * GIB, "4 GiB symtab");
	assert_sections(img);
	ck_assert_ptr_null(img->skipped.what);
	elf_image_unref(img);

	craft(&c, true, false);
	SH(&c, S_STRTAB, sh_size, GIB);
	read_symbols(&c, STRTAB_OFF + GIB, "1 GiB strtab", &syms);
	ck_assert_uint_eq(syms.n, 0);
	assert_skipped(&syms.skipped, "the symbols",
		       "its string table claims 1.0G (limit 64M)", "its symbols are unknown");
	elf_symbols_release(&syms);

	craft(&c, false, false);
	SH(&c, S_STRTAB, sh_offset, FILE_SIZE);
	read_symbols(&c, FILE_SIZE, "strtab past the end", &syms);
	ck_assert_uint_eq(syms.n, 0);
	assert_skipped(&syms.skipped, "the symbols",
		       "its string table lies past the end of the file",
		       "its symbols are unknown");
	elf_symbols_release(&syms);
}
END_TEST

/* Extended numbering: the section count, the string table index and the
 * program header count in section header 0. */
START_TEST(test_extended_numbering)
{
	struct elf_symbols syms;
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, true);
	EH(&c, e_shnum, 0);
	EH(&c, e_shstrndx, SHN_XINDEX);
	EH(&c, e_phnum, PN_XNUM);
	SH(&c, 0, sh_size, NSECTIONS);
	SH(&c, 0, sh_link, S_SHSTRTAB);
	SH(&c, 0, sh_info, 2);
	img = read_image(&c, FILE_SIZE, "extended numbering");
	assert_segments(img);
	assert_build_id(img);
	assert_sections(img);
	ck_assert_ptr_null(img->skipped.what);
	elf_image_unref(img);
	read_symbols(&c, FILE_SIZE, "extended numbering", &syms);
	assert_symbols(&syms);
	elf_symbols_release(&syms);

	/* 2^32 - 1 sections in a sparse file large enough to hold them all:
	 * the first ELF_MAX_SECTIONS are looked at */
	SH(&c, 0, sh_size, 0xffffffffULL);
	img = read_image(&c, SHOFF + 0xffffffffULL * sizeof(Elf64_Shdr),
			 "2^32 sections");
	assert_segments(img);
	assert_sections(img);
	elf_image_unref(img);

	/* section header 0 past the end: the counts are unknown */
	EH(&c, e_shoff, 2 * FILE_SIZE);
	img = read_image(&c, FILE_SIZE, "section header 0 past the end");
	ck_assert_uint_eq(img->nsegments, 0);
	assert_no_sections(img);
	assert_skipped(&img->skipped, "the program headers",
		       "their count is in an unreadable section header",
		       "its segments are unknown");
	elf_image_unref(img);
}
END_TEST

/* A program header count of 2^32 - 1: the first ELF_MAX_PHDRS are looked
 * at; a table past the end is skipped. */
START_TEST(test_program_headers)
{
	struct elf_image *img;
	struct crafted c;

	craft(&c, true, false);
	EH(&c, e_phnum, PN_XNUM);
	SH(&c, 0, sh_info, 0xffffffffu);
	img = read_image(&c, PHOFF + 0xffffffffULL * sizeof(Elf64_Phdr), "2^32 phdrs");
	ck_assert_uint_eq(img->nsegments, ELF_MAX_PHDRS);
	ck_assert_uint_eq(img->segments[0].type, PT_LOAD);
	assert_sections(img);
	elf_image_unref(img);

	craft(&c, false, false);
	EH(&c, e_phoff, FILE_SIZE - 16);
	img = read_image(&c, FILE_SIZE, "phdrs past the end");
	ck_assert_uint_eq(img->nsegments, 0);
	assert_sections(img);
	assert_build_id(img);
	assert_skipped(&img->skipped, "the program headers",
		       "the program header table lies past the end of the file",
		       "its segments are unknown");
	elf_image_unref(img);
}
END_TEST

START_TEST(test_not_elf)
{
	struct elf_image *img = NULL;
	struct crafted c;
	int fd;

	craft(&c, true, false);
	c.buf[EI_CLASS] = 7;
	fd = file_of(&c, FILE_SIZE);
	ck_assert_int_eq(elf_image_read_fd(fd, &img), -ENOEXEC);
	ck_assert_ptr_null(img);
	close(fd);

	craft(&c, true, false);
	fd = file_of(&c, 20);	/* cut inside the ELF header */
	ck_assert_int_eq(elf_image_read_fd(fd, &img), -ENOEXEC);
	close(fd);
}
END_TEST

static Suite *elf_image_suite(void)
{
	Suite *s = suite_create("elf_image");
	TCase *tc = tcase_create("elf_image");

	/* before the fix a lying table cost seconds: fail, not time out */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_well_formed);
	tcase_add_test(tc, test_huge_shstrtab);
	tcase_add_test(tc, test_shstrtab_cap);
	tcase_add_test(tc, test_shstrtab_past_eof);
	tcase_add_test(tc, test_section_headers_past_eof);
	tcase_add_test(tc, test_huge_notes);
	tcase_add_test(tc, test_many_notes);
	tcase_add_test(tc, test_note_sizes_lie);
	tcase_add_test(tc, test_unterminated_names);
	tcase_add_test(tc, test_huge_symtab);
	tcase_add_test(tc, test_extended_numbering);
	tcase_add_test(tc, test_program_headers);
	tcase_add_test(tc, test_not_elf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(elf_image_suite());
}
