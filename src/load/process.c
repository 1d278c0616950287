/* process.c: a process read through /proc, live or captured (--sysroot):
 * the source interface's implementation for both. A live process too large
 * to wait for is read by pipeline.c instead when a consumer is waiting. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "elf/elf_ident.h"
#include "load/internal.h"
#include "load/pages.h"
#include "model/images.h"
#include "proc/machine.h"
#include "proc/smaps.h"
#include "proc/stat.h"
#include "proc/status.h"
#include "proc/task.h"

/* A listing that takes several read() calls is not atomic: a region split
 * or merged between two calls can come out twice, overlapping what was
 * already listed. Live, such a torn listing is -EAGAIN, to be read again;
 * in a capture (--sysroot) it is malformed, -EINVAL. Else 0. */
int proc_check_order(const struct snapshot *snap, const struct maps_entry *m)
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
	int rc = proc_check_order(snap, &e->map);

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

bool proc_still_same(const struct proc_handle *h, const struct snapshot *snap)
{
	struct stat_info after;

	return stat_read_at(h, "stat", &after) == 0 && after.state != 'Z' &&
	       after.state != 'X' && after.starttime == snap->stat.starttime;
}

/* A file of a capture that could not be read at all. Live, ENOENT or
 * ESRCH means the process went away; a capture cannot exit, so there the
 * message names the file and says whether it is missing, empty or
 * unusable. */
static void fail_captured_file(struct load_error *error, const struct proc_handle *h,
			       const char *file, int rc)
{
	load_fail(error, LOAD_FAILED, rc, "cannot read %s/%s: %s", h->path, file,
	     rc == -ESRCH ? "the file is empty" : errno_text(rc));
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
static void read_exe(struct snapshot *snap, const struct source *src,
		     const struct proc_handle *h)
{
	struct elf_ident id;
	int deleted = 0, fd, rc;

	rc = task_read_exe(h, &snap->exe, &deleted);
	if (rc == -EINVAL && !source_is_live(src))
		rc = read_exe_text(h, &snap->exe, &deleted);
	if (rc) {
		if (rc != -ENOENT)
			snapshot_warn(snap, "cannot read %s/exe: %s%s", h->path,
				      rc == -EINVAL ? "malformed" : errno_text(rc),
				      load_access_hint(h, rc));
		return;
	}
	snap->exe_deleted = deleted;
	if (source_is_live(src))
		fd = proc_open_exe(h);
	else
		fd = proc_source_open_in_root(&src->proc, snap->exe);
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

void proc_read_threads(struct snapshot *snap, const struct proc_handle *h, bool with_sp)
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
		if (!with_sp) {
			t->sp_err = -EAGAIN;	/* as for a thread that kept running */
			snap->nthreads++;
			continue;
		}
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

int proc_read_prelude(const struct source *src, pid_t pid, struct snapshot *snap,
		      struct load_error *error, struct proc_read *pr, bool kinds_only)
{
	struct proc_handle *h = &pr->h;
	struct buf b = { 0 };
	int rc;

	snap->live = source_is_live(src);
	snap->source = source_kind_name(src);
	if (snap->live) {
		snap->read_at = (int64_t)time(NULL);
		snap->read_at_known = true;
	}
	if (snap->live) {
		long ps = sysconf(_SC_PAGESIZE);

		snap->page_size = ps > 0 ? (uint64_t)ps : 4096;
	}

	rc = proc_open(&src->proc, pid, h);
	if (rc) {
		if ((rc == -ENOENT || rc == -ESRCH) && h->capture)
			load_fail(error, LOAD_NOT_FOUND, rc, "process %d not found in %s",
			     (int)pid, src->proc.proc_path);
		else if (rc == -ENOENT || rc == -ESRCH)
			load_fail(error, LOAD_NOT_FOUND, rc, "process %d not found", (int)pid);
		else
			load_fail(error, LOAD_FAILED, rc, "cannot open %s: %s%s", h->path,
			     errno_text(rc), load_access_hint(NULL, rc));
		return rc;
	}

	rc = stat_read_at(h, "stat", &snap->stat);
	if (rc) {
		if (h->capture && rc != -EINVAL)
			fail_captured_file(error, h, "stat", rc);
		else if (rc == -ESRCH || rc == -ENOENT)
			load_fail(error, LOAD_NOT_FOUND, rc, "process %d not found", (int)pid);
		else
			load_fail(error, LOAD_FAILED, rc, "cannot read %s/stat: %s", h->path,
			     rc == -EINVAL ? "malformed" : errno_text(rc));
		return rc;
	}
	if (snap->stat.flags & PF_KTHREAD_FLAG) {
		load_fail(error, LOAD_FAILED, -EINVAL,
		     "process %d (%s) is a kernel thread: it has no user address space",
		     (int)pid, snap->stat.comm);
		return -EINVAL;
	}
	if (snap->stat.state == 'Z' || snap->stat.state == 'X') {
		load_fail(error, LOAD_FAILED, -ESRCH,
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

	/* status, the stack's limit and the arguments: for a report, not
	 * for the sums */
	if (!kinds_only) {
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
		read_cmdline(snap, h);
	}
	buf_release(&b);
	read_exe(snap, src, h);
	return 0;
}

/* uname()'s machine, read once: the machine view loads in parallel. */
static pthread_once_t this_machine_once = PTHREAD_ONCE_INIT;
static char this_machine[sizeof(((struct utsname *)0)->machine)];

static void this_machine_init(void)
{
	struct utsname uts;

	if (uname(&uts) == 0)
		snprintf(this_machine, sizeof(this_machine), "%s", uts.machine);
}

/* What the address-space geometry is computed from, besides the regions. */
void proc_read_evidence(const struct source *src, struct snapshot *snap, struct proc_read *pr)
{
	int rc;

	if (!snap->arch && snap->live) {
		/* The executable was unreadable; vmmap runs on the same machine. */
		pthread_once(&this_machine_once, this_machine_init);
		if (this_machine[0])
			snap->arch = this_machine;
	}
	pr->ev.elf_class = snap->elf_class;
	pr->ev.arch = snap->arch;
	pr->ev.page_size = snap->page_size;
	rc = cpuinfo_read_flag(&src->proc, "la57");
	pr->ev.cpu_la57 = rc >= 0 ? rc : -1;
	if (snap->live) {
		rc = pagemap_probe_task_size(&pr->h, snap->page_size, &pr->ev.task_size);
		pr->ev.task_size_probed = rc == 0;
	}
}

int proc_finish_classify(const struct source *src, struct snapshot *snap,
			 struct proc_read *pr, const struct load_request *rq,
			 struct load_error *error)
{
	int rc;

	if (!rq->kinds_only)
		proc_read_evidence(src, snap, pr);
	rc = images_group(snap);
	if (!rc) {
		load_read_images(snap, src, &pr->h, rq);
		rc = load_classify(snap, rq->kinds_only ? NULL : &pr->ev);
	}
	if (rc)
		load_fail(error, LOAD_FAILED, rc, "out of memory");
	return rc;
}

static int read_pages(const struct source *src, struct snapshot *snap)
{
	int rc;

	if (!snap->live || snap->proc.dir_fd < 0) {
		snapshot_warn(snap, "page states unknown: they are read from a live process only");
		return 0;
	}
	rc = pages_read_all(src, snap, &snap->proc);
	if (rc)
		return rc;
	/* pagemap reads 0 bytes once the mm is gone: make sure it was not */
	return proc_still_same(&snap->proc, snap) ? 0 : -ESRCH;
}

/* smaps in one pass (layout and counters together), then the threads. */
static int read_sequential(const struct source *src, pid_t pid, const struct load_request *rq,
			   bool last_try, struct snapshot *snap, struct load_error *error)
{
	struct proc_read pr = { .h = { .dir_fd = -1 }, .ev = { .cpu_la57 = -1 } };
	struct smaps_fill fill = { .snap = snap, .keep_torn = last_try };
	unsigned long bad_line = 0;
	int rc;

	rc = proc_read_prelude(src, pid, snap, error, &pr, rq->kinds_only);
	if (rc)
		goto out;

	rc = smaps_read(&pr.h, add_smaps_region, &fill, &bad_line);
	if (rc == -EAGAIN)
		goto out;	/* torn: read again */
	if (rc) {
		if ((rc == -ESRCH || rc == -ENOENT) && pr.h.capture)
			fail_captured_file(error, &pr.h, "smaps", rc);
		else if (rc == -ESRCH || rc == -ENOENT)
			load_fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		else if (rc == -EINVAL)
			load_fail(error, LOAD_FAILED, rc, "cannot parse %s/smaps: malformed line %lu",
				  pr.h.path, bad_line);
		else
			load_fail(error, LOAD_FAILED, rc, "cannot read %s/smaps: %s%s",
				  pr.h.path, errno_text(rc), load_access_hint(&pr.h, rc));
		goto out;
	}
	if (fill.dropped)
		snapshot_warn(snap, "process %d changed its mappings while being read, every "
			      "time it was read: %zu regions listed before a change were "
			      "replaced by the later records that overlap them",
			      (int)pid, fill.dropped);
	proc_read_threads(snap, &pr.h, !rq->kinds_only);

	if (!proc_still_same(&pr.h, snap)) {
		rc = -ESRCH;
		load_fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		goto out;
	}
	if (snap->nregions == 0) {
		/* A live process always maps something (its stack at least):
		 * an empty smaps means the mm was already released by an exit
		 * in progress (PF_EXITING) that stat does not show yet. */
		rc = -ESRCH;
		if (snap->live)
			load_fail(error, LOAD_FAILED, rc, "process %d exited while being read", (int)pid);
		else
			load_fail(error, LOAD_FAILED, rc, "process %d has no memory mappings", (int)pid);
		goto out;
	}

	rc = proc_finish_classify(src, snap, &pr, rq, error);
	if (!rc && rq->numa && (rc = load_read_numa(snap, &pr.h)))
		load_fail(error, LOAD_FAILED, rc, "out of memory");
	if (rc)
		goto out;
	load_account(snap);
	if (snap->live) {
		/* kept for the page states and later samples */
		snap->proc = pr.h;
		pr.h.dir_fd = -1;
	}
	if (rq->pages) {
		rc = read_pages(src, snap);
		if (rc)
			load_fail(error, LOAD_FAILED, rc, rc == -ESRCH ?
				  "process %d exited while being read" :
				  "out of memory reading the page tables of %d", (int)pid);
	}
out:
	proc_close(&pr.h);
	return rc;
}

static int proc_read(const struct source *src, pid_t pid, const struct load_request *rq,
		     unsigned int attempt, struct snapshot *snap, struct load_error *error)
{
	/* The pipelined read gives up on anything unexpected (-EAGAIN): the
	 * readings after it are sequential, and explain what went wrong. */
	if (rq->consumer && !rq->numa && source_is_live(src) && attempt == 0)
		return pipeline_read(src, pid, rq, snap, error);
	return read_sequential(src, pid, rq, attempt == LOAD_TRIES - 1, snap, error);
}

static int open_image(const struct source *src, const struct proc_handle *h,
		      const struct mapped_file_id *id)
{
	enum mapfile_method method;

	return mapfile_open(&src->proc, h, id, &method);
}

const struct source_ops proc_source_ops = {
	.read = proc_read,
	.read_pages = read_pages,
	.open_image = open_image,
};
