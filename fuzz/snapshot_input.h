/* snapshot_input.h: build a snapshot from fuzz input, the way
 * snapshot_load() builds one from /proc, for fuzz_snapshot and fuzz_report.
 *
 * The input is split at its first three NUL bytes; missing parts are
 * simply absent, so a plain smaps file is a valid input:
 *
 *   smaps text \0 stat text \0 syscall lines \0 ELF file
 *
 *   smaps    the regions (a parse error rejects the input, as it fails a load)
 *   stat     mm boundaries (start_code, start_brk, ...), when it parses
 *   syscall  one line per thread, as task/TID/syscall says it; the first
 *            thread is the main thread (tid == pid)
 *   ELF      the ELF headers of every image (executable mapping of a file),
 *            and the executable's class and machine
 *
 * The address-space evidence is fixed (no LA57, task size not probed,
 * 4 KiB pages, 64-bit x86-64) except for what the ELF part says.
 */
#ifndef VMMAP_FUZZ_SNAPSHOT_INPUT_H
#define VMMAP_FUZZ_SNAPSHOT_INPUT_H

#include <errno.h>

#include "elf/elf_ident.h"
#include "elf/image.h"
#include "memfd.h"
#include "model/address_space.h"
#include "model/images.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "proc/smaps.h"
#include "proc/stat.h"
#include "proc/task.h"

enum { FUZZ_PID = 4242, FUZZ_MAX_THREADS = 64 };

struct fuzz_part {
	const uint8_t *data;
	size_t len;
	bool present;
};

static int fuzz_add_region(void *ctx, const struct smaps_entry *e)
{
	return snapshot_add_region(ctx, &e->map, &e->counters, e->vm_flags,
				   e->has_vm_flags);
}

static void fuzz_split(const uint8_t *data, size_t size, struct fuzz_part parts[4])
{
	const uint8_t *s = data, *end = data + size;
	int i;

	memset(parts, 0, 4 * sizeof(parts[0]));
	for (i = 0; i < 4; i++) {
		const uint8_t *nul = i < 3 ? memchr(s, '\0', (size_t)(end - s)) : NULL;

		parts[i].data = s;
		parts[i].len = nul ? (size_t)(nul - s) : (size_t)(end - s);
		parts[i].present = true;
		if (!nul)
			break;
		s = nul + 1;
	}
}

static void fuzz_read_stat(struct snapshot *snap, const struct fuzz_part *p)
{
	struct stat_info st;
	char *copy;

	if (!p->present)
		return;
	copy = fuzz_dup(p->data, p->len);
	if (stat_parse(copy, p->len, &st) == 0) {
		snap->stat = st;
		snap->mm_known = st.mm_state == STAT_MM_VALID;
	}
	free(copy);
}

static void fuzz_read_threads(struct snapshot *snap, const struct fuzz_part *p)
{
	const uint8_t *s, *end;

	snap->threads = calloc(FUZZ_MAX_THREADS, sizeof(*snap->threads));
	if (!snap->threads)
		abort();
	if (!p->present) {
		/* a process has at least its main thread */
		snap->threads[0].tid = snap->pid;
		snap->threads[0].stack = -1;
		snap->nthreads = 1;
		return;
	}
	s = p->data;
	end = p->data + p->len;
	while (s < end && snap->nthreads < FUZZ_MAX_THREADS) {
		const uint8_t *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct thread *t = &snap->threads[snap->nthreads];
		char *copy = fuzz_dup(s, n);
		unsigned long long sp;

		t->tid = snap->pid + (pid_t)snap->nthreads;
		t->stack = -1;
		snprintf(t->comm, sizeof(t->comm), "t%zu", snap->nthreads);
		t->sp_err = syscall_parse_sp(copy, n, &sp);
		if (t->sp_err == 0) {
			t->has_sp = true;
			t->sp = sp;
		}
		free(copy);
		snap->nthreads++;
		s += n + 1;
	}
}

/* The executable's path, as the exe link would give it: the first file
 * mapped with execute permission. */
static void fuzz_set_exe(struct snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->nregions; i++) {
		const struct region *r = &snap->regions[i];

		if (r->name_kind == MAPS_NAME_PATH && (r->perms & MAPS_EXEC)) {
			snap->exe = strdup(region_path(snap, r));
			if (!snap->exe)
				abort();
			return;
		}
	}
}

static void fuzz_read_elf(struct snapshot *snap, struct address_space_evidence *ev,
			  const struct fuzz_part *p)
{
	struct elf_image *img = NULL;
	struct elf_ident id;
	size_t i;
	int fd;

	if (!p->present || !p->len)
		return;
	fd = fuzz_memfd(p->data, p->len);
	if (elf_ident_fd(fd, &id) == 0) {
		snap->elf_class = id.elf_class;
		snap->arch = id.arch;
		ev->elf_class = id.elf_class;
		ev->arch = id.arch;
	}
	if (elf_image_read_fd(fd, &img) != 0)
		return;
	for (i = 0; i < snap->nimages; i++)
		snap->images[i].elf = elf_image_ref(img);
	elf_image_unref(img);
}

/* Returns 0 with *snap built and analysed (release it with
 * snapshot_release()), or -1 when the input is rejected (like a failed
 * snapshot_load(), *snap is then released). */
static int fuzz_build_snapshot(const uint8_t *data, size_t size, struct snapshot *snap)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .task_size_probed = false, .task_size = 0,
		.elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};
	struct fuzz_part parts[4];
	char *smaps;
	int rc;

	fuzz_split(data, size, parts);
	if (snapshot_init(snap, FUZZ_PID))
		abort();
	snap->elf_class = 64;
	snap->arch = "x86_64";
	snap->stack_rlimit_known = true;
	snap->stack_rlimit = 8 << 20;

	smaps = fuzz_dup(parts[0].data, parts[0].len);
	rc = smaps_parse(smaps, parts[0].len, fuzz_add_region, snap, NULL);
	free(smaps);
	if (rc || !snap->nregions) {
		snapshot_release(snap);
		return -1;
	}
	fuzz_read_stat(snap, &parts[1]);
	fuzz_read_threads(snap, &parts[2]);
	fuzz_set_exe(snap);
	if (images_group(snap))
		abort();
	fuzz_read_elf(snap, &ev, &parts[3]);
	if (snapshot_analyse(snap, &ev))
		abort();
	return 0;
}

#endif
