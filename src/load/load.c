/* load.c: the loader's entry point and what every source's read shares:
 * the retries, the classification (once per load) and the failure
 * messages. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "load/internal.h"
#include "model/analyse.h"
#include "proc/task.h"

void load_fail(struct load_error *error, enum load_failure kind, int err,
	       const char *fmt, ...)
{
	va_list ap;

	error->kind = kind;
	error->err = err;
	va_start(ap, fmt);
	vsnprintf(error->msg, sizeof(error->msg), fmt, ap);
	va_end(ap);
}

/* What to do about a denied read. h is NULL when /proc/PID itself could not
 * be opened. Being the owner does not help with a non-dumpable process, so
 * that case is named rather than sending the user to log in as themselves. */
const char *load_access_hint(const struct proc_handle *h, int err)
{
	if (err != -EACCES && err != -EPERM)
		return "";
	if (h && proc_is_nondumpable(h) == 1)
		return " (the process is not dumpable: a setuid or setgid program, or one that "
		       "turned dumping off; run as root or with CAP_SYS_PTRACE)";
	return " (run as the process's owner, as root, or with CAP_SYS_PTRACE)";
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

int load_classify(struct snapshot *snap, const struct address_space_evidence *ev)
{
	int rc = snapshot_classify_layout(snap, ev);

	if (!rc && ev)
		warn_lost_stacks(snap);
	return rc;
}

void load_account(struct snapshot *snap)
{
	snapshot_account(snap);
}

int snapshot_load(const struct source *src, pid_t pid, const struct load_request *rq,
		  struct snapshot *snap, struct load_error *error)
{
	static const struct load_request none;
	int tries, rc = 0;

	if (!rq)
		rq = &none;
	for (tries = 0; tries < LOAD_TRIES; tries++) {
		memset(error, 0, sizeof(*error));
		rc = snapshot_init(snap, pid);
		if (rc) {
			load_fail(error, LOAD_FAILED, rc, "out of memory");
			return rc;
		}
		rc = src->ops->read(src, pid, rq, (unsigned int)tries, snap, error);
		if (!rc)
			return 0;
		snapshot_release(snap);
		if (rc != -EAGAIN)
			break;
	}
	if (rc == -EAGAIN)	/* a source that tears even its last reading */
		load_fail(error, LOAD_FAILED, rc,
			  "process %d changed its mappings while being read, every time it was read",
			  (int)pid);
	return rc;
}

int snapshot_load_pages(const struct source *src, struct snapshot *snap)
{
	if (!src->ops->read_pages) {
		snapshot_warn(snap, "page states unknown: they are read from a live process only");
		return 0;
	}
	return src->ops->read_pages(src, snap);
}
