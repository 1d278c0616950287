/* fuzz_elf: elf_image_read_fd, elf_symbols_read_fd and elf_ident_fd on the
 * input as a file.
 *
 * The reader does its own bounds checks and reading; libelf (the system's,
 * not instrumented) only translates byte order. What is fuzzed: header
 * limits and extended numbering, the section name table, build-id notes,
 * symbol tables, the reasons given for tables left unread, and every
 * consumer-visible field of the result.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>

#include "elf/elf_ident.h"
#include "elf/image.h"
#include "memfd.h"

/* A table left unread is named, with its reason and its cost. */
static void exercise_skipped(const struct elf_skipped *s)
{
	if (!s->what)
		return;
	fuzz_touch(s->what);
	FUZZ_CHECK(s->loss != NULL);
	fuzz_touch(s->loss);
	FUZZ_CHECK(fuzz_touch(s->why) > 0 && fuzz_touch(s->why) < sizeof(s->why));
}

static void exercise_symbols(int fd)
{
	struct elf_symbols syms;
	uint64_t sum = 0;
	size_t i;
	int rc = elf_symbols_read_fd(fd, &syms);

	FUZZ_CHECK(rc == 0 || rc == -ENOEXEC || rc == -ENOMEM);
	if (rc)
		return;
	exercise_skipped(&syms.skipped);
	FUZZ_CHECK(syms.n <= 1000000);
	for (i = 0; i < syms.n; i++) {
		const struct elf_symbol *sym = &syms.v[i];
		size_t n = fuzz_touch(elf_symbol_name(&syms, sym));

		FUZZ_CHECK(n > 0 && n <= 512);
		if (i)
			FUZZ_CHECK(syms.v[i - 1].value <= sym->value);
		sum += sym->value + sym->size;
		if (elf_symbols_find(&syms, sym->value) == NULL)
			FUZZ_CHECK(0);
	}
	__asm__ volatile("" : : "r"(sum));
	elf_symbols_release(&syms);
}

static void exercise(const struct elf_image *img)
{
	uint64_t sum = 0;
	size_t i;

	FUZZ_CHECK(img->refs >= 1);
	FUZZ_CHECK(img->elf_class == 32 || img->elf_class == 64);
	FUZZ_CHECK(img->build_id_len <= sizeof(img->build_id));
	FUZZ_CHECK(img->nsegments <= 4096);
	FUZZ_CHECK(img->nsections <= 65536);
	FUZZ_CHECK(img->has_section_headers == (img->nsections > 0));
	exercise_skipped(&img->skipped);
	for (i = 0; i < img->nsegments; i++) {
		const struct elf_segment *sg = &img->segments[i];

		sum += sg->type + sg->flags + sg->offset + sg->vaddr +
		       sg->filesz + sg->memsz;
	}
	for (i = 0; i < img->nsections; i++) {
		const struct elf_section *sec = &img->sections[i];
		size_t n = fuzz_touch(elf_section_name(img, sec));

		FUZZ_CHECK(n <= 256);
		FUZZ_CHECK(sec->size > 0);
		if (i)
			FUZZ_CHECK(img->sections[i - 1].addr <= sec->addr);
		sum += sec->addr + sec->size + sec->type;
	}
	sum += elf_image_first_load_vaddr(img, 4096);
	sum += elf_image_first_load_vaddr(img, 65536);
	/* keep the reads */
	__asm__ volatile("" : : "r"(sum));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_cache cache = { 0 };
	struct elf_cache_entry *ce;
	struct elf_image *img = NULL;
	struct elf_ident id;
	int fd = fuzz_memfd(data, size);
	int rc, rc_ident;

	rc = elf_image_read_fd(fd, &img);
	FUZZ_CHECK(rc == 0 || rc == -ENOEXEC || rc == -ENOMEM);
	FUZZ_CHECK((rc == 0) == (img != NULL));
	if (img) {
		exercise(img);
		/* the cache takes a reference and gives it back */
		ce = elf_cache_put(&cache, 8, 1, 42, img, 0);
		FUZZ_CHECK(ce && ce->img == img && img->refs == 2);
		FUZZ_CHECK(elf_cache_find(&cache, 8, 1, 42) == ce);
		FUZZ_CHECK(elf_cache_find(&cache, 8, 1, 43) == NULL);
		elf_cache_release(&cache);
		FUZZ_CHECK(img->refs == 1);
		elf_image_unref(elf_image_ref(img));
		elf_image_unref(img);
	}

	exercise_symbols(fd);

	rc_ident = elf_ident_fd(fd, &id);
	FUZZ_CHECK(rc_ident == 0 || rc_ident == -ENOEXEC);
	if (rc_ident == 0) {
		FUZZ_CHECK(id.elf_class == 32 || id.elf_class == 64);
		fuzz_touch(id.arch);
	}
	/* both read the same ELF header */
	if (rc == 0)
		FUZZ_CHECK(rc_ident == 0);
	return 0;
}
