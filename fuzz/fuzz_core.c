/* fuzz_core: core_probe, core_open, core_read_memory and core_dumped_bytes
 * on the input as a core file.
 *
 * The input is written to a memfd, so the reader's pread()s see exactly
 * its bytes and its size. Every promise of core.h is checked: the caps,
 * sorted segments whose present part lies in the file, NT_FILE entries
 * with a real range and a path in the names buffer or none, terminated
 * strings, and memory reads that agree with core_dumped_bytes().
 */
#include "config.h"

#include <elf.h>
#include <errno.h>

#include "elf/core.h"
#include "memfd.h"

static void exercise(const struct core_file *c, uint64_t size)
{
	unsigned char buf[256];
	uint64_t sum = 0;
	size_t i;

	FUZZ_CHECK(c->elf_class == 32 || c->elf_class == 64);
	FUZZ_CHECK(c->file_size == size);
	FUZZ_CHECK(c->nsegments <= CORE_MAX_PHDRS);
	FUZZ_CHECK(c->nfiles <= CORE_MAX_FILES);
	FUZZ_CHECK(c->nthreads <= CORE_MAX_THREADS);
	FUZZ_CHECK(c->nwarnings <= CORE_MAX_WARNINGS);
	fuzz_touch(c->arch);
	for (i = 0; i < c->nwarnings; i++) {
		size_t n = fuzz_touch(c->warnings[i]);

		FUZZ_CHECK(n > 0 && n < CORE_WARNING_LEN);
	}
	for (i = 0; i < c->nsegments; i++) {
		const struct core_segment *s = &c->segments[i];

		FUZZ_CHECK(s->memsz > 0);
		FUZZ_CHECK(s->vaddr + s->memsz > s->vaddr);
		FUZZ_CHECK(s->present <= s->filesz && s->present <= s->memsz);
		FUZZ_CHECK(s->present == 0 || (s->offset < size && s->present <= size - s->offset));
		if (i)
			FUZZ_CHECK(c->segments[i - 1].vaddr <= s->vaddr);
		FUZZ_CHECK(core_segment_at(c, s->vaddr) != NULL);
		sum += core_dumped_bytes(c, s->vaddr, s->vaddr + s->memsz);
		/* what the core holds of the segment's start can be read */
		if (s->present) {
			size_t want = s->present < sizeof(buf) ? (size_t)s->present : sizeof(buf);
			ssize_t n = core_read_memory(c, s->vaddr, buf, want);

			FUZZ_CHECK(n >= 0 && (size_t)n <= want);
			if (core_segment_at(c, s->vaddr) == s)
				FUZZ_CHECK((size_t)n == want);
		}
		/* past the dumped part: nothing, or what an overlapping or
		 * adjacent segment holds */
		if (s->present < s->memsz)
			FUZZ_CHECK(core_read_memory(c, s->vaddr + s->present, buf,
						    sizeof(buf)) >= 0);
	}
	FUZZ_CHECK(core_dumped_bytes(c, 0, UINT64_MAX) <= UINT64_MAX);
	FUZZ_CHECK(core_dumped_bytes(c, 10, 5) == 0);
	for (i = 0; i < c->nfiles; i++) {
		const struct core_mapped_file *f = &c->files[i];
		size_t n = fuzz_touch(core_file_name(c, f));

		FUZZ_CHECK(f->start < f->end);
		FUZZ_CHECK(n < CORE_MAX_NAME);
		FUZZ_CHECK(c->file_page_size > 0);
		sum += f->start + f->end + f->offset + f->in_load;
	}
	for (i = 0; i < c->nthreads; i++)
		sum += (uint64_t)c->threads[i].tid + c->threads[i].has_sp + c->threads[i].sp;
	FUZZ_CHECK(fuzz_touch(c->prpsinfo.fname) < sizeof(c->prpsinfo.fname));
	FUZZ_CHECK(fuzz_touch(c->prpsinfo.psargs) < sizeof(c->prpsinfo.psargs));
	FUZZ_CHECK(c->auxv_known < (1u << CORE_AUXV_COUNT));
	/* a read that wraps the address space stops there */
	FUZZ_CHECK(core_read_memory(c, UINT64_MAX - 8, buf, sizeof(buf)) <= 9);
	__asm__ volatile("" : : "r"(sum));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_file c;
	int fd = fuzz_memfd(data, size);
	int probe = core_probe(fd);
	int rc;

	FUZZ_CHECK(probe == 0 || probe == 1);
	rc = core_open(fd, &c);
	FUZZ_CHECK(rc == 0 || rc == -ENOEXEC || rc == -ENOMEM);
	/* a core opens (memory permitting), anything else does not */
	FUZZ_CHECK(probe == 1 ? rc != -ENOEXEC : rc != 0);
	if (rc == 0) {
		exercise(&c, size);
		core_release(&c);
		FUZZ_CHECK(c.fd == -1 && c.segments == NULL);
	}
	return 0;
}
