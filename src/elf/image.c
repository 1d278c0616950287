/* image.c: program headers, sections and build-id through libelf. */
#include "config.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf/elf_ident.h"
#include "elf/image.h"

enum { MAX_PHDRS = 4096, MAX_SECTIONS = 65536, MAX_NAMES = 1 << 20 };

static int cmp_section(const void *a, const void *b)
{
	const struct elf_section *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->size > y->size) - (x->size < y->size);
}

/* Look for NT_GNU_BUILD_ID in one block of notes. */
static bool find_build_id(Elf_Data *data, struct elf_image *img)
{
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while (data && off < data->d_size &&
	       (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    memcmp((char *)data->d_buf + name_off, "GNU", 4) == 0 &&
		    nh.n_descsz > 0 && nh.n_descsz <= sizeof(img->build_id) &&
		    desc_off + nh.n_descsz <= data->d_size) {
			memcpy(img->build_id, (char *)data->d_buf + desc_off, nh.n_descsz);
			img->build_id_len = nh.n_descsz;
			return true;
		}
	}
	return false;
}

static int read_segments(Elf *elf, struct elf_image *img)
{
	size_t n, i, k = 0;

	if (elf_getphdrnum(elf, &n) != 0)
		return -ENOEXEC;
	if (n > MAX_PHDRS)
		n = MAX_PHDRS;
	img->segments = calloc(n ? n : 1, sizeof(*img->segments));
	if (!img->segments)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			continue;
		img->segments[k++] = (struct elf_segment){
			.type = ph.p_type, .flags = ph.p_flags,
			.offset = ph.p_offset, .vaddr = ph.p_vaddr,
			.filesz = ph.p_filesz, .memsz = ph.p_memsz,
		};
		if (ph.p_type == PT_NOTE && !img->build_id_len) {
			Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset,
							   ph.p_filesz, ELF_T_NHDR);

			find_build_id(d, img);
		}
	}
	img->nsegments = k;
	return 0;
}

static int read_sections(Elf *elf, struct elf_image *img)
{
	size_t shnum, shstrndx, names_len = 1, k = 0;
	Elf_Scn *scn = NULL;

	if (elf_getshdrnum(elf, &shnum) != 0 || shnum == 0 ||
	    elf_getshdrstrndx(elf, &shstrndx) != 0)
		return 0;	/* no section headers: segments only */
	if (shnum > MAX_SECTIONS)
		shnum = MAX_SECTIONS;
	img->sections = calloc(shnum, sizeof(*img->sections));
	img->names = malloc(4096);
	if (!img->sections || !img->names)
		return -ENOMEM;
	img->names[0] = '\0';
	{
		size_t names_cap = 4096;

		while ((scn = elf_nextscn(elf, scn)) && k < shnum) {
			GElf_Shdr sh;
			const char *name;
			size_t len;

			if (!gelf_getshdr(scn, &sh))
				continue;
			if (sh.sh_type == SHT_NOTE && !img->build_id_len)
				find_build_id(elf_getdata(scn, NULL), img);
			if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0)
				continue;
			/* .tbss is a TLS template: it takes no addresses */
			if (sh.sh_type == SHT_NOBITS && (sh.sh_flags & SHF_TLS))
				continue;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (!name)
				name = "";
			len = strnlen(name, 256);
			if (names_len + len + 1 > names_cap) {
				char *p;

				if (names_cap * 2 > MAX_NAMES)
					continue;
				names_cap *= 2;
				p = realloc(img->names, names_cap);
				if (!p)
					return -ENOMEM;
				img->names = p;
			}
			memcpy(img->names + names_len, name, len);
			img->names[names_len + len] = '\0';
			img->sections[k++] = (struct elf_section){
				.addr = sh.sh_addr, .size = sh.sh_size,
				.type = sh.sh_type, .name = (uint32_t)names_len,
			};
			names_len += len + 1;
		}
	}
	img->nsections = k;
	img->has_section_headers = k > 0;
	qsort(img->sections, k, sizeof(*img->sections), cmp_section);
	return 0;
}

/* Open the ELF file on fd (a regular file) and read its header. */
static int elf_open(int fd, Elf **out, int *cls, GElf_Ehdr *eh)
{
	struct stat st;
	Elf *elf;

	*out = NULL;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	/* ELF_C_READ, not mmap: a target that truncates the file under us
	 * must not be able to SIGBUS vmmap. */
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		return -ENOEXEC;
	*cls = gelf_getclass(elf);
	if (elf_kind(elf) != ELF_K_ELF || (*cls != ELFCLASS32 && *cls != ELFCLASS64) ||
	    !gelf_getehdr(elf, eh)) {
		elf_end(elf);
		return -ENOEXEC;
	}
	*out = elf;
	return 0;
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
	GElf_Ehdr eh;
	Elf *elf;
	int cls, rc;

	out->elf_class = 0;
	out->machine = 0;
	out->arch = NULL;
	rc = elf_open(fd, &elf, &cls, &eh);
	if (rc)
		return rc;
	out->elf_class = cls == ELFCLASS32 ? 32 : 64;
	out->machine = eh.e_machine;
	out->arch = machine_name(eh.e_machine, out->elf_class);
	elf_end(elf);
	return 0;
}

int elf_image_read_fd(int fd, struct elf_image **out)
{
	struct elf_image *img;
	GElf_Ehdr eh;
	Elf *elf;
	int cls, rc;

	*out = NULL;
	rc = elf_open(fd, &elf, &cls, &eh);
	if (rc)
		return rc;
	img = calloc(1, sizeof(*img));
	if (!img) {
		elf_end(elf);
		return -ENOMEM;
	}
	img->refs = 1;
	img->type = eh.e_type;
	img->elf_class = cls == ELFCLASS32 ? 32 : 64;
	img->machine = eh.e_machine;
	rc = read_segments(elf, img);
	if (!rc)
		rc = read_sections(elf, img);
	elf_end(elf);
	if (rc) {
		elf_image_unref(img);
		return rc;
	}
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
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct elf_cache_entry *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		c->v = v;
		c->cap = cap;
	}
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

static int read_symtab(Elf *elf, Elf_Scn *scn, struct elf_symbols *out)
{
	size_t n, i, names_len = 1, names_cap = 4096, k = 0;
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Shdr sh;

	if (!data || !gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return 0;
	n = sh.sh_size / sh.sh_entsize;
	if (n > MAX_SYMBOLS)
		n = MAX_SYMBOLS;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	out->names = malloc(names_cap);
	if (!out->v || !out->names)
		return -ENOMEM;
	out->names[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *name;
		size_t len;
		GElf_Sym sym;
		int type;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_OBJECT) || sym.st_shndx == SHN_UNDEF ||
		    sym.st_shndx == SHN_ABS)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		len = strnlen(name, 512);
		if (names_len + len + 1 > names_cap) {
			char *p;

			if (names_cap * 2 > MAX_SYMBOL_NAMES)
				break;
			names_cap *= 2;
			p = realloc(out->names, names_cap);
			if (!p)
				return -ENOMEM;
			out->names = p;
		}
		memcpy(out->names + names_len, name, len);
		out->names[names_len + len] = '\0';
		out->v[k++] = (struct elf_symbol){ sym.st_value, sym.st_size,
						   (uint32_t)names_len };
		names_len += len + 1;
	}
	out->n = k;
	qsort(out->v, k, sizeof(*out->v), cmp_symbol);
	return 0;
}

int elf_symbols_read_fd(int fd, struct elf_symbols *out)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Ehdr eh;
	Elf *elf;
	int cls, rc;

	memset(out, 0, sizeof(*out));
	rc = elf_open(fd, &elf, &cls, &eh);
	if (rc)
		return rc;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symtab)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM && !dynsym)
			dynsym = scn;
	}
	out->from_symtab = symtab != NULL;
	rc = symtab || dynsym ? read_symtab(elf, symtab ? symtab : dynsym, out) : 0;
	elf_end(elf);
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
