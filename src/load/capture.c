/* capture.c: see capture.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/skeleton.h"
#include "load/capture.h"
#include "proc/mapfile.h"
#include "proc/maps.h"
#include "proc/procfs.h"
#include "proc/task.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/text.h"

enum { COPY_CHUNK = 64 * 1024 };

/* Warnings kept at most: a process of many threads the kernel refuses
 * says the same thing for each. */
enum { CAPTURE_MAX_WARNINGS = 256 };

struct capture {
	const struct proc_source *src;
	struct proc_handle h;
	int root_fd;		/* DIR */
	int proc_fd;		/* DIR/proc/PID */
	const char *dir;	/* DIR, for messages */
	struct capture_report *rep;
};

static void warn(struct capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct capture *c, const char *fmt, ...)
{
	struct capture_report *r = c->rep;
	va_list ap;
	char *s;
	int n;

	if (r->nwarnings >= CAPTURE_MAX_WARNINGS)
		return;
	if (ARRAY_GROW(&r->warnings, &r->warnings_cap, r->nwarnings + 1, 8))
		return;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n >= 0)
		r->warnings[r->nwarnings++] = s;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Create NAME in dir_fd for writing: never an existing file, never
 * through a symlink. */
static int create_file(int dir_fd, const char *name)
{
	int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
			O_NOCTTY, 0644);

	return fd < 0 ? -errno : fd;
}

/* Make directory NAME in dir_fd (or take the one the capture made before)
 * and open it, never through a symlink. */
static int make_dir(int dir_fd, const char *name)
{
	int fd;

	if (mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Write data as the new file NAME of dir_fd. */
static int write_file(int dir_fd, const char *name, const char *data, size_t len)
{
	int fd = create_file(dir_fd, name), rc;

	if (fd < 0)
		return fd;
	rc = write_all(fd, data, len);
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

/* Copy the process's file NAME (relative to /proc/PID) to OUT_NAME (one
 * component) in out_dir, at most PROC_CAPTURE_FILE_MAX bytes: what a
 * replay takes. A file that cannot be opened is not created; one that
 * fails midway is removed. */
static int copy_file_to(struct capture *c, const char *name, int out_dir, const char *out_name)
{
	char *chunk;
	uint64_t total = 0;
	int in, out, rc = 0;

	in = proc_openat(&c->h, name);
	if (in < 0)
		return in;
	chunk = malloc(COPY_CHUNK);
	out = chunk ? create_file(out_dir, out_name) : -ENOMEM;
	if (out < 0) {
		free(chunk);
		close(in);
		return out;
	}
	for (;;) {
		ssize_t n = read(in, chunk, COPY_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > PROC_CAPTURE_FILE_MAX) {
			rc = -EFBIG;
			break;
		}
		rc = write_all(out, chunk, (size_t)n);
		if (rc)
			break;
	}
	if (close(out) < 0 && !rc)
		rc = -errno;
	if (rc)
		unlinkat(out_dir, out_name, 0);
	else
		c->rep->files++;
	free(chunk);
	close(in);
	return rc;
}

/* A file of /proc/PID to the same name in DIR/proc/PID. */
static int copy_file(struct capture *c, const char *name)
{
	return copy_file_to(c, name, c->proc_fd, name);
}

/* copy_file_to() that only warns. */
static void copy_or_warn(struct capture *c, const char *name, int out_dir, const char *out_name)
{
	int rc = copy_file_to(c, name, out_dir, out_name);

	if (rc)
		warn(c, "%s/%s left out: %s", c->h.path, name, errno_text(rc));
}

/* exe as a text file holding the link's target, " (deleted)" kept. */
static void capture_exe(struct capture *c)
{
	char *target = NULL, *line = NULL;
	int rc = proc_readlink_at(c->h.dir_fd, "exe", &target);

	if (!rc && asprintf(&line, "%s\n", target) < 0)
		rc = -ENOMEM;
	if (!rc)
		rc = write_file(c->proc_fd, "exe", line, strlen(line));
	if (rc)
		warn(c, "%s/exe left out: %s", c->h.path, errno_text(rc));
	else
		c->rep->files++;
	free(line);
	free(target);
}

/* task/TID/{stat,comm,syscall} for every thread. */
static void capture_threads(struct capture *c)
{
	static const char *const files[] = { "stat", "comm", "syscall" };
	pid_t *tids = NULL;
	size_t n = 0, i, k;
	int task_fd, rc;

	rc = task_list(&c->h, &tids, &n);
	if (rc) {
		warn(c, "%s/task left out: %s", c->h.path, errno_text(rc));
		return;
	}
	task_fd = make_dir(c->proc_fd, "task");
	if (task_fd < 0) {
		warn(c, "%s/proc/%d/task: %s", c->dir, (int)c->h.pid, errno_text(task_fd));
		free(tids);
		return;
	}
	for (i = 0; i < n; i++) {
		char tid[16], name[64];
		int tid_fd;

		snprintf(tid, sizeof(tid), "%d", (int)tids[i]);
		snprintf(name, sizeof(name), "task/%s", tid);
		tid_fd = make_dir(task_fd, tid);
		if (tid_fd < 0) {
			warn(c, "%s/%s left out: %s", c->h.path, name, errno_text(tid_fd));
			continue;
		}
		for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			snprintf(name, sizeof(name), "task/%s/%s", tid, files[k]);
			copy_or_warn(c, name, tid_fd, files[k]);
		}
		close(tid_fd);
	}
	close(task_fd);
	free(tids);
}

/* Create DIR/<path> (path as the target saw it) for writing, making its
 * directories. The path is the target's text: a component that is empty,
 * "." or ".." is refused (-EINVAL), and no component is followed if it is
 * a symlink. Returns the fd, -EEXIST when the file is there already. */
static int create_in_root(int root_fd, const char *path)
{
	char *copy = strdup(path), *p, *slash;
	int dir = root_fd, fd;

	if (!copy)
		return -ENOMEM;
	p = copy;
	while (*p == '/')
		p++;
	for (;;) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (!*p || strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
			fd = -EINVAL;
			break;
		}
		if (!slash) {
			fd = create_file(dir, p);
			break;
		}
		fd = make_dir(dir, p);
		if (dir != root_fd)
			close(dir);
		dir = fd;
		if (fd < 0)
			break;
		p = slash + 1;
	}
	if (dir >= 0 && dir != root_fd)
		close(dir);
	free(copy);
	return fd;
}

/* The skeleton of one mapped ELF file, at DIR/<path>. */
static int capture_image(struct capture *c, const struct maps_entry *e)
{
	struct mapped_file_id id = {
		.start = e->start, .end = e->end, .path = e->name,
		.dev_major = e->dev_major, .dev_minor = e->dev_minor, .inode = e->inode,
	};
	enum mapfile_method method;
	struct buf b = { 0 };
	char why[128] = "";
	int in, out, rc;

	out = create_in_root(c->root_fd, e->name);
	if (out == -EEXIST)
		return 0;	/* another range of the same file */
	if (out < 0) {
		warn(c, "the ELF headers of %s left out: %s", e->name, errno_text(out));
		return 0;
	}
	in = mapfile_open(c->src, &c->h, &id, &method);
	rc = in < 0 ? in : elf_skeleton_build(in, &b, why, sizeof(why));
	if (in >= 0)
		close(in);
	if (!rc)
		rc = write_all(out, b.data, b.len);
	if (close(out) < 0 && !rc)
		rc = -errno;
	if (rc) {
		/* an empty file would read as a broken ELF file: none is
		 * "not found", as on the machine that has no such file */
		char *rel = (char *)e->name;

		while (*rel == '/')
			rel++;
		unlinkat(c->root_fd, rel, 0);
		if (rc == -ENOEXEC)
			warn(c, "the ELF headers of %s left out: not an ELF file it can keep%s%s",
			     e->name, why[0] ? ": " : "", why);
		else
			warn(c, "the ELF headers of %s left out: %s", e->name, errno_text(rc));
	} else {
		if (why[0])
			warn(c, "the ELF headers of %s: left out %s", e->name, why);
		c->rep->images++;
	}
	buf_release(&b);
	return 0;
}

static int image_cb(void *ctx, const struct maps_entry *e)
{
	if (!(e->perms & MAPS_EXEC) || e->name_kind != MAPS_NAME_PATH || e->deleted)
		return 0;
	return capture_image(ctx, e);
}

/* The first processor's flags: what the paging-mode detection reads. */
static void capture_cpuinfo(struct capture *c, int dir_fd)
{
	struct buf b = { 0 };
	const char *line = NULL, *p;
	size_t len = 0;
	int rc = proc_source_read_file(c->src, "cpuinfo", &b);

	for (p = b.data; !rc && p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "flags", 5) == 0) {
			line = p;
			len = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
			break;
		}
	}
	if (!rc)
		rc = write_file(dir_fd, "cpuinfo", line ? line : "", len);
	if (rc)
		warn(c, "/proc/cpuinfo left out: %s", errno_text(rc));
	else
		c->rep->files++;
	buf_release(&b);
}

/* Open dir as the capture's root: made here, or an empty directory that
 * is not a symlink. */
static int open_root(const char *dir, char *why, size_t whylen)
{
	struct dirent *de;
	DIR *d;
	int fd, dup_fd;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		int err = -errno;

		snprintf(why, whylen, "cannot create %s: %s", dir, errno_text(err));
		return err;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno == ELOOP ? -ELOOP : -errno;
		struct stat st;

		if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode)) {
			snprintf(why, whylen, "%s is a symbolic link: give a directory of its own", dir);
			return -ELOOP;
		}
		snprintf(why, whylen, "cannot open %s: %s", dir, errno_text(err));
		return err;
	}
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		int err = -errno;

		if (dup_fd >= 0)
			close(dup_fd);
		close(fd);
		snprintf(why, whylen, "cannot read %s: %s", dir, errno_text(err));
		return err;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			break;
	closedir(d);
	if (de) {
		close(fd);
		snprintf(why, whylen, "%s exists and is not empty: a capture goes into a new directory",
			 dir);
		return -ENOTEMPTY;
	}
	return fd;
}

int capture_process(const struct proc_source *src, pid_t pid, const char *dir,
		    struct capture_report *rep, char *why, size_t whylen)
{
	static const char *const optional[] = {
		"smaps_rollup", "stat", "status", "cmdline", "comm", "limits",
	};
	struct capture c = { .src = src, .root_fd = -1, .proc_fd = -1, .dir = dir, .rep = rep };
	struct buf maps = { 0 };
	unsigned long bad_line = 0;
	char name[32];
	size_t i;
	int rc, proc_dir = -1;

	memset(rep, 0, sizeof(*rep));
	why[0] = '\0';
	c.h.dir_fd = -1;
	if (!proc_source_is_live(src)) {
		snprintf(why, whylen, "a capture is taken of a live process, not of a capture");
		return -EINVAL;
	}
	rc = proc_open(src, pid, &c.h);
	if (rc) {
		if (rc == -ENOENT)
			rc = -ESRCH;
		snprintf(why, whylen, "%s: %s", c.h.path,
			 rc == -ESRCH ? "no such process" : errno_text(rc));
		return rc;
	}
	rc = open_root(dir, why, whylen);
	if (rc < 0)
		goto out;
	c.root_fd = rc;
	proc_dir = make_dir(c.root_fd, "proc");
	snprintf(name, sizeof(name), "%d", (int)pid);
	c.proc_fd = proc_dir < 0 ? proc_dir : make_dir(proc_dir, name);
	if (c.proc_fd < 0) {
		rc = c.proc_fd;
		snprintf(why, whylen, "cannot create %s/proc/%d: %s", dir, (int)pid, errno_text(rc));
		goto out;
	}

	/* maps and smaps are the capture: without them it replays nothing */
	rc = proc_read_file(&c.h, "maps", &maps);
	if (!rc)
		rc = write_file(c.proc_fd, "maps", maps.data ? maps.data : "", maps.len);
	if (rc) {
		snprintf(why, whylen, "cannot read %s/maps: %s", c.h.path, errno_text(rc));
		goto out;
	}
	rep->files++;
	rc = copy_file(&c, "smaps");
	if (rc) {
		snprintf(why, whylen, "cannot read %s/smaps: %s", c.h.path, errno_text(rc));
		goto out;
	}
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		copy_or_warn(&c, optional[i], c.proc_fd, optional[i]);
	/* only kernels with CONFIG_NUMA have it: its absence is no loss */
	rc = copy_file(&c, "numa_maps");
	if (rc && rc != -ENOENT)
		warn(&c, "%s/numa_maps left out: %s", c.h.path, errno_text(rc));
	capture_exe(&c);
	capture_threads(&c);

	/* the ELF files mapped executable (the executable, ld.so, the
	 * libraries), through map_files when allowed (the very file), else
	 * through the target's root */
	rc = maps_parse(maps.data ? maps.data : "", maps.len, image_cb, &c, &bad_line);
	if (rc)
		warn(&c, "%s/maps: line %lu: %s: the ELF files after it left out", c.h.path,
		     bad_line, errno_text(rc));
	capture_cpuinfo(&c, proc_dir);
	rc = 0;
out:
	buf_release(&maps);
	if (proc_dir >= 0)
		close(proc_dir);
	if (c.proc_fd >= 0)
		close(c.proc_fd);
	if (c.root_fd >= 0)
		close(c.root_fd);
	proc_close(&c.h);
	return rc;
}

void capture_report_release(struct capture_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nwarnings; i++)
		free(rep->warnings[i]);
	free(rep->warnings);
	memset(rep, 0, sizeof(*rep));
}
