/* json_lines.h: --watch --json, the live view for scripts. */
#ifndef VMMAP_OUTPUT_JSON_LINES_H
#define VMMAP_OUTPUT_JSON_LINES_H

#include <sys/types.h>

struct source;

/* Exit status when the process does not exist (as vmmap's). */
enum { JSON_LINES_EXIT_NOT_FOUND = 32 };

/* Print one JSON document (schema 1, as --json prints it) per sample of
 * pid, every interval seconds (<= 0: 1 s), each on one line (JSON Lines),
 * flushed as it is written. Returns 0 after iterations samples (0: no
 * limit) or a stop signal, 1 with "vmmap: process N exited" on stderr when
 * the process goes away first (with iterations 0 that is how it always
 * ends), JSON_LINES_EXIT_NOT_FOUND when it did not exist. */
int watch_json_lines(const struct source *src, pid_t pid, double interval, long iterations);

#endif
