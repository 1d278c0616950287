/* pids.c: the libproc2 adapter, plus our own scan of the process
 * directories (--sysroot, and the machine view). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "proc/pids.h"
#include "proc/stat.h"
#include "proc/status.h"
#include "proc/task.h"
#include "util/array.h"

/* PIDS_VAL takes four arguments before procps-ng 4.0.5, three after. */
#ifdef HAVE_PIDS_VAL_3ARGS
#define pids_val(rel, type, stack) PIDS_VAL(rel, type, stack)
#else
#define pids_val(rel, type, stack) PIDS_VAL(rel, type, stack, info)
#endif

struct pid_vec {
	pid_t *v;
	size_t n, cap;
};

static int pid_vec_push(struct pid_vec *pv, pid_t pid)
{
	if (ARRAY_GROW(&pv->v, &pv->cap, pv->n + 1, 8))
		return -ENOMEM;
	pv->v[pv->n++] = pid;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Hand pv over sorted when rc is 0; else free it and return rc. */
static int pid_vec_finish(struct pid_vec *pv, int rc, pid_t **pids, size_t *count)
{
	if (rc) {
		free(pv->v);
		return rc;
	}
	if (pv->n)
		qsort(pv->v, pv->n, sizeof(*pv->v), cmp_pid);
	*pids = pv->v;
	*count = pv->n;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Every process (not thread) with the given items; *info is released by
 * the caller with procps_pids_unref(). Returns 0 or -errno. */
static int reap_tasks(enum pids_item *items, int n, struct pids_info **info,
		      struct pids_fetch **f)
{
	*info = NULL;
	if (procps_pids_new(info, items, n) < 0)
		return -errno ? -errno : -ENOMEM;
	*f = procps_pids_reap(*info, PIDS_FETCH_TASKS_ONLY);
	if (!*f) {
		int err = -errno ? -errno : -EIO;

		procps_pids_unref(info);
		return err;
	}
	return 0;
}

static int find_live(const char *name, struct pid_vec *out)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_CMD, PIDS_CMDLINE_V };
	enum { I_PID, I_CMD, I_ARGV };
	struct pids_info *info;
	struct pids_fetch *f;
	pid_t self = getpid();
	int i, rc;

	rc = reap_tasks(items, 3, &info, &f);
	if (rc)
		return rc;
	for (i = 0; i < f->counts->total && !rc; i++) {
		struct pids_stack *s = f->stacks[i];
		pid_t pid = pids_val(I_PID, s_int, s);
		const char *cmd = pids_val(I_CMD, str, s);
		char **argv = pids_val(I_ARGV, strv, s);

		if (pid == self)
			continue;
		if ((cmd && strcmp(cmd, name) == 0) ||
		    (argv && argv[0] && argv[0][0] &&
		     strcmp(base_name(argv[0]), name) == 0))
			rc = pid_vec_push(out, pid);
	}
	procps_pids_unref(&info);
	return rc;
}

/* Call cb with the pid of every entry of the proc root of src named as a
 * pid is (canonical decimal). Stops at the first non-zero return of cb
 * and returns it; else 0 or -errno for the root itself. */
static int for_each_pid(const struct proc_source *src,
			int (*cb)(void *ctx, pid_t pid), void *ctx)
{
	int fd = openat(src->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	int rc = 0;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		rc = -errno;
		close(fd);
		return rc;
	}
	while ((de = readdir(d)) && !rc) {
		pid_t pid;

		if (task_parse_tid(de->d_name, &pid) == 0)
			rc = cb(ctx, pid);
	}
	closedir(d);
	return rc;
}

struct dir_walk {
	const struct proc_source *src;
	int (*cb)(void *ctx, const struct proc_handle *h);
	void *ctx;
};

static int open_and_call(void *ctx, pid_t pid)
{
	struct dir_walk *w = ctx;
	struct proc_handle h;
	int rc;

	if (proc_open(w->src, pid, &h))
		return 0;	/* gone, or not a directory in a capture */
	rc = w->cb(w->ctx, &h);
	proc_close(&h);
	return rc;
}

/* for_each_pid() with each process directory open (closed after). */
static int for_each_pid_dir(const struct proc_source *src,
			    int (*cb)(void *ctx, const struct proc_handle *h), void *ctx)
{
	struct dir_walk w = { src, cb, ctx };

	return for_each_pid(src, open_and_call, &w);
}

struct find_ctx {
	const char *name;
	struct pid_vec *out;
	struct buf b;
};

static int find_one(void *ctx, const struct proc_handle *h)
{
	struct find_ctx *fc = ctx;

	if (proc_read_file(h, "comm", &fc->b) || !fc->b.len)
		return 0;
	fc->b.data[strcspn(fc->b.data, "\n")] = '\0';
	return strcmp(fc->b.data, fc->name) == 0 ? pid_vec_push(fc->out, h->pid) : 0;
}

static int find_sysroot(const struct proc_source *src, const char *name,
			struct pid_vec *out)
{
	struct find_ctx fc = { name, out, { 0 } };
	int rc = for_each_pid_dir(src, find_one, &fc);

	buf_release(&fc.b);
	return rc;
}

int pids_find_by_name(const struct proc_source *src, const char *name,
		      pid_t **pids, size_t *count)
{
	struct pid_vec pv = { 0 };
	int rc;

	rc = proc_source_is_live(src) ? find_live(name, &pv)
				      : find_sysroot(src, name, &pv);
	return pid_vec_finish(&pv, rc, pids, count);
}

/* The process picker's list. */
struct summary_vec {
	struct proc_summary *v;
	size_t n, cap;
};

static struct proc_summary *summary_vec_add(struct summary_vec *sv)
{
	if (ARRAY_GROW(&sv->v, &sv->cap, sv->n + 1, 64))
		return NULL;
	memset(&sv->v[sv->n], 0, sizeof(sv->v[0]));
	return &sv->v[sv->n++];
}

static int list_live(struct summary_vec *out)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_ID_EUSER, PIDS_CMD,
				   PIDS_VM_RSS, PIDS_FLAGS, PIDS_ID_EUID, PIDS_STATE };
	enum { I_PID, I_USER, I_CMD, I_RSS, I_FLAGS, I_UID, I_STATE };
	struct pids_info *info;
	struct pids_fetch *f;
	pid_t self = getpid();
	int i, rc;

	rc = reap_tasks(items, 7, &info, &f);
	if (rc)
		return rc;
	for (i = 0; i < f->counts->total && !rc; i++) {
		struct pids_stack *s = f->stacks[i];
		pid_t pid = pids_val(I_PID, s_int, s);
		const char *user = pids_val(I_USER, str, s);
		const char *cmd = pids_val(I_CMD, str, s);
		unsigned long flags = pids_val(I_FLAGS, ul_int, s);
		struct proc_summary *p;

		if (pid == self || (flags & PF_KTHREAD_FLAG))
			continue;
		p = summary_vec_add(out);
		if (!p) {
			rc = -ENOMEM;
			break;
		}
		p->pid = pid;
		p->state = pids_val(I_STATE, s_ch, s);
		p->uid = pids_val(I_UID, u_int, s);
		p->uid_known = true;
		snprintf(p->user, sizeof(p->user), "%s", user ? user : "?");
		snprintf(p->comm, sizeof(p->comm), "%s", cmd ? cmd : "");
		/* VmRSS in KiB; 0 also for processes whose status has none */
		p->rss = (uint64_t)pids_val(I_RSS, ul_int, s) * 1024;
		p->rss_known = true;
	}
	procps_pids_unref(&info);
	return rc;
}

/* The user's name as the password database gives it, else the number.
 * Processes come in runs of one user: the last answer is kept. */
static void user_name(struct pids_cache *cache, uid_t uid, char *out, size_t size)
{
	if (!cache->named || cache->name_uid != uid) {
		struct passwd pw, *res = NULL;
		char pwbuf[1024];

		if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
			snprintf(cache->name, sizeof(cache->name), "%s", res->pw_name);
		else
			snprintf(cache->name, sizeof(cache->name), "%u", (unsigned int)uid);
		cache->name_uid = uid;
		cache->named = true;
	}
	snprintf(out, size, "%s", cache->name);
}

/* One process's summary from its open directory: stat, then status
 * unless it is a kernel thread (counted, never shown). */
static int summary_at(const struct proc_handle *h, struct pids_cache *cache,
		      struct proc_summary *p)
{
	struct status_info st;
	struct stat_info si;
	int rc;

	rc = stat_read_at(h, "stat", &si);
	if (rc)
		return rc;
	memset(p, 0, sizeof(*p));
	p->pid = h->pid;
	p->kthread = (si.flags & PF_KTHREAD_FLAG) != 0;
	p->state = si.state;
	snprintf(p->comm, sizeof(p->comm), "%s", si.comm);
	snprintf(p->user, sizeof(p->user), "?");
	if (p->kthread)
		return 0;
	if (proc_read_file(h, "status", &cache->b) == 0 &&
	    status_parse(cache->b.data, cache->b.len, &st) == 0) {
		if (st.has_euid) {
			p->uid = st.euid;
			p->uid_known = true;
			if (!h->capture)
				user_name(cache, st.euid, p->user, sizeof(p->user));
			else
				snprintf(p->user, sizeof(p->user), "%u", (unsigned int)st.euid);
		}
		if (status_has(&st, STATUS_VM_RSS)) {
			p->rss = st.v[STATUS_VM_RSS];
			p->rss_known = true;
		}
	}
	return 0;
}

int pids_summary_read(const struct proc_source *src, pid_t pid,
		      struct pids_cache *cache, struct proc_summary *out)
{
	struct proc_handle h;
	int rc = proc_open(src, pid, &h);

	if (rc)
		return rc;
	rc = summary_at(&h, cache, out);
	proc_close(&h);
	return rc;
}

void pids_cache_release(struct pids_cache *cache)
{
	buf_release(&cache->b);
	cache->named = false;
}

struct list_ctx {
	struct summary_vec *out;
	struct pids_cache cache;
};

static int list_one(void *ctx, const struct proc_handle *h)
{
	struct list_ctx *lc = ctx;
	struct proc_summary p;

	struct proc_summary *slot;

	if (summary_at(h, &lc->cache, &p) || p.kthread)
		return 0;
	slot = summary_vec_add(lc->out);
	if (!slot)
		return -ENOMEM;
	*slot = p;
	return 0;
}

/* Under --sysroot libproc2 cannot help (it reads only the real /proc):
 * the captured process directories are read with our own parsers. */
static int list_sysroot(const struct proc_source *src, struct summary_vec *out)
{
	struct list_ctx lc = { .out = out };
	int rc = for_each_pid_dir(src, list_one, &lc);

	pids_cache_release(&lc.cache);
	return rc;
}

struct scan_ctx {
	struct pid_vec *out;
	pid_t self;		/* live: the caller, left out */
};

static int scan_one(void *ctx, pid_t pid)
{
	struct scan_ctx *sc = ctx;

	return pid != sc->self ? pid_vec_push(sc->out, pid) : 0;
}

int pids_scan(const struct proc_source *src, pid_t **pids, size_t *count)
{
	struct pid_vec pv = { 0 };
	struct scan_ctx sc = { &pv, proc_source_is_live(src) ? getpid() : -1 };

	return pid_vec_finish(&pv, for_each_pid(src, scan_one, &sc), pids, count);
}

static int cmp_summary(const void *a, const void *b)
{
	const struct proc_summary *x = a, *y = b;

	if (x->rss_known != y->rss_known)
		return x->rss_known ? -1 : 1;
	if (x->rss != y->rss)
		return x->rss > y->rss ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

int pids_list(const struct proc_source *src, struct proc_summary **list,
	      size_t *count)
{
	struct summary_vec sv = { 0 };
	int rc;

	rc = proc_source_is_live(src) ? list_live(&sv) : list_sysroot(src, &sv);
	if (rc) {
		free(sv.v);
		return rc;
	}
	if (sv.n)
		qsort(sv.v, sv.n, sizeof(*sv.v), cmp_summary);
	*list = sv.v;
	*count = sv.n;
	return 0;
}
