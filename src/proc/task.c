/* task.c: thread list, cmdline, exe. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/task.h"
#include "util/array.h"

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int task_parse_tid(const char *name, pid_t *tid)
{
	long v = 0;
	const char *p;

	/* The kernel writes TIDs in decimal without sign or leading zero. */
	if (*name < '1' || *name > '9')
		return -EINVAL;
	for (p = name; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT_MAX - (*p - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	*tid = (pid_t)v;
	return 0;
}

/* Is the entry a directory? d_type says so on procfs and most file
 * systems; otherwise ask, without following a symlink. */
static bool entry_is_dir(DIR *d, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

int task_list(const struct proc_handle *h, pid_t **tids, size_t *count)
{
	int fd = proc_opendir_at(h, "task");
	size_t n = 0, cap = 0;
	pid_t *v = NULL;
	struct dirent *de;
	DIR *d;

	*tids = NULL;
	*count = 0;
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int err = -errno;

		close(fd);
		return err;
	}
	errno = 0;
	while ((de = readdir(d))) {
		pid_t t;

		if (task_parse_tid(de->d_name, &t) || !entry_is_dir(d, de))
			continue;
		if (ARRAY_GROW(&v, &cap, n + 1, 16)) {
			free(v);
			closedir(d);
			return -ENOMEM;
		}
		v[n++] = t;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_pid);
	*tids = v;
	*count = n;
	return 0;
}

int cmdline_parse(const char *text, size_t len, char ***argv, size_t *argc)
{
	size_t n = 0, i, k = 0;
	char **v, *strings;

	for (i = 0; i < len; i++)
		if (text[i] == '\0')
			n++;
	if (len && text[len - 1] != '\0')
		n++;
	/* one block: pointers, then a copy of the text plus a final NUL */
	v = malloc((n + 1) * sizeof(char *) + len + 1);
	if (!v)
		return -ENOMEM;
	strings = (char *)(v + n + 1);
	memcpy(strings, text, len);
	strings[len] = '\0';
	for (i = 0; i < len; i += strlen(strings + i) + 1)
		v[k++] = strings + i;
	v[k] = NULL;
	*argv = v;
	*argc = k;
	return 0;
}

int task_read_exe(const struct proc_handle *h, char **path, int *deleted)
{
	static const char suffix[] = " (deleted)";
	size_t n, sl = sizeof(suffix) - 1;
	int rc = proc_readlink_at(h->dir_fd, "exe", path);

	*deleted = 0;
	if (rc)
		return rc;
	n = strlen(*path);
	if (n > sl && strcmp(*path + n - sl, suffix) == 0) {
		(*path)[n - sl] = '\0';
		*deleted = 1;
	}
	return 0;
}

int syscall_parse_sp(const char *text, size_t len, unsigned long long *sp)
{
	const char *tok[10];
	size_t toklen[10];
	int ntok = 0;
	const char *p = text, *end = text + len;
	char buf[32], *e;

	while (p < end && ntok < 10) {
		while (p < end && (*p == ' ' || *p == '\n'))
			p++;
		if (p >= end)
			break;
		tok[ntok] = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		toklen[ntok] = (size_t)(p - tok[ntok]);
		ntok++;
	}
	if (ntok == 1 && toklen[0] == 7 && memcmp(tok[0], "running", 7) == 0)
		return -EAGAIN;
	if (ntok != 3 && ntok != 9)
		return -EINVAL;
	if (toklen[ntok - 2] >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, tok[ntok - 2], toklen[ntok - 2]);
	buf[toklen[ntok - 2]] = '\0';
	errno = 0;
	*sp = strtoull(buf, &e, 16);
	if (errno || *e || e == buf)
		return -EINVAL;
	return *sp ? 0 : -ESRCH;
}
