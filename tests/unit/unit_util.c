/* unit_util.c: helpers shared by the Check suites. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/maps.h"
#include "util/array.h"
#include "unit_util.h"

char *util_read_file(const char *path, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *data = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "cannot open %s: %s", path, strerror(errno));
	ck_assert_ptr_nonnull(data);
	for (;;) {
		ssize_t r;

		ck_assert_int_eq(ARRAY_GROW(&data, &cap, n + 2, 0), 0);
		r = read(fd, data + n, cap - n - 1);
		ck_assert_msg(r >= 0, "cannot read %s: %s", path, strerror(errno));
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	data[n] = '\0';
	*len = n;
	return data;
}

pid_t util_fixture_pid(const char *name)
{
	char path[4096];
	struct dirent *de;
	long best = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s/proc", FIXTURES, name);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *e;
		long v = strtol(de->d_name, &e, 10);

		if (*e || v <= 0 || de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (!best || v < best)
			best = v;
	}
	closedir(d);
	return (pid_t)best;
}

char *util_fixture_path(const char *name, pid_t pid, const char *file)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s/proc/%d/%s", FIXTURES, name,
				  (int)pid, file), 0);
	return p;
}

char *util_fixture_dir(const char *name)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", FIXTURES, name), 0);
	return p;
}

char *util_fixture_read(const char *name, const char *file, size_t *len)
{
	pid_t pid = util_fixture_pid(name);
	char *path, *text;

	ck_assert_msg(pid > 0, "fixture %s has no proc/PID directory", name);
	path = util_fixture_path(name, pid, file);
	text = util_read_file(path, len);
	free(path);
	return text;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **util_fixture_cases(void)
{
	char **list = calloc(64, sizeof(*list));
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(FIXTURES);

	ck_assert_ptr_nonnull(list);
	ck_assert_msg(d != NULL, "cannot open %s", FIXTURES);
	while ((de = readdir(d)) && n < 63) {
		pid_t pid;
		char *smaps;

		if (de->d_name[0] == '.')
			continue;
		pid = util_fixture_pid(de->d_name);
		if (!pid)
			continue;
		smaps = util_fixture_path(de->d_name, pid, "smaps");
		if (access(smaps, R_OK) == 0)
			list[n++] = strdup(de->d_name);
		free(smaps);
	}
	closedir(d);
	qsort(list, n, sizeof(*list), cmp_str);
	return list;
}

void util_free_list(char **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

size_t util_count_lines(const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	if (len && text[len - 1] != '\n')
		n++;
	return n;
}

size_t util_add_region(struct snapshot *snap, const char *line,
		       const char *vmflags, const struct smaps_counters *c)
{
	size_t len = strlen(line);
	char *namebuf = malloc(len + 1);
	struct maps_entry m;
	uint64_t flags = 0;
	bool has_flags = false;
	int rc;

	ck_assert_ptr_nonnull(namebuf);
	rc = maps_parse_line(line, len, &m, namebuf, len + 1);
	ck_assert_msg(rc == 0, "maps_parse_line(\"%s\") = %d", line, rc);
	if (vmflags) {
		char *kl;
		struct smaps_counters dummy = { 0 };

		ck_assert_int_ge(asprintf(&kl, "VmFlags: %s", vmflags), 0);
		rc = smaps_parse_key_line(kl, strlen(kl), &dummy, &flags, &has_flags);
		ck_assert_int_eq(rc, 0);
		ck_assert(has_flags);
		free(kl);
	}
	rc = snapshot_add_region(snap, &m, c, flags, has_flags);
	ck_assert_int_eq(rc, 0);
	free(namebuf);
	return snap->nregions - 1;
}

void util_set_counter(struct smaps_counters *c, enum smaps_field f, uint64_t v)
{
	c->v[f] = v;
	c->present |= 1u << f;
}

int util_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
