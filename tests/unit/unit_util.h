/* unit_util.h: helpers shared by the Check suites: fixture files, hand-made
 * snapshots and the runner. Every helper asserts on failure, so it may only
 * be called from inside a test. */
#ifndef VMMAP_TESTS_UNIT_UTIL_H
#define VMMAP_TESTS_UNIT_UTIL_H

#include <check.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/snapshot.h"
#include "proc/smaps.h"

#ifndef FIXTURES
#error "FIXTURES must name the absolute tests/fixtures directory"
#endif

/* Read a whole file; the buffer is NUL-terminated after *len. Caller frees. */
char *util_read_file(const char *path, size_t *len);

/* The (lowest) numeric directory under FIXTURES/name/proc, or 0. */
pid_t util_fixture_pid(const char *name);

/* "FIXTURES/name/proc/PID/file" in a malloc'ed string. */
char *util_fixture_path(const char *name, pid_t pid, const char *file);

/* "FIXTURES/name" in a malloc'ed string. */
char *util_fixture_dir(const char *name);

/* Read FIXTURES/name/proc/PID/file. */
char *util_fixture_read(const char *name, const char *file, size_t *len);

/* The names of the fixture cases that hold proc/PID/smaps (NULL-terminated,
 * malloc'ed; free with util_free_list()). */
char **util_fixture_cases(void);
void util_free_list(char **list);

size_t util_count_lines(const char *text, size_t len);

/* Append a region parsed from a maps line to snap. vmflags is the text after
 * "VmFlags:" or NULL for none; c may be NULL for no counters. Returns the
 * index of the new region. */
size_t util_add_region(struct snapshot *snap, const char *line,
		       const char *vmflags, const struct smaps_counters *c);

/* Set counter f of c to v bytes and mark it present. */
void util_set_counter(struct smaps_counters *c, enum smaps_field f, uint64_t v);

/* Run the suite with CK_NORMAL output; returns the process exit status. */
int util_run_suite(Suite *s);

#endif
