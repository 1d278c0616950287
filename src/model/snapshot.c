/* snapshot.c: loading one process through the readers.
 *
 * Order matters for correctness: stat first (is this a process with an
 * address space?), then smaps in one streaming pass (layout and counters
 * together), then the threads, then stat again to prove the process did not
 * exit or get replaced while we read: the kernel ends a listing silently at a
 * record boundary when its target exits, so EOF alone never proves a
 * complete map.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "elf/elf_ident.h"
#include "elf/image.h"
#include "model/classify.h"
#include "model/images.h"
#include "model/snapshot.h"
#include "model/summary.h"
#include "proc/machine.h"
#include "proc/iomem.h"
#include "proc/mapfile.h"
#include "proc/prefetch.h"
#include "proc/zoneinfo.h"
#include "proc/smaps.h"
#include "proc/task.h"

int snapshot_init(struct snapshot *snap, pid_t pid)
{
	memset(snap, 0, sizeof(*snap));
	snap->pid = pid;
	snap->proc.dir_fd = -1;
	snap->page_size = 4096;
	return strpool_init(&snap->pool);
}

void snapshot_release(struct snapshot *snap)
{
	size_t i;

	free(snap->exe);
	free(snap->argv);
	proc_close(&snap->proc);
	free(snap->phys_zone_names);
	free(snap->phys_zone_bytes);
	free(snap->phys_ram_range);
	free(snap->phys_ram_bytes);
	free(snap->pages);
	for (i = 0; i < snap->nrun_blocks; i++)
		free(snap->run_blocks[i]);
	free(snap->run_blocks);
	free(snap->regions);
	free(snap->threads);
	for (i = 0; i < snap->nimages; i++)
		elf_image_unref(snap->images[i].elf);
	free(snap->images);
	strpool_release(&snap->pool);
	address_space_release(&snap->as);
	for (i = 0; i < snap->nwarnings; i++)
		free(snap->warnings[i]);
	free(snap->warnings);
	memset(snap, 0, sizeof(*snap));
}

int snapshot_warn(struct snapshot *snap, const char *fmt, ...)
{
	char **w;
	char *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	w = realloc(snap->warnings, (snap->nwarnings + 1) * sizeof(*w));
	if (!w) {
		free(msg);
		return -ENOMEM;
	}
	snap->warnings = w;
	snap->warnings[snap->nwarnings++] = msg;
	return 0;
}

int snapshot_add_region(struct snapshot *snap, const struct maps_entry *m,
			const struct smaps_counters *c, uint64_t vm_flags,
			bool has_vm_flags)
{
	struct region *r;
	int rc;

	if (snap->nregions == snap->cap) {
		size_t cap = snap->cap ? snap->cap * 2 : 256;
		struct region *v = realloc(snap->regions, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		snap->regions = v;
		snap->cap = cap;
	}
	r = &snap->regions[snap->nregions];
	memset(r, 0, sizeof(*r));
	r->start = m->start;
	r->end = m->end;
	r->offset = m->offset;
	r->inode = m->inode;
	r->dev_major = m->dev_major;
	r->dev_minor = m->dev_minor;
	r->perms = (uint8_t)m->perms;
	r->name_kind = (uint8_t)m->name_kind;
	r->kind = KIND_OTHER;
	if (m->deleted)
		r->flags |= REGION_DELETED;
	if (has_vm_flags) {
		r->flags |= REGION_HAS_VMFLAGS;
		r->vm_flags = vm_flags;
	}
	if (c)
		r->counters = *c;
	rc = strpool_add(&snap->pool, m->name, m->name_len, &r->path);
	if (rc)
		return rc;
	snap->nregions++;
	return 0;
}

long snapshot_find_region(const struct snapshot *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nregions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct region *r = &s->regions[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr >= r->end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

/* A listing that takes several read() calls is not atomic: a region split
 * or merged between two calls can come out twice, overlapping what was
 * already listed. Live, such a torn listing is -EAGAIN, to be read again;
 * in a capture (--sysroot) it is malformed, -EINVAL. Else 0. */
static int check_order(const struct snapshot *snap, const struct maps_entry *m)
{
	if (snap->nregions && m->start < snap->regions[snap->nregions - 1].end)
		return snap->live ? -EAGAIN : -EINVAL;
	return 0;
}

struct smaps_fill {
	struct snapshot *snap;
	/* The last reading of a process that changes without pause: a record
	 * that overlaps regions already listed replaces them (it was read
	 * later), so the listing stays sorted and disjoint. */
	bool keep_torn;
	size_t dropped;		/* regions so replaced */
};

static int add_smaps_region(void *ctx, const struct smaps_entry *e)
{
	struct smaps_fill *f = ctx;
	struct snapshot *snap = f->snap;
	int rc = check_order(snap, &e->map);

	if (rc == -EAGAIN && f->keep_torn) {
		while (snap->nregions && snap->regions[snap->nregions - 1].end > e->map.start) {
			snap->nregions--;
			f->dropped++;
		}
		rc = 0;
	}
	if (rc)
		return rc;
	return snapshot_add_region(snap, &e->map, &e->counters, e->vm_flags,
				   e->has_vm_flags);
}

/* After a read: is the process still alive, not a zombie, and the same one
 * (same start time) that `before` described? A failed stat read counts as
 * gone. */
static bool still_same_process(const struct proc_handle *h, const struct stat_info *before)
{
	struct stat_info after;

	return stat_read_at(h, "stat", &after) == 0 && after.state != 'Z' &&
	       after.state != 'X' && after.starttime == before->starttime;
}

static void fail(struct load_error *error, enum load_failure kind, int err,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(struct load_error *error, enum load_failure kind, int err,
		 const char *fmt, ...)
{
	va_list ap;

	error->kind = kind;
	error->err = err;
	va_start(ap, fmt);
	vsnprintf(error->msg, sizeof(error->msg), fmt, ap);
	va_end(ap);
}

/* A file of a capture that could not be read at all. Live, ENOENT or
 * ESRCH means the process went away; a capture cannot exit, so there the
 * message names the file and says whether it is missing, empty or
 * unusable. */
static void fail_captured_file(struct load_error *error, const struct proc_handle *h,
			       const char *file, int rc)
{
	fail(error, LOAD_FAILED, rc, "cannot read %s/%s: %s", h->path, file,
	     rc == -ESRCH ? "the file is empty" : errno_text(rc));
}

/* What to do about a denied read. h is NULL when /proc/PID itself could not
 * be opened. Being the owner does not help with a non-dumpable process, so
 * that case is named rather than sending the user to log in as themselves. */
static const char *access_hint(const struct proc_handle *h, int err)
{
	if (err != -EACCES && err != -EPERM)
		return "";
	if (h && proc_is_nondumpable(h) == 1)
		return " (the process is not dumpable: a setuid or setgid program, or one that "
		       "turned dumping off; run as root or with CAP_SYS_PTRACE)";
	return " (run as the process's owner, as root, or with CAP_SYS_PTRACE)";
}

static void read_cmdline(struct snapshot *snap, const struct proc_handle *h)
{
	struct buf b = { 0 };
	int rc = proc_read_file(h, "cmdline", &b);

	if (!rc)
		rc = cmdline_parse(b.data ? b.data : "", b.len, &snap->argv, &snap->argc);
	if (rc)
		snapshot_warn(snap, "cannot read %s/cmdline: %s", h->path, errno_text(rc));
	buf_release(&b);
}

/* A captured tree may hold exe as a text file with the link's target:
 * archives (make dist's tar -h) do not keep symlinks to absolute paths. */
static int read_exe_text(const struct proc_handle *h, char **path, int *deleted)
{
	static const char suffix[] = " (deleted)";
	struct buf b = { 0 };
	size_t n;
	int rc = proc_read_file(h, "exe", &b);

	if (!rc && (b.len == 0 || b.len > 4096 || b.data[0] != '/' ||
		    memchr(b.data, '\0', b.len)))
		rc = -EINVAL;
	if (rc) {
		buf_release(&b);
		return rc;
	}
	n = strcspn(b.data, "\n");
	b.data[n] = '\0';
	*deleted = n > sizeof(suffix) - 1 &&
		   strcmp(b.data + n - (sizeof(suffix) - 1), suffix) == 0;
	if (*deleted)
		b.data[n - (sizeof(suffix) - 1)] = '\0';
	*path = b.data;		/* the buffer becomes the string */
	return 0;
}

/* The executable: its path from the exe link, and its ELF class from the
 * file itself. Live, /proc/PID/exe opens the very file (even deleted or in
 * another mount namespace); under --sysroot the link is text and the file is
 * looked up inside the sysroot. */
static void read_exe(struct snapshot *snap, const struct proc_source *src,
		     const struct proc_handle *h)
{
	struct elf_ident id;
	int deleted = 0, fd, rc;

	rc = task_read_exe(h, &snap->exe, &deleted);
	if (rc == -EINVAL && !proc_source_is_live(src))
		rc = read_exe_text(h, &snap->exe, &deleted);
	if (rc) {
		if (rc != -ENOENT)
			snapshot_warn(snap, "cannot read %s/exe: %s%s", h->path,
				      rc == -EINVAL ? "malformed" : errno_text(rc),
				      access_hint(h, rc));
		return;
	}
	snap->exe_deleted = deleted;
	if (proc_source_is_live(src))
		fd = proc_open_exe(h);
	else
		fd = proc_source_open_in_root(src, snap->exe);
	if (fd < 0) {
		snapshot_warn(snap, "cannot open the executable %s: %s: ELF class unknown",
			      snap->exe, errno_text(fd));
		return;
	}
	rc = elf_ident_fd(fd, &id);
	close(fd);
	if (rc) {
		snapshot_warn(snap, "cannot read the ELF header of %s: %s",
			      snap->exe, rc == -ENOEXEC ? "not an ELF file" : errno_text(rc));
		return;
	}
	snap->elf_class = id.elf_class;
	snap->arch = id.arch;
}

static void read_threads(struct snapshot *snap, const struct proc_handle *h)
{
	pid_t *tids;
	size_t n, i;
	struct buf b = { 0 };
	int rc = task_list(h, &tids, &n);

	if (rc) {
		snapshot_warn(snap, "cannot list %s/task: %s", h->path, errno_text(rc));
		return;
	}
	snap->threads = calloc(n ? n : 1, sizeof(*snap->threads));
	if (!snap->threads) {
		free(tids);
		return;
	}
	for (i = 0; i < n; i++) {
		struct thread *t = &snap->threads[snap->nthreads];
		char name[64];
		int tries;

		t->tid = tids[i];
		t->stack = -1;
		snprintf(name, sizeof(name), "task/%d/comm", (int)t->tid);
		if (proc_read_file(h, name, &b) == 0) {
			snprintf(t->comm, sizeof(t->comm), "%.*s",
				 (int)strcspn(b.data, "\n"), b.data);
		}
		/* The stack pointer is only stable while the thread sleeps
		 * in the kernel; a running thread answers "running". */
		snprintf(name, sizeof(name), "task/%d/syscall", (int)t->tid);
		for (tries = 0; tries < 3; tries++) {
			unsigned long long sp;

			t->sp_err = proc_read_file(h, name, &b);
			if (t->sp_err)
				break;
			rc = syscall_parse_sp(b.data, b.len, &sp);
			t->sp_err = rc;
			if (rc == 0) {
				t->has_sp = true;
				t->sp = sp;
				break;
			}
			if (rc != -EAGAIN)
				break;
			usleep(1000);
		}
		snap->nthreads++;
	}
	buf_release(&b);
	free(tids);
}

/* Parse the ELF headers of every image, once per (dev, inode). */
static void read_images(struct snapshot *snap, const struct proc_source *src,
			const struct proc_handle *h, struct elf_cache *shared)
{
	struct elf_cache local = { 0 };
	struct elf_cache *cache = shared ? shared : &local;
	unsigned int failed = 0;
	size_t k, i;

	for (k = 0; k < snap->nimages; k++) {
		struct image *im = &snap->images[k];
		struct elf_cache_entry *e;
		struct mapped_file_id id = {
			.path = strpool_get(&snap->pool, im->path),
			.dev_major = im->dev_major, .dev_minor = im->dev_minor,
			.inode = im->inode,
		};
		enum mapfile_method method;
		struct elf_image *elf = NULL;
		int fd, rc;

		for (i = 0; i < snap->nregions; i++)
			if (snap->regions[i].image == k + 1) {
				id.start = snap->regions[i].start;
				id.end = snap->regions[i].end;
				break;
			}
		e = elf_cache_find(cache, im->dev_major, im->dev_minor, im->inode);
		if (e) {
			rc = e->err;
			elf = elf_image_ref(e->img);
		} else {
			fd = mapfile_open(src, h, &id, &method);
			rc = fd < 0 ? fd : elf_image_read_fd(fd, &elf);
			if (fd >= 0)
				close(fd);
			elf_cache_put(cache, im->dev_major, im->dev_minor, im->inode, elf, rc);
		}
		im->elf = elf;
		if (!rc && elf->skipped.what && ++failed <= 5)
			snapshot_warn(snap, "cannot read %s of %s: %s: %s", elf->skipped.what,
				      id.path, elf->skipped.why, elf->skipped.loss);
		if (rc) {
			if (rc == -ESTALE) {
				im->why_unread = "the path names another file now";
			} else if (rc == -ENOEXEC) {
				im->why_unread = "not a readable ELF file";
			} else if (rc == -PROC_ENOTREG) {
				im->why_unread = "not a regular file";
			} else {
				/* errno_text() reuses its buffer: keep a copy */
				const char *t = errno_text(rc);
				uint32_t off;

				im->why_unread = "cannot be opened";
				if (strpool_add(&snap->pool, t, strlen(t), &off) == 0)
					im->why_unread_off = off;
			}
			if (++failed <= 5)
				snapshot_warn(snap, "cannot read the ELF headers of %s: %s: its sections are unknown",
					      id.path, image_why_unread(snap, im));
		}
	}
	if (failed > 5)
		snapshot_warn(snap, "%u more ELF images could not be read", failed - 5);
	elf_cache_release(&local);
}

static void warn_lost_stacks(struct snapshot *snap)
{
	size_t t;

	for (t = 0; t < snap->nthreads; t++) {
		const struct thread *th = &snap->threads[t];

		if (th->tid == snap->pid)
			continue;
		if (th->stack >= 0) {
			/* found by the guard pattern: its sp is still unknown */
			if (!th->has_sp)
				snapshot_warn(snap, "stack pointer of thread %d unknown (%s): its stack was found by the guard pattern",
					      (int)th->tid, th->sp_err && th->sp_err != -EAGAIN ?
					      errno_text(th->sp_err) : "it kept running");
			continue;
		}
		if (!th->has_sp && th->sp_err && th->sp_err != -EAGAIN)
			snapshot_warn(snap, "stack of thread %d not found: cannot read its stack pointer: %s",
				      (int)th->tid, errno_text(th->sp_err));
		else if (!th->has_sp)
			snapshot_warn(snap, "stack of thread %d not found: it kept running", (int)th->tid);
		else
			snapshot_warn(snap, "stack of thread %d not found: its stack pointer 0x%llx is not in a stack-like region",
				      (int)th->tid, (unsigned long long)th->sp);
	}
}

static void fill_brk(struct snapshot *snap)
{
	size_t i;

	/* The current break is not exported; it is the end of [heap]. */
	for (i = 0; i < snap->nregions; i++)
		if (snap->regions[i].name_kind == MAPS_NAME_HEAP) {
			snap->stat.mm[MM_BRK] = snap->regions[i].end;
			snap->brk_known = true;
			return;
		}
	/* No heap yet: the break has not moved from start_brk. */
	if (snap->mm_known) {
		snap->stat.mm[MM_BRK] = snap->stat.mm[MM_START_BRK];
		snap->brk_known = true;
	}
}

/* Counters from a capture can be anything: sums of them that do not fit
 * in 64 bits are shown as unknown, and said so once here. */
static void warn_overflows(struct snapshot *snap)
{
	uint32_t mask = summary_overflows(snap);
	int f;

	for (f = 0; f < SUM_NFIELDS; f++)
		if (mask & (1u << f))
			snapshot_warn(snap, "%s summed over the regions overflows 64 bits: shown as unknown",
				      sum_field_name(f));
}

int snapshot_analyse(struct snapshot *snap, const struct address_space_evidence *ev)
{
	int rc;

	fill_brk(snap);
	rc = snapshot_classify(snap);
	if (rc)
		return rc;
	address_space_release(&snap->as);
	rc = address_space_compute(&snap->as, ev, snap->regions, snap->nregions);
	if (rc)
		return rc;
	if (!snap->as.paging_levels && snap->as.unknown_why)
		snapshot_warn(snap, "paging mode unknown: %s", snap->as.unknown_why);
	warn_overflows(snap);
	return 0;
}

int snapshot_load(const struct proc_source *src, pid_t pid,
		  struct snapshot *snap, struct load_error *error)
{
	return snapshot_load_cached(src, pid, snap, error, NULL);
}

/* Everything read before the regions: the process directory, stat (is
 * there an address space at all?), status, limits, cmdline and exe. On
 * failure *error says why and *snap is left for the caller to release. */
static int load_prelude(const struct proc_source *src, pid_t pid,
			struct snapshot *snap, struct load_error *error,
			struct proc_handle *h)
{
	struct buf b = { 0 };
	int rc;

	memset(error, 0, sizeof(*error));
	rc = snapshot_init(snap, pid);
	if (rc) {
		fail(error, LOAD_FAILED, rc, "out of memory");
		return rc;
	}
	snap->live = proc_source_is_live(src);
	if (snap->live) {
		long ps = sysconf(_SC_PAGESIZE);

		snap->page_size = ps > 0 ? (uint64_t)ps : 4096;
	}

	rc = proc_open(src, pid, h);
	if (rc) {
		if ((rc == -ENOENT || rc == -ESRCH) && h->capture)
			fail(error, LOAD_NOT_FOUND, rc, "process %d not found in %s",
			     (int)pid, src->proc_path);
		else if (rc == -ENOENT || rc == -ESRCH)
			fail(error, LOAD_NOT_FOUND, rc, "process %d not found", (int)pid);
		else
			fail(error, LOAD_FAILED, rc, "cannot open %s: %s%s", h->path,
			     errno_text(rc), access_hint(NULL, rc));
		return rc;
	}

	rc = stat_read_at(h, "stat", &snap->stat);
	if (rc) {
		if (h->capture && rc != -EINVAL)
			fail_captured_file(error, h, "stat", rc);
		else if (rc == -ESRCH || rc == -ENOENT)
			fail(error, LOAD_NOT_FOUND, rc, "process %d not found", (int)pid);
		else
			fail(error, LOAD_FAILED, rc, "cannot read %s/stat: %s", h->path,
			     rc == -EINVAL ? "malformed" : errno_text(rc));
		return rc;
	}
	if (snap->stat.flags & PF_KTHREAD_FLAG) {
		fail(error, LOAD_FAILED, -EINVAL,
		     "process %d (%s) is a kernel thread: it has no user address space",
		     (int)pid, snap->stat.comm);
		return -EINVAL;
	}
	if (snap->stat.state == 'Z' || snap->stat.state == 'X') {
		fail(error, LOAD_FAILED, -ESRCH,
		     "process %d (%s) is a zombie: its address space is already gone",
		     (int)pid, snap->stat.comm);
		return -ESRCH;
	}
	switch (snap->stat.mm_state) {
	case STAT_MM_VALID:
		snap->mm_known = true;
		break;
	case STAT_MM_MASKED:
		snapshot_warn(snap, "mm boundaries of process %d are hidden: no ptrace access to it", (int)pid);
		break;
	case STAT_MM_MISSING:
		snapshot_warn(snap, "%s/stat has no mm boundaries (kernel older than 3.5)", h->path);
		break;
	case STAT_MM_NONE:
		break;
	}

	rc = proc_read_file(h, "status", &b);
	if (!rc)
		rc = status_parse(b.data, b.len, &snap->status);
	if (!rc)
		snap->status_known = true;
	else
		snapshot_warn(snap, "cannot read %s/status: %s", h->path,
			      rc == -EINVAL ? "malformed" : errno_text(rc));

	rc = proc_read_file(h, "limits", &b);
	if (!rc && limits_parse_stack(b.data, b.len, &snap->stack_rlimit) == 0)
		snap->stack_rlimit_known = true;
	buf_release(&b);

	read_cmdline(snap, h);
	read_exe(snap, src, h);
	return 0;
}

/* What the address-space geometry is computed from, besides the regions. */
static void read_evidence(struct snapshot *snap, const struct proc_source *src,
			  const struct proc_handle *h, struct address_space_evidence *ev)
{
	int rc;

	if (!snap->arch && snap->live) {
		/* The executable was unreadable; vmmap runs on the same machine. */
		static struct utsname uts;

		if (uname(&uts) == 0)
			snap->arch = uts.machine;
	}
	ev->elf_class = snap->elf_class;
	ev->arch = snap->arch;
	ev->page_size = snap->page_size;
	rc = cpuinfo_read_flag(src, "la57");
	ev->cpu_la57 = rc >= 0 ? rc : -1;
	if (snap->live) {
		rc = pagemap_probe_task_size(h, snap->page_size, &ev->task_size);
		ev->task_size_probed = rc == 0;
	}
}

static int load_once(const struct proc_source *src, pid_t pid,
		     struct snapshot *snap, struct load_error *error,
		     struct elf_cache *cache, bool keep_torn)
{
	struct address_space_evidence ev = { .cpu_la57 = -1 };
	struct proc_handle h = { .dir_fd = -1 };
	struct smaps_fill fill = { .snap = snap, .keep_torn = keep_torn };
	unsigned long bad_line = 0;
	int rc;

	rc = load_prelude(src, pid, snap, error, &h);
	if (rc)
		goto out;

	rc = smaps_read(&h, add_smaps_region, &fill, &bad_line);
	if (rc) {
		if ((rc == -ESRCH || rc == -ENOENT) && h.capture)
			fail_captured_file(error, &h, "smaps", rc);
		else if (rc == -ESRCH || rc == -ENOENT)
			fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		else if (rc == -EINVAL)
			fail(error, LOAD_FAILED, rc, "cannot parse %s/smaps: malformed line %lu",
			     h.path, bad_line);
		else
			fail(error, LOAD_FAILED, rc, "cannot read %s/smaps: %s%s",
			     h.path, errno_text(rc), access_hint(&h, rc));
		goto out;
	}

	if (fill.dropped)
		snapshot_warn(snap, "process %d changed its mappings while being read, every "
			      "time it was read: %zu regions listed before a change were "
			      "replaced by the later records that overlap them",
			      (int)pid, fill.dropped);
	read_threads(snap, &h);

	if (!still_same_process(&h, &snap->stat)) {
		rc = -ESRCH;
		fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		goto out;
	}
	if (snap->nregions == 0) {
		/* A live process always maps something (its stack at least):
		 * an empty smaps means the mm was already released by an exit
		 * in progress (PF_EXITING) that stat does not show yet. */
		rc = -ESRCH;
		if (snap->live)
			fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		else
			fail(error, LOAD_FAILED, rc, "process %d has no memory mappings", (int)pid);
		goto out;
	}

	read_evidence(snap, src, &h, &ev);
	rc = images_group(snap);
	if (!rc) {
		read_images(snap, src, &h, cache);
		rc = snapshot_analyse(snap, &ev);
	}
	if (rc) {
		fail(error, LOAD_FAILED, rc, "out of memory");
		goto out;
	}
	warn_lost_stacks(snap);
	rc = 0;
	if (snap->live) {
		/* kept for snapshot_load_pages() and later samples */
		snap->proc = h;
		h.dir_fd = -1;
	}
out:
	proc_close(&h);
	if (rc)
		snapshot_release(snap);
	return rc;
}

/* Torn listings are rare (a region must change exactly between two reads
 * of its neighbourhood): a few more readings are enough. */
enum { LOAD_TRIES = 5 };

int snapshot_load_cached(const struct proc_source *src, pid_t pid,
			 struct snapshot *snap, struct load_error *error,
			 struct elf_cache *cache)
{
	int tries = 0, rc;

	do
		rc = load_once(src, pid, snap, error, cache, tries == LOAD_TRIES - 1);
	while (rc == -EAGAIN && ++tries < LOAD_TRIES);
	return rc;
}

/* Most runs kept per region: a sparse 64 GiB heap touched every other page
 * must not make the JSON document gigabytes long. */
enum { MAX_RUNS_PER_REGION = 4096 };

struct pfn_ctx {
	struct kpage *kp;	/* NULL once a lookup failed */
	struct kpage_counts *c;
	struct snapshot *snap;
	const struct zoneinfo *zones;	/* NULL when unreadable */
	int kp_err;		/* why the lookup failed */
};

static int lookup_pfns(void *ctx, const uint64_t *pfns, size_t n)
{
	struct pfn_ctx *pc = ctx;
	struct snapshot *s = pc->snap;
	size_t i, k;
	int rc;

	for (i = 0; i < n; i++) {
		uint64_t phys = pfns[i] * s->page_size;
		long z = pc->zones ? zoneinfo_find_pfn(pc->zones, pfns[i]) : -1;

		if (z >= 0)
			s->phys_zone_bytes[z] += s->page_size;
		for (k = 0; k < s->nphys_ram; k++)
			if (phys >= s->phys_ram_range[k][0] && phys <= s->phys_ram_range[k][1]) {
				s->phys_ram_bytes[k] += s->page_size;
				break;
			}
	}
	if (!pc->kp)
		return 0;
	rc = kpage_add(pc->kp, pfns, n, pc->c);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		pc->kp_err = rc;
		pc->kp = NULL;
	}
	return 0;
}

/* The zones and System RAM ranges resident pages are tallied into. */
static int phys_setup(const struct proc_source *src, struct snapshot *snap,
		      struct zoneinfo *zi)
{
	struct iomem io = { 0 };
	size_t i, k = 0;

	if (zoneinfo_read(src, zi) == 0 && zi->count) {
		snap->phys_zone_names = calloc(zi->count, sizeof(*snap->phys_zone_names));
		snap->phys_zone_bytes = calloc(zi->count, sizeof(*snap->phys_zone_bytes));
		if (!snap->phys_zone_names || !snap->phys_zone_bytes)
			return -ENOMEM;
		for (i = 0; i < zi->count; i++)
			snprintf(snap->phys_zone_names[i], sizeof(snap->phys_zone_names[i]),
				 "Node %d %s", zi->zones[i].node, zi->zones[i].name);
		snap->nphys_zones = zi->count;
	}
	if (iomem_read(src, &io) == 0 && !io.addresses_hidden) {
		snap->phys_ram_range = calloc(io.count ? io.count : 1, sizeof(*snap->phys_ram_range));
		snap->phys_ram_bytes = calloc(io.count ? io.count : 1, sizeof(*snap->phys_ram_bytes));
		if (!snap->phys_ram_range || !snap->phys_ram_bytes) {
			iomem_release(&io);
			return -ENOMEM;
		}
		for (i = 0; i < io.count; i++)
			if (io.res[i].depth == 0 && strcmp(io.res[i].name, "System RAM") == 0) {
				snap->phys_ram_range[k][0] = io.res[i].start;
				snap->phys_ram_range[k][1] = io.res[i].end;
				k++;
			}
		snap->nphys_ram = k;
	}
	iomem_release(&io);
	return 0;
}

/* Whether r has pagemap entries: pagemap ends at the task size, so
 * [vsyscall] is not in it. */
static bool pageable(const struct snapshot *snap, const struct region *r)
{
	return r->name_kind != MAPS_NAME_VSYSCALL &&
	       !(snap->as.task_size_known && r->start >= snap->as.task_size);
}

static uint64_t pageable_end(const struct snapshot *snap, const struct region *r)
{
	if (snap->as.task_size_known && r->end > snap->as.task_size)
		return snap->as.task_size;
	return r->end;
}

/* Unmapped pages between two regions that one pagemap read may still
 * span: their entries are zeros the kernel writes cheaply. */
enum { READ_AHEAD_GAP_PAGES = 16 };

/* How far the pagemap read for region i may reach ahead: over the regions
 * after it that are close enough, within one read's worth of pages. Sets
 * *next to the first region after them. */
static uint64_t read_ahead_end(const struct snapshot *snap, size_t i, size_t *next)
{
	const struct region *first = &snap->regions[i];
	uint64_t limit = (uint64_t)PAGEMAP_WINDOW_PAGES * snap->page_size;
	uint64_t end = pageable_end(snap, first);
	size_t j = i + 1;

	for (; j < snap->nregions; j++) {
		const struct region *r = &snap->regions[j];

		if (!pageable(snap, r) || r->start < end ||
		    r->start - end > READ_AHEAD_GAP_PAGES * snap->page_size ||
		    pageable_end(snap, r) - first->start > limit)
			break;
		end = pageable_end(snap, r);
	}
	*next = j;
	return end;
}

/* Runs per block: a region's runs are kept together, so at least as many
 * as one region keeps. */
enum { RUN_BLOCK = 4 * MAX_RUNS_PER_REGION };

static int keep_runs(struct snapshot *snap, struct region_pages *rp,
		     const struct page_scan *ps)
{
	struct page_run *dst;

	if (!ps->nruns)
		return 0;
	if (!snap->nrun_blocks || snap->run_block_used + ps->nruns > RUN_BLOCK) {
		struct page_run **v = realloc(snap->run_blocks,
					      (snap->nrun_blocks + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		snap->run_blocks = v;
		v[snap->nrun_blocks] = malloc(RUN_BLOCK * sizeof(**v));
		if (!v[snap->nrun_blocks])
			return -ENOMEM;
		snap->nrun_blocks++;
		snap->run_block_used = 0;
	}
	dst = snap->run_blocks[snap->nrun_blocks - 1] + snap->run_block_used;
	memcpy(dst, ps->runs, ps->nruns * sizeof(*dst));
	rp->runs = dst;
	rp->run_count = (uint32_t)ps->nruns;
	snap->run_block_used += ps->nruns;
	return 0;
}

/* Reading the page states of a snapshot's regions in address order: all
 * at once (read_pages()), or in a thread of its own while the pipelined
 * load prints the regions already read (page_reader_start()). */
struct page_reader {
	const struct proc_source *src;
	const struct proc_handle *h;
	struct snapshot *snap;
	struct pagemap pm;
	struct kpage kp;
	struct zoneinfo zi;
	struct pfn_ctx pc;
	bool use_kpf;		/* PFNs are looked up in kpageflags */
	size_t next;		/* the next region to read */
	size_t kpf_done;	/* regions whose PFNs were all looked up */
	size_t ahead_next;	/* the region after the read-ahead stretch */
	uint64_t ahead;		/* where that stretch ends */
	int err;		/* why reading pagemap stopped, or 0 */
	bool pfn_hidden;	/* pagemap showed PFN 0 for present pages */

	/* the thread: it writes only the page states (snap->pages, the run
	 * blocks, phys_*), and the caller reads those of a region only
	 * once it is published */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t progress;
	size_t published;	/* regions done; under lock, as are the rest */
	bool finished;
	bool stop;		/* the caller gave up on the load */
	int thread_rc;
};

/* Wait for the thread to return, telling it to stop first when stop. */
static void page_reader_join(struct page_reader *pr, bool stop)
{
	if (!pr->threaded)
		return;
	if (stop) {
		pthread_mutex_lock(&pr->lock);
		pr->stop = true;
		pthread_mutex_unlock(&pr->lock);
	}
	pthread_join(pr->thread, NULL);
	pthread_mutex_destroy(&pr->lock);
	pthread_cond_destroy(&pr->progress);
	pr->threaded = false;
}

static void page_reader_close(struct page_reader *pr)
{
	page_reader_join(pr, true);
	kpage_close(&pr->kp);
	pagemap_close(&pr->pm);
	zoneinfo_release(&pr->zi);
}

/* Open what the page states are read from and give every region unknown
 * ones. What cannot be opened is warned about and left unknown. Returns
 * 0, -ENOMEM, or -ESRCH when the process is gone; release with
 * page_reader_end() or page_reader_close(). */
static int page_reader_begin(struct page_reader *pr, const struct proc_source *src,
			     struct snapshot *snap, const struct proc_handle *h)
{
	int rc;

	memset(pr, 0, sizeof(*pr));
	pr->src = src;
	pr->h = h;
	pr->snap = snap;
	pr->pm.fd = pr->kp.flags_fd = pr->kp.count_fd = -1;
	snap->pages = calloc(snap->nregions ? snap->nregions : 1, sizeof(*snap->pages));
	if (!snap->pages)
		return -ENOMEM;
	rc = pagemap_open(h, snap->page_size, &pr->pm);
	if (rc) {
		pr->next = pr->kpf_done = snap->nregions;	/* nothing to read */
		if (rc == -ESRCH || rc == -ENOENT)
			return -ESRCH;
		snapshot_warn(snap, "page states unknown: cannot open %s/pagemap: %s%s",
			      h->path, errno_text(rc), access_hint(h, rc));
		return 0;
	}
	snap->pages_method = pr->pm.method == PAGEMAP_PREAD ? "pagemap read" : "PAGEMAP_SCAN";
	rc = kpage_open(src, &pr->kp);
	pr->use_kpf = rc == 0;
	if (!pr->use_kpf) {
		snapshot_warn(snap, "physical page flags unknown: cannot open %s/kpageflags: %s (root only)",
			      src->proc_path, errno_text(rc));
		return 0;
	}
	snap->pages_method = "pagemap read";	/* the only way to PFNs */
	pr->pc = (struct pfn_ctx){ &pr->kp, NULL, snap, NULL, 0 };
	rc = phys_setup(src, snap, &pr->zi);
	if (snap->nphys_zones)
		pr->pc.zones = &pr->zi;
	return rc;
}

/* Read the page states of the regions before upto, with their physical
 * tallies complete. Returns 0 or -ENOMEM; a failed read stops the reading
 * (page_reader_end() says so). */
static int page_reader_upto(struct page_reader *pr, struct snapshot *snap, size_t upto)
{
	int rc = 0;

	for (; pr->next < upto && !pr->err; pr->next++) {
		struct region *r = &snap->regions[pr->next];
		struct region_pages *rp = &snap->pages[pr->next];
		struct page_scan ps;
		uint64_t end;

		if (!pageable(snap, r))
			continue;
		end = pageable_end(snap, r);
		if (pr->next >= pr->ahead_next)
			pr->ahead = read_ahead_end(snap, pr->next, &pr->ahead_next);
		page_scan_init(&ps, MAX_RUNS_PER_REGION);
		if (pr->use_kpf) {
			pr->pc.c = &rp->kpf;
			rc = pagemap_scan_range_pfns(&pr->pm, r->start, end, pr->ahead, &ps,
						     lookup_pfns, &pr->pc);
			if (!rc && ps.counts.present && !ps.pfn_visible) {
				/* PFNs are zeroed without CAP_SYS_ADMIN */
				pr->use_kpf = false;
				pr->pfn_hidden = true;
				memset(&rp->kpf, 0, sizeof(rp->kpf));
			}
			rp->kpf_known = pr->use_kpf;
		} else {
			rc = pagemap_scan_range(&pr->pm, r->start, end, pr->ahead, &ps);
		}
		if (!rc) {
			rp->known = true;
			rp->counts = ps.counts;
			rp->runs_truncated = ps.runs_truncated;
			rc = keep_runs(snap, rp, &ps);
		}
		page_scan_release(&ps);
		if (rc == -ENOMEM)
			return rc;
		pr->err = rc;
	}
	if (pr->use_kpf && pr->pc.kp) {
		rc = kpage_flush(&pr->kp);
		if (rc) {
			pr->pc.kp_err = rc;
			pr->pc.kp = NULL;
		}
	}
	if (pr->pc.kp)
		pr->kpf_done = pr->next;
	return 0;
}

/* Regions a thread reads before it publishes them. */
enum { PAGE_STRETCH = 512 };

static void *page_thread(void *arg)
{
	struct page_reader *pr = arg;
	size_t n = pr->snap->nregions;
	bool stop = false;
	int rc = 0;

	while (!rc && !stop && pr->next < n && !pr->err) {
		size_t upto = n - pr->next > PAGE_STRETCH ? pr->next + PAGE_STRETCH : n;

		rc = page_reader_upto(pr, pr->snap, upto);
		pthread_mutex_lock(&pr->lock);
		pr->published = pr->err ? n : pr->next;
		pr->thread_rc = rc;
		stop = pr->stop;
		pthread_cond_broadcast(&pr->progress);
		pthread_mutex_unlock(&pr->lock);
	}
	pthread_mutex_lock(&pr->lock);
	pr->finished = true;
	pthread_cond_broadcast(&pr->progress);
	pthread_mutex_unlock(&pr->lock);
	return NULL;
}

/* Go on reading in a thread of its own, so that the page tables are read
 * while the caller prints and the other thread reads smaps. Without a
 * thread page_reader_wait() reads them itself. */
static void page_reader_start(struct page_reader *pr)
{
	if (pthread_mutex_init(&pr->lock, NULL))
		return;
	if (pthread_cond_init(&pr->progress, NULL)) {
		pthread_mutex_destroy(&pr->lock);
		return;
	}
	if (pthread_create(&pr->thread, NULL, page_thread, pr)) {
		pthread_cond_destroy(&pr->progress);
		pthread_mutex_destroy(&pr->lock);
		return;
	}
	pr->threaded = true;
}

/* Wait until the regions before upto are read (or read them). Returns 0
 * or -ENOMEM. */
static int page_reader_wait(struct page_reader *pr, size_t upto)
{
	int rc;

	if (!pr->threaded)
		return page_reader_upto(pr, pr->snap, upto);
	pthread_mutex_lock(&pr->lock);
	while (pr->published < upto && !pr->finished)
		pthread_cond_wait(&pr->progress, &pr->lock);
	rc = pr->thread_rc;
	pthread_mutex_unlock(&pr->lock);
	return rc;
}

/* How many of a region's pages are in huge pages, when PAGEMAP_SCAN did
 * not say (the pagemap read path cannot): from kpageflags when they were
 * read, else from smaps's resident THP and hugetlb sizes. Unknown only
 * when no source knows. */
static void fill_huge_pages(const struct snapshot *snap, const struct region *r,
			    struct region_pages *rp)
{
	static const enum smaps_field huge_fields[] = {
		SMAPS_ANON_HUGE, SMAPS_SHMEM_PMD, SMAPS_FILE_PMD,
		SMAPS_SHARED_HUGETLB, SMAPS_PRIVATE_HUGETLB,
	};
	const struct smaps_counters *c = &r->counters;
	uint64_t bytes = 0;
	size_t k;

	if (!rp->known || rp->counts.huge_known)
		return;
	if (rp->kpf_known) {
		rp->counts.huge = rp->kpf.huge;
		rp->counts.huge_known = true;
		return;
	}
	/* FilePmdMapped is newer (5.4) than file THP's absence before it */
	if (!snap->page_size || !smaps_has(c, SMAPS_ANON_HUGE) ||
	    !smaps_has(c, SMAPS_SHMEM_PMD) || !smaps_has(c, SMAPS_SHARED_HUGETLB) ||
	    !smaps_has(c, SMAPS_PRIVATE_HUGETLB))
		return;
	for (k = 0; k < sizeof(huge_fields) / sizeof(huge_fields[0]); k++)
		if (smaps_has(c, huge_fields[k]) &&
		    __builtin_add_overflow(bytes, c->v[huge_fields[k]], &bytes))
			return;
	rp->counts.huge = bytes / snap->page_size;
	rp->counts.huge_known = true;
}

/* Read the rest, say what was not read, and close. Returns 0 or -ENOMEM. */
static int page_reader_end(struct page_reader *pr, struct snapshot *snap)
{
	size_t i;
	int rc = page_reader_wait(pr, snap->nregions);

	page_reader_join(pr, false);

	/* the zones' tallies hold only if every region's PFNs were seen */
	snap->phys_known = pr->use_kpf && !pr->err && !rc;
	if (pr->pfn_hidden)
		snapshot_warn(snap, "physical page flags unknown: pagemap hides page frame numbers without CAP_SYS_ADMIN");
	if (pr->use_kpf && !pr->pc.kp) {
		/* the regions from the failed lookup on lack some pages */
		for (i = pr->kpf_done; i < snap->nregions; i++)
			snap->pages[i].kpf_known = false;
		snapshot_warn(snap, "physical page flags unknown for some regions: reading %s/kpageflags failed: %s",
			      pr->src->proc_path, errno_text(pr->pc.kp_err));
	}
	if (pr->err)
		snapshot_warn(snap, "page states incomplete: reading %s/pagemap failed: %s",
			      pr->h->path, errno_text(pr->err));
	page_reader_close(pr);
	for (i = 0; i < snap->nregions; i++)
		fill_huge_pages(snap, &snap->regions[i], &snap->pages[i]);
	return rc;
}

/* Read the page states of every region through h (see
 * snapshot_load_pages(), which also checks the process is still the one
 * loaded). What cannot be read stays unknown, with a warning. Returns 0,
 * -ENOMEM, or -ESRCH when the process is gone. */
static int read_pages(const struct proc_source *src, struct snapshot *snap,
		      const struct proc_handle *h)
{
	struct page_reader pr;
	int rc = page_reader_begin(&pr, src, snap, h);

	if (rc) {
		page_reader_close(&pr);
		return rc;
	}
	return page_reader_end(&pr, snap);
}

/* ---- the pipelined load --------------------------------------------------
 *
 * For a large process nearly all of a sequential load is the kernel writing
 * smaps. The pipelined load has a second thread read smaps while this one
 * reads maps (the same regions without counters, a tenth of the kernel's
 * work), reads the ELF images, classifies, and hands the regions to a sink
 * as their smaps blocks arrive. It is speculation checked twice: every smaps
 * header must equal the maps line it fills, and once all counters are in the
 * classification is run again and must agree with the one the sink saw
 * (VmFlags, only in smaps, can change a kind). When either check fails, the
 * sink's output is void and the load is redone sequentially or the report
 * printed from the final snapshot.
 */

enum {
	PIPE_CHUNK = 256 * 1024,	/* as smaps_read() */
	PIPE_CHUNKS = 48,		/* at most 12 MiB read ahead */
};

struct pipe_fill {
	struct snapshot *snap;
	size_t next;		/* region the next smaps block must describe */
	bool mismatch;
};

static bool same_region(const struct snapshot *s, const struct region *r,
			const struct maps_entry *m)
{
	const char *path = region_path(s, r);

	return r->start == m->start && r->end == m->end && r->offset == m->offset &&
	       r->inode == m->inode && r->dev_major == m->dev_major &&
	       r->dev_minor == m->dev_minor && r->perms == m->perms &&
	       r->name_kind == m->name_kind &&
	       !!(r->flags & REGION_DELETED) == m->deleted &&
	       strcmp(path ? path : "", m->name) == 0;
}

static int fill_smaps_region(void *ctx, const struct smaps_entry *e)
{
	struct pipe_fill *f = ctx;
	struct region *r;

	if (f->next >= f->snap->nregions ||
	    !same_region(f->snap, &f->snap->regions[f->next], &e->map)) {
		f->mismatch = true;
		return -ESTALE;
	}
	r = &f->snap->regions[f->next++];
	r->counters = e->counters;
	if (e->has_vm_flags) {
		r->flags |= REGION_HAS_VMFLAGS;
		r->vm_flags = e->vm_flags;
	}
	return 0;
}

static int add_maps_region(void *ctx, const struct maps_entry *m)
{
	int rc = check_order(ctx, m);

	return rc ? rc : snapshot_add_region(ctx, m, NULL, 0, false);
}

/* The regions from maps, without counters. Returns 0 or -errno. */
static int read_maps(struct snapshot *snap, const struct proc_handle *h)
{
	return maps_read(h, add_maps_region, snap, NULL);
}

/* What classification decided for one region, to compare two runs. */
struct verdict {
	uint32_t detail;
	uint32_t image;
	int32_t tid;
	uint8_t kind;
};

static struct verdict *save_verdicts(const struct snapshot *s, long **stacks)
{
	struct verdict *v = malloc((s->nregions ? s->nregions : 1) * sizeof(*v));
	size_t i;

	*stacks = malloc((s->nthreads ? s->nthreads : 1) * sizeof(**stacks));
	if (!v || !*stacks) {
		free(v);
		free(*stacks);
		*stacks = NULL;
		return NULL;
	}
	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];

		v[i] = (struct verdict){ .detail = r->detail, .image = r->image,
					 .tid = r->tid, .kind = r->kind };
	}
	for (i = 0; i < s->nthreads; i++)
		(*stacks)[i] = s->threads[i].stack;
	return v;
}

static bool same_verdicts(const struct snapshot *s, const struct verdict *v,
			  const long *stacks)
{
	size_t i;

	for (i = 0; i < s->nthreads; i++)
		if (s->threads[i].stack != stacks[i])
			return false;
	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];

		if (r->kind != v[i].kind || r->tid != v[i].tid || r->image != v[i].image ||
		    strcmp(strpool_get(&s->pool, r->detail),
			   strpool_get(&s->pool, v[i].detail)) != 0)
			return false;
	}
	return true;
}

/* Drop warnings [from, to), keeping those after them. */
static void drop_warnings(struct snapshot *snap, size_t from, size_t to)
{
	size_t i;

	if (from >= to)
		return;	/* the list may be NULL */
	for (i = from; i < to; i++)
		free(snap->warnings[i]);
	memmove(snap->warnings + from, snap->warnings + to,
		(snap->nwarnings - to) * sizeof(*snap->warnings));
	snap->nwarnings -= to - from;
}

/* Move the n warnings at from to the end of the list, in their order. */
static void warnings_to_end(struct snapshot *snap, size_t from, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		char *w = snap->warnings[from];

		memmove(snap->warnings + from, snap->warnings + from + 1,
			(snap->nwarnings - from - 1) * sizeof(*snap->warnings));
		snap->warnings[snap->nwarnings - 1] = w;
	}
}

int snapshot_load_with_pages(const struct proc_source *src, pid_t pid,
			     struct snapshot *snap, struct load_error *error,
			     bool pages)
{
	int rc = snapshot_load(src, pid, snap, error);

	if (rc || !pages)
		return rc;
	rc = snapshot_load_pages(src, snap);
	if (rc) {
		fail(error, LOAD_FAILED, rc, rc == -ESRCH ?
		     "process %d exited while being read" :
		     "out of memory reading the page tables of %d", (int)pid);
		snapshot_release(snap);
	}
	return rc;
}

int snapshot_load_streamed(const struct proc_source *src, pid_t pid,
			   struct snapshot *snap, struct load_error *error,
			   const struct snapshot_sink *sink, bool *streamed)
{
	struct address_space_evidence ev = { .cpu_la57 = -1 };
	struct proc_handle h = { .dir_fd = -1 };
	struct pipe_fill fill = { .snap = snap };
	struct smaps_parser parser;
	struct smaps_batcher batcher;
	struct prefetch_work work = {
		.fn = smaps_batch_chunk, .free_state = smaps_batch_free, .ctx = &batcher,
	};
	/* Where smaps is parsed, measured at 60,000 regions: the caller's
	 * thread keeps up with the kernel's smaps and parses it too, leaving
	 * the reader only the kernel's work; with the page tables' thread
	 * sharing the two CPUs, the reader has the slack. */
	bool in_reader = sink && sink->pages;
	struct page_reader pr;
	bool reading_pages = false;
	struct prefetch *pf = NULL;
	struct verdict *c0 = NULL;
	long *c0_stacks = NULL;
	size_t nwarnings = 0, analysed = 0, page_warnings = 0, emitted = 0;
	int want = 0, rc;

	*streamed = false;
	if (!proc_source_is_live(src) || !sink)
		return snapshot_load_with_pages(src, pid, snap, error, sink && sink->pages);
	smaps_batcher_init(&batcher);
	smaps_parser_init(&parser, fill_smaps_region, &fill);

	rc = load_prelude(src, pid, snap, error, &h);
	if (rc)
		goto out;
	/* Anything unexpected from here on (a read error, a malformed line,
	 * a process that changed) is left to the sequential load, which
	 * reads everything again and explains it. */
	if (prefetch_start_work(proc_openat(&h, "smaps"), PIPE_CHUNK, PIPE_CHUNKS,
				in_reader ? &work : NULL, &pf) ||
	    read_maps(snap, &h) || snap->nregions == 0)
		goto sequential;
	read_threads(snap, &h);
	read_evidence(snap, src, &h, &ev);
	rc = images_group(snap);
	if (rc)
		goto oom;
	read_images(snap, src, &h, NULL);
	nwarnings = snap->nwarnings;
	rc = snapshot_analyse(snap, &ev);
	if (rc)
		goto oom;
	c0 = save_verdicts(snap, &c0_stacks);
	if (!c0)
		goto oom;
	analysed = snap->nwarnings;
	if (sink->pages) {
		/* in a third thread: the sink prints each stretch of regions
		 * once both their smaps blocks and their page states are in */
		rc = page_reader_begin(&pr, src, snap, &h);
		reading_pages = true;
		if (rc == -ENOMEM)
			goto oom;
		if (rc) {
			fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
			goto out;
		}
		page_reader_start(&pr);
	}

	want = sink->begin(sink->ctx, snap);
	if (want < 0) {
		rc = want;
		fail(error, LOAD_FAILED, rc, "cannot print the report of %d: %s",
		     (int)pid, errno_text(rc));
		goto out;
	}
	for (;;) {
		const struct smaps_batch *batch;
		const char *data;
		size_t len, i;
		void *state;
		bool end;

		if (in_reader) {
			rc = prefetch_next_work(pf, &state);
			if (rc < 0)
				goto sequential;
			end = rc == 0;
			batch = state;
			for (i = 0; !end && i < batch->n; i++)
				if (fill_smaps_region(&fill, &batch->entries[i]))
					goto sequential;
		} else {
			if (prefetch_next(pf, &data, &len))
				goto sequential;
			end = len == 0;
			if (end ? smaps_parser_finish(&parser)
				: smaps_parser_feed(&parser, data, len))
				goto sequential;
		}
		if (reading_pages && fill.next > emitted) {
			rc = page_reader_wait(&pr, fill.next);
			if (rc)
				goto oom;
			for (i = emitted; i < fill.next; i++)
				fill_huge_pages(snap, &snap->regions[i], &snap->pages[i]);
		}
		if (want && fill.next > emitted) {
			rc = sink->regions(sink->ctx, snap, emitted, fill.next);
			if (rc) {
				fail(error, LOAD_FAILED, rc, "cannot print the report of %d: %s",
				     (int)pid, errno_text(rc));
				goto out;
			}
		}
		emitted = fill.next;
		if (end)
			break;
	}
	if (fill.next != snap->nregions)
		goto sequential;
	prefetch_stop(pf);
	pf = NULL;
	if (reading_pages) {
		reading_pages = false;
		rc = page_reader_end(&pr, snap);
		if (rc)
			goto oom;
		page_warnings = snap->nwarnings - analysed;
	}

	if (!still_same_process(&h, &snap->stat)) {
		rc = -ESRCH;
		fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		goto out;
	}
	/* again, now with the counters and VmFlags; the page states' warnings
	 * stay, last as after a sequential load */
	drop_warnings(snap, nwarnings, analysed);
	rc = snapshot_analyse(snap, &ev);
	if (rc)
		goto oom;
	warn_lost_stacks(snap);
	warnings_to_end(snap, nwarnings, page_warnings);
	*streamed = want > 0 && same_verdicts(snap, c0, c0_stacks);
	snap->proc = h;
	h.dir_fd = -1;
	rc = 0;
	goto out;

oom:
	fail(error, LOAD_FAILED, rc, "out of memory");
	goto out;
sequential:
	prefetch_stop(pf);
	pf = NULL;
	if (reading_pages)
		page_reader_close(&pr);
	smaps_batcher_release(&batcher);
	smaps_parser_release(&parser);
	proc_close(&h);
	snapshot_release(snap);
	free(c0);
	free(c0_stacks);
	return snapshot_load_with_pages(src, pid, snap, error, sink->pages);
out:
	prefetch_stop(pf);
	if (reading_pages)
		page_reader_close(&pr);
	smaps_batcher_release(&batcher);
	smaps_parser_release(&parser);
	free(c0);
	free(c0_stacks);
	proc_close(&h);
	if (rc)
		snapshot_release(snap);
	return rc;
}

int snapshot_load_pages(const struct proc_source *src, struct snapshot *snap)
{
	int rc;

	if (!snap->live || snap->proc.dir_fd < 0) {
		snapshot_warn(snap, "page states unknown: they are read from a live process only");
		return 0;
	}
	rc = read_pages(src, snap, &snap->proc);
	if (rc)
		return rc;
	/* pagemap reads 0 bytes once the mm is gone: make sure it was not */
	return still_same_process(&snap->proc, &snap->stat) ? 0 : -ESRCH;
}
