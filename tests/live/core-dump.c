/* core-dump.c: print what core_open() finds in a core file, one fact a
 * line, for the tests that compare it with a live process
 * (tests/live/core-gcore.sh).
 *
 *   core-dump CORE [ADDR LEN]
 *
 * Lines: "class", "arch", "gdb", "prpsinfo PID PPID UID GID STATE",
 * "fname NAME", "psargs ARGS", "auxv NAME 0xVALUE",
 * "segment 0xVADDR 0xMEMSZ 0xFILESZ 0xPRESENT FLAGS",
 * "file 0xSTART 0xEND 0xOFFSET IN_LOAD PATH" (PATH "-" when unknown),
 * "thread TID SIGNAL 0xSP" (SP "-" when unknown), "warning TEXT". With
 * ADDR and LEN, last a line "memory N HEX" of what core_read_memory()
 * copies from there. Exit status 0, 1 when core_open() fails.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/core.h"

static const char *const auxv_names[CORE_AUXV_COUNT] = {
	[CORE_AUXV_PHDR] = "AT_PHDR",
	[CORE_AUXV_PHNUM] = "AT_PHNUM",
	[CORE_AUXV_ENTRY] = "AT_ENTRY",
	[CORE_AUXV_BASE] = "AT_BASE",
	[CORE_AUXV_SYSINFO_EHDR] = "AT_SYSINFO_EHDR",
	[CORE_AUXV_PAGESZ] = "AT_PAGESZ",
	[CORE_AUXV_EXECFN] = "AT_EXECFN",
};

int main(int argc, char **argv)
{
	struct core_file c;
	size_t i;
	int fd, rc;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: %s CORE [ADDR LEN]\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(errno));
		return 1;
	}
	rc = core_probe(fd);
	printf("probe %d\n", rc);
	rc = core_open(fd, &c);
	close(fd);
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(-rc));
		return 1;
	}
	printf("class %d\narch %s\ngdb %d\n", c.elf_class, c.arch ? c.arch : "-", c.gdb);
	if (c.has_prpsinfo) {
		printf("prpsinfo %d %d %d %d %c\n", c.prpsinfo.pid, c.prpsinfo.ppid,
		       c.prpsinfo.uid, c.prpsinfo.gid, c.prpsinfo.state ? c.prpsinfo.state : '-');
		printf("fname %s\npsargs %s\n", c.prpsinfo.fname, c.prpsinfo.psargs);
	}
	for (i = 0; i < CORE_AUXV_COUNT; i++)
		if (core_has_auxv(&c, i))
			printf("auxv %s 0x%" PRIx64 "\n", auxv_names[i], c.auxv[i]);
	for (i = 0; i < c.nsegments; i++) {
		const struct core_segment *s = &c.segments[i];

		printf("segment 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " %c%c%c\n",
		       s->vaddr, s->memsz, s->filesz, s->present,
		       s->flags & 4 ? 'r' : '-', s->flags & 2 ? 'w' : '-', s->flags & 1 ? 'x' : '-');
	}
	for (i = 0; i < c.nfiles; i++) {
		const struct core_mapped_file *f = &c.files[i];
		const char *name = core_file_name(&c, f);

		printf("file 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " %d %s\n",
		       f->start, f->end, f->offset, f->in_load, name ? name : "-");
	}
	for (i = 0; i < c.nthreads; i++) {
		const struct core_thread *t = &c.threads[i];

		if (t->has_sp)
			printf("thread %d %d 0x%" PRIx64 "\n", t->tid, t->signal, t->sp);
		else
			printf("thread %d %d -\n", t->tid, t->signal);
	}
	for (i = 0; i < c.nwarnings; i++)
		printf("warning %s\n", c.warnings[i]);
	if (c.warnings_dropped)
		printf("warning and %zu more\n", c.warnings_dropped);
	if (argc == 4) {
		uint64_t addr = strtoull(argv[2], NULL, 0);
		size_t len = strtoul(argv[3], NULL, 0);
		unsigned char *buf = malloc(len ? len : 1);
		ssize_t n;

		if (!buf)
			return 1;
		n = core_read_memory(&c, addr, buf, len);
		printf("memory %zd ", n);
		for (i = 0; n > 0 && i < (size_t)n; i++)
			printf("%02x", buf[i]);
		printf("\n");
		free(buf);
	}
	core_release(&c);
	return 0;
}
