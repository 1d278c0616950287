/* pids.c: the libproc2 adapter, plus the --sysroot scan. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "proc/pids.h"

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
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 8;
		pid_t *nv = realloc(pv->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		pv->v = nv;
		pv->cap = cap;
	}
	pv->v[pv->n++] = pid;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int find_live(const char *name, struct pid_vec *out)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_CMD, PIDS_CMDLINE_V };
	enum { I_PID, I_CMD, I_ARGV };
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	pid_t self = getpid();
	int i, rc = 0;

	if (procps_pids_new(&info, items, 3) < 0)
		return -errno ? -errno : -ENOMEM;
	f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!f) {
		procps_pids_unref(&info);
		return -errno ? -errno : -EIO;
	}
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

static int find_sysroot(const struct proc_source *src, const char *name,
			struct pid_vec *out)
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
		char path[300], comm[80];
		char *e;
		long pid = strtol(de->d_name, &e, 10);
		ssize_t n;
		int cfd;

		if (*e || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/comm", de->d_name);
		cfd = openat(src->proc_fd, path, O_RDONLY | O_CLOEXEC);
		if (cfd < 0)
			continue;
		n = read(cfd, comm, sizeof(comm) - 1);
		close(cfd);
		if (n <= 0)
			continue;
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, name) == 0)
			rc = pid_vec_push(out, (pid_t)pid);
	}
	closedir(d);
	return rc;
}

int pids_find_by_name(const struct proc_source *src, const char *name,
		      pid_t **pids, size_t *count)
{
	struct pid_vec pv = { 0 };
	int rc;

	rc = proc_source_is_live(src) ? find_live(name, &pv)
				      : find_sysroot(src, name, &pv);
	if (rc) {
		free(pv.v);
		return rc;
	}
	if (pv.n)
		qsort(pv.v, pv.n, sizeof(*pv.v), cmp_pid);
	*pids = pv.v;
	*count = pv.n;
	return 0;
}
