/* core.c: a process read from an ELF core file: the source interface's
 * implementation for cores (vmmap core.4242).
 *
 * A core holds what a crashed process's address space held, not what the
 * kernel knew about it: one PT_LOAD per mapping (gdb's gcore leaves out the
 * mappings it does not dump), the mapped files' paths and offsets
 * (NT_FILE), each thread's registers (NT_PRSTATUS), the process's name and
 * first arguments (NT_PRPSINFO) and the auxiliary vector. What it lacks is
 * unknown, with a warning: the smaps counters, the mm boundaries, the
 * devices and inodes of the files, the names the kernel gives the heap,
 * the stack and the vDSO, which are found again here from the auxiliary
 * vector, the stack pointers and the executable's place. Images are
 * classified from the files on disk (under --sysroot for a core from
 * another machine), checked against the core by their build-id.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/core.h"
#include "elf/image.h"
#include "load/internal.h"
#include "model/images.h"
#include "proc/task.h"
#include "util/text.h"

/* The largest file a core is read from: the regions' bytes are read only
 * where they are asked for (build-ids), so any size will do. */
#define CORE_FILE_MAX	0	/* any */

int source_is_core_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), rc;
	struct stat st;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	rc = core_probe(fd);
	close(fd);
	return rc;
}

int source_open_core(struct source *src, const char *path, const char *sysroot)
{
	struct stat st;
	int fd, rc;

	memset(src, 0, sizeof(*src));
	src->kind = SOURCE_CORE;
	src->ops = &core_source_ops;
	src->proc.proc_fd = src->proc.root_fd = -1;
	src->root_fd = -1;
	src->core = calloc(1, sizeof(*src->core));
	src->core_path = strdup(path);
	if (!src->core || !src->core_path) {
		rc = -ENOMEM;
		goto fail;
	}
	src->root_fd = open(sysroot ? sysroot : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (src->root_fd < 0) {
		rc = -errno;
		goto fail;
	}
	/* non-blocking, so that a FIFO named like a core cannot hang us */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		rc = -PROC_ENOTREG;
		goto fail;
	}
	rc = core_open(fd, src->core);
	close(fd);
	if (rc) {
		free(src->core);
		src->core = NULL;
		goto fail;
	}
	return 0;
fail:
	source_close(src);
	return rc;
}

/* The file an image was mapped from, looked up under the root by its
 * path: a regular file, opened without following a link out of the root.
 * Whether it is still the file that was mapped is checked afterwards by
 * the build-id. */
static int open_image(const struct source *src, const struct proc_handle *h,
		      const struct mapped_file_id *id)
{
	struct stat st;
	int pfd, fd;

	(void)h;
	pfd = proc_resolve_in_root(src->root_fd, id->path);
	if (pfd < 0)
		return pfd;
	if (fstat(pfd, &st)) {
		fd = -errno;
		close(pfd);
		return fd;
	}
	fd = proc_reopen_regular(pfd, &st, CORE_FILE_MAX);
	close(pfd);
	return fd;
}

/* The NT_FILE entry that maps [start, end), or NULL. */
static const struct core_mapped_file *file_at(const struct core_file *c,
					      uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (c->files[i].start <= start && end <= c->files[i].end &&
		    core_file_name(c, &c->files[i]))
			return &c->files[i];
	return NULL;
}

static const char *const deleted_suffix = " (deleted)";

/* A region to be: the pieces are gathered, sorted, then added in order. */
struct pending_region {
	struct maps_entry m;
};

static int cmp_pending(const void *a, const void *b)
{
	const struct pending_region *x = a, *y = b;

	return x->m.start < y->m.start ? -1 : x->m.start > y->m.start;
}

static unsigned int perms_of(uint32_t pf)
{
	return (pf & PF_R ? MAPS_READ : 0) | (pf & PF_W ? MAPS_WRITE : 0) |
	       (pf & PF_X ? MAPS_EXEC : 0);
}

/* Name m after the NT_FILE entry f: path, offset, deleted. */
static void name_from_file(struct maps_entry *m, const struct core_file *c,
			   const struct core_mapped_file *f)
{
	size_t n, sl = strlen(deleted_suffix);

	m->name = core_file_name(c, f);
	n = strlen(m->name);
	m->offset = f->offset + (m->start - f->start);
	if (n > sl && strcmp(m->name + n - sl, deleted_suffix) == 0) {
		m->deleted = true;
		n -= sl;
	}
	m->name_len = n;	/* the pool copies that much */
	m->name_kind = maps_name_classify(m->name, n);
}

/* The permissions of a file mapping the core has no segment for (gdb's
 * gcore leaves out what it does not dump): those of the ELF file's
 * PT_LOAD at that offset, read from the file on disk. */
static bool perms_from_file(const struct source *src, const struct core_mapped_file *f,
			    const char *path, uint64_t page, unsigned int *perms)
{
	struct mapped_file_id id = { .start = f->start, .end = f->end, .path = path };
	struct elf_image *elf = NULL;
	bool found = false;
	size_t k;
	int fd = open_image(src, NULL, &id);

	if (fd < 0)
		return false;
	if (elf_image_read_fd(fd, &elf) == 0) {
		for (k = 0; k < elf->nsegments && !found; k++) {
			const struct elf_segment *sg = &elf->segments[k];

			if (sg->type == PT_LOAD && (sg->offset & ~(page - 1)) == f->offset) {
				*perms = perms_of(sg->flags);
				found = true;
			}
		}
		elf_image_unref(elf);
	}
	close(fd);
	return found;
}

/* One region per PT_LOAD segment, named from NT_FILE; the file mappings
 * the core has no segment for, with their files' permissions; the names
 * the kernel gives in maps ([stack], [vdso], ...) are added afterwards. */
static int add_regions(struct snapshot *snap, const struct source *src,
		       const struct core_file *c, size_t *restored, size_t *left_out)
{
	struct pending_region *v = calloc(c->nsegments + c->nfiles + 1, sizeof(*v));
	size_t n = 0, i, k;
	int rc = 0;

	if (!v)
		return -ENOMEM;
	*restored = *left_out = 0;
	for (i = 0; i < c->nsegments; i++) {
		const struct core_segment *sg = &c->segments[i];
		const struct core_mapped_file *f;
		struct maps_entry *m = &v[n].m;

		if (!sg->memsz || sg->vaddr + sg->memsz < sg->vaddr)
			continue;
		m->start = sg->vaddr;
		m->end = sg->vaddr + sg->memsz;
		m->perms = perms_of(sg->flags);
		m->name = "";
		f = file_at(c, m->start, m->end);
		if (f)
			name_from_file(m, c, f);
		n++;
	}
	for (k = 0; k < c->nfiles; k++) {
		const struct core_mapped_file *f = &c->files[k];
		const char *path = core_file_name(c, f);
		struct maps_entry *m = &v[n].m;
		bool covered = false;

		for (i = 0; i < c->nsegments && !covered; i++)
			covered = c->segments[i].vaddr < f->end &&
				  f->start < c->segments[i].vaddr + c->segments[i].memsz;
		if (covered || f->end <= f->start)
			continue;
		if (!path || !perms_from_file(src, f, path, snap->page_size, &m->perms)) {
			++*left_out;
			continue;
		}
		m->start = f->start;
		m->end = f->end;
		name_from_file(m, c, f);
		n++;
		++*restored;
	}
	qsort(v, n, sizeof(*v), cmp_pending);
	for (i = 0; i < n && !rc; i++) {
		if (snap->nregions && v[i].m.start < snap->regions[snap->nregions - 1].end)
			continue;	/* overlapping segments: the reader warned */
		rc = snapshot_add_region(snap, &v[i].m, NULL, 0, false);
	}
	free(v);
	return rc;
}

/* Give region idx a kernel name ("[stack]"), as maps would. */
static int name_region(struct snapshot *snap, long idx, const char *name)
{
	struct region *r;

	if (idx < 0)
		return 0;
	r = &snap->regions[idx];
	if (r->name_kind != MAPS_NAME_NONE)
		return 0;	/* a file: not what it seemed */
	r->name_kind = (uint8_t)maps_name_classify(name, strlen(name));
	return strpool_add(&snap->pool, name, strlen(name), &r->path);
}

static const struct core_thread *main_thread(const struct core_file *c, pid_t pid)
{
	size_t i;

	for (i = 0; i < c->nthreads; i++)
		if (c->threads[i].tid == pid)
			return &c->threads[i];
	return c->nthreads ? &c->threads[0] : NULL;
}

/* The names maps gives and a core does not: [vdso] (AT_SYSINFO_EHDR),
 * [vvar] (the data pages right below it), [stack] (the main thread's
 * stack pointer), [heap] (the first anonymous rw-p region above the
 * executable, where the break starts), [vsyscall]. */
static int name_special_regions(struct snapshot *snap, const struct core_file *c)
{
	const struct core_thread *mt = main_thread(c, snap->pid);
	uint64_t exe_end = 0;
	long i, v;
	int rc = 0;

	if (core_has_auxv(c, CORE_AUXV_SYSINFO_EHDR)) {
		v = snapshot_find_region(snap, c->auxv[CORE_AUXV_SYSINFO_EHDR]);
		rc = name_region(snap, v, "[vdso]");
		for (i = v - 1; !rc && v > 0 && i >= 0 && i >= v - 2; i--) {
			const struct region *r = &snap->regions[i];

			if (r->end != snap->regions[i + 1].start || r->name_kind != MAPS_NAME_NONE ||
			    (r->perms & (MAPS_WRITE | MAPS_EXEC)))
				break;
			rc = name_region(snap, i, "[vvar]");
		}
	}
	if (!rc && mt && mt->has_sp) {
		v = snapshot_find_region(snap, mt->sp);
		if (v < 0 && mt->sp)
			v = snapshot_find_region(snap, mt->sp - 1);
		rc = name_region(snap, v, "[stack]");
	}
	if (!rc && snap->elf_class == 64 && c->machine == EM_X86_64)
		rc = name_region(snap, snapshot_find_region(snap, 0xffffffffff600000ULL),
				 "[vsyscall]");
	if (rc || !snap->exe)
		return rc;
	for (i = 0; i < (long)snap->nregions; i++) {
		const char *p = region_path(snap, &snap->regions[i]);

		if (p && strcmp(p, snap->exe) == 0)
			exe_end = snap->regions[i].end;
	}
	if (!exe_end)
		return 0;
	/* brk starts at a random place at most 32 MiB (1 GiB on some
	 * architectures) above the end of the executable's bss */
	for (i = 0; i < (long)snap->nregions; i++) {
		const struct region *r = &snap->regions[i];

		if (r->start < exe_end || r->name_kind != MAPS_NAME_NONE)
			continue;
		if (r->start - exe_end > (1ULL << 30))
			break;
		if (r->start == exe_end)
			continue;	/* the bss tail */
		if ((r->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC)) == (MAPS_READ | MAPS_WRITE)) {
			rc = name_region(snap, i, "[heap]");
			if (!rc)
				snapshot_warn(snap, "the heap is the first anonymous rw-p region above the "
					      "executable: a core does not name it");
			break;
		}
	}
	return rc;
}

/* gdb's gcore marks every segment readable (PF_R), guards included. A
 * thread stack's guard is found again by its place: an anonymous r--
 * region right below the anonymous rw- region a thread's stack pointer is
 * in. Returns how many were found. */
static size_t restore_gdb_guards(struct snapshot *snap, const struct core_file *c)
{
	size_t t, found = 0;

	for (t = 0; t < c->nthreads; t++) {
		long i;
		struct region *g, *st;

		if (!c->threads[t].has_sp)
			continue;
		i = snapshot_find_region(snap, c->threads[t].sp);
		if (i <= 0)
			continue;
		st = &snap->regions[i];
		g = &snap->regions[i - 1];
		if (g->end == st->start && g->name_kind == MAPS_NAME_NONE &&
		    st->name_kind == MAPS_NAME_NONE && g->perms == MAPS_READ &&
		    (st->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC)) == (MAPS_READ | MAPS_WRITE)) {
			g->perms = 0;
			found++;
		}
	}
	return found;
}

/* The executable: the file mapped where the program headers are
 * (AT_PHDR), or the entry point is. */
static void find_exe(struct snapshot *snap, const struct core_file *c)
{
	static const enum core_auxv keys[] = { CORE_AUXV_PHDR, CORE_AUXV_ENTRY };
	size_t k, sl = strlen(deleted_suffix);

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const struct core_mapped_file *f;
		const char *p;
		size_t n;

		if (!core_has_auxv(c, keys[k]))
			continue;
		f = file_at(c, c->auxv[keys[k]], c->auxv[keys[k]] + 1);
		p = f ? core_file_name(c, f) : NULL;
		if (!p)
			continue;
		n = strlen(p);
		snap->exe_deleted = n > sl && strcmp(p + n - sl, deleted_suffix) == 0;
		snap->exe = strndup(p, snap->exe_deleted ? n - sl : n);
		return;
	}
	snapshot_warn(snap, "executable unknown: the core's auxiliary vector and NT_FILE note "
		      "do not name it");
}

/* The arguments, from NT_PRPSINFO: the kernel keeps the first 80 bytes of
 * them, joined by spaces (gdb only the program's name). */
static void read_args(struct snapshot *snap, const struct core_file *c)
{
	char text[sizeof(c->prpsinfo.psargs)];
	size_t n = strlen(c->prpsinfo.psargs), i;

	memcpy(text, c->prpsinfo.psargs, n + 1);
	while (n && text[n - 1] == ' ')
		text[--n] = '\0';
	for (i = 0; i < n; i++)
		if (text[i] == ' ')
			text[i] = '\0';
	if (!n || cmdline_parse(text, n + 1, &snap->argv, &snap->argc)) {
		snap->argv = NULL;
		snap->argc = 0;
		return;
	}
	snapshot_warn(snap, "arguments from the core's NT_PRPSINFO: the first 80 bytes, "
		      "split at spaces");
}

static int read_threads(struct snapshot *snap, const struct core_file *c)
{
	size_t i;

	snap->threads = calloc(c->nthreads ? c->nthreads : 1, sizeof(*snap->threads));
	if (!snap->threads)
		return -ENOMEM;
	for (i = 0; i < c->nthreads; i++) {
		struct thread *t = &snap->threads[snap->nthreads++];

		t->tid = c->threads[i].tid;
		t->stack = -1;
		t->has_sp = c->threads[i].has_sp;
		t->sp = c->threads[i].sp;
		t->sp_err = t->has_sp ? 0 : -ENOSYS;
	}
	return 0;
}

/* An image read from disk must be the file that was mapped: the build-id
 * in the header page the core holds against the file's. A mismatch leaves
 * the image unread (its sections would be another file's). */
static void check_build_ids(struct snapshot *snap, const struct core_file *c)
{
	size_t k, i;

	for (k = 0; k < snap->nimages; k++) {
		struct image *im = &snap->images[k];
		unsigned char id[sizeof(im->elf->build_id)];
		size_t len = 0;
		int rc = -ENOENT;

		if (!im->elf)
			continue;
		for (i = 0; i < snap->nregions; i++)
			if (snap->regions[i].image == k + 1 && snap->regions[i].offset == 0) {
				rc = core_build_id_at(c, snap->regions[i].start, id, sizeof(id), &len);
				break;
			}
		if (rc || !im->elf->build_id_len) {
			snapshot_warn(snap, "%s: build-id %s: the file on disk is taken to be the one "
				      "that was mapped", strpool_get(&snap->pool, im->path),
				      rc ? "not in the core" : "not in the file");
			continue;
		}
		if (len == im->elf->build_id_len && memcmp(id, im->elf->build_id, len) == 0)
			continue;
		snapshot_warn(snap, "%s: the file on disk is not the one that was mapped "
			      "(its build-id differs from the core's): its sections are unknown",
			      strpool_get(&snap->pool, im->path));
		elf_image_unref(im->elf);
		im->elf = NULL;
		im->why_unread = "the file on disk is not the one that was mapped";
	}
}

static int core_read(const struct source *src, pid_t pid, const struct load_request *rq,
		     unsigned int attempt, struct snapshot *snap, struct load_error *error)
{
	const struct core_file *c = src->core;
	struct address_space_evidence ev = { .cpu_la57 = -1 };
	size_t i, unnamed = 0, restored = 0;
	int rc;

	(void)pid;
	(void)attempt;
	snap->live = false;
	snap->source = source_kind_name(src);
	snap->files_by_path = true;
	snap->pid = c->has_prpsinfo ? c->prpsinfo.pid : c->nthreads ? c->threads[0].tid : 0;
	snap->stat.pid = snap->pid;
	snap->stat.state = c->has_prpsinfo && c->prpsinfo.state ? c->prpsinfo.state : '?';
	snap->stat.ppid = c->has_prpsinfo ? c->prpsinfo.ppid : 0;
	snap->stat.exit_code = -1;
	snap->stat.num_threads = (long)c->nthreads;
	snap->stat.mm_state = STAT_MM_NONE;
	snprintf(snap->stat.comm, sizeof(snap->stat.comm), "%s",
		 c->has_prpsinfo ? c->prpsinfo.fname : "");
	snap->elf_class = c->elf_class;
	snap->arch = c->arch;
	if (core_has_auxv(c, CORE_AUXV_PAGESZ) && c->auxv[CORE_AUXV_PAGESZ] >= 4096 &&
	    c->auxv[CORE_AUXV_PAGESZ] <= (1 << 20) &&
	    !(c->auxv[CORE_AUXV_PAGESZ] & (c->auxv[CORE_AUXV_PAGESZ] - 1)))
		snap->page_size = c->auxv[CORE_AUXV_PAGESZ];

	for (i = 0; i < c->nwarnings; i++)
		snapshot_warn(snap, "%s: %s", src->core_path, c->warnings[i]);
	if (c->warnings_dropped)
		snapshot_warn(snap, "%s: %zu more problems in the core", src->core_path,
			      c->warnings_dropped);
	if (!c->has_prpsinfo)
		snapshot_warn(snap, "%s: no NT_PRPSINFO note: the process's name and arguments "
			      "are unknown", src->core_path);
	else
		read_args(snap, c);
	snapshot_warn(snap, "memory counters unknown: a core has no smaps (RSS, PSS, dirty, "
		      "swap); DUMPED says what the core holds of each region");

	rc = read_threads(snap, c);
	if (!rc) {
		find_exe(snap, c);
		rc = add_regions(snap, src, c, &restored, &unnamed);
	}
	if (rc)
		goto oom;
	if (!snap->nregions) {
		load_fail(error, LOAD_FAILED, -ENOEXEC, "%s: the core holds no memory mappings",
			  src->core_path);
		return -ENOEXEC;
	}
	if (restored)
		snapshot_warn(snap, "%zu file mappings have no segment in the core (gdb's gcore "
			      "leaves out what it does not dump): their permissions are those "
			      "of the files' program headers on disk", restored);
	if (unnamed)
		snapshot_warn(snap, "%zu file mappings have no segment in the core and their files "
			      "cannot be read: they are not shown", unnamed);
	snap->dumped_bytes = calloc(snap->nregions, sizeof(*snap->dumped_bytes));
	if (!snap->dumped_bytes)
		goto oom;
	for (i = 0; i < snap->nregions; i++)
		snap->dumped_bytes[i] = core_dumped_bytes(c, snap->regions[i].start,
							  snap->regions[i].end);
	if (c->gdb) {
		restore_gdb_guards(snap, c);
		snapshot_warn(snap, "%s was written by gdb, which marks every segment readable: "
			      "r in PERMS is what gdb says, but for the guards below thread stacks",
			      src->core_path);
	}
	rc = name_special_regions(snap, c);
	if (rc)
		goto oom;

	ev.elf_class = snap->elf_class;
	ev.arch = snap->arch;
	ev.page_size = snap->page_size;
	rc = images_group(snap);
	if (rc)
		goto oom;
	load_read_images(snap, src, NULL, &(struct load_request){ .kinds_only = rq->kinds_only });
	check_build_ids(snap, c);
	rc = load_classify(snap, &ev);
	if (rc)
		goto oom;
	load_account(snap);
	if (rq->pages)
		snapshot_warn(snap, "page states unknown: a core holds no page tables");
	if (rq->numa)
		snapshot_warn(snap, "NUMA placement unknown: a core does not say where its pages were");
	return 0;
oom:
	load_fail(error, LOAD_FAILED, -ENOMEM, "out of memory");
	return -ENOMEM;
}

const struct source_ops core_source_ops = {
	.read = core_read,
	.open_image = open_image,
};
