/* task.c: thread list, cmdline, exe. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/task.h"

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The thread id a task/ entry is named after, or 0 when the name is not
 * one the kernel writes: digits without a leading zero, at most INT_MAX. A
 * capture may hold anything there ("-1", "+5", "007", "4294967295"), and
 * strtol() would take some of them for ids that are negative or already
 * listed. */
static pid_t tid_name(const char *name)
{
	long long t = 0;
	const char *p;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	for (p = name; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		t = t * 10 + (*p - '0');
		if (t > INT_MAX)
			return 0;
	}
	return (pid_t)t;
}

int task_list(const struct proc_handle *h, pid_t **tids, size_t *count)
{
	int fd = openat(h->dir_fd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t n = 0, cap = 0;
	pid_t *v = NULL;
	struct dirent *de;
	DIR *d;

	*tids = NULL;
	*count = 0;
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		int err = -errno;

		close(fd);
		return err;
	}
	errno = 0;
	while ((de = readdir(d))) {
		pid_t t = tid_name(de->d_name);

		if (t <= 0)
			continue;
		if (n == cap) {
			pid_t *nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
			cap = cap ? cap * 2 : 16;
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
