/* json_lines.c: --watch --json, one JSON document per line per sample
 * (JSON Lines), for scripts that follow a process. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/sample.h"
#include "model/snapshot.h"
#include "output/output.h"
#include "output/json_lines.h"
#include "util/array.h"
#include "util/text.h"

/* Print the document of snap on one line: json_print's newlines (and the
 * indentation after them) go; json-c writes newlines inside strings as \n,
 * so every raw newline is layout. */
static int print_line(FILE *out, const struct snapshot *snap)
{
	struct output_options oo;
	char *text = NULL;
	size_t len = 0, i, o = 0;
	FILE *mem;
	int rc;

	memset(&oo, 0, sizeof(oo));
	oo.sort_field = -1;
	mem = open_memstream(&text, &len);
	if (!mem)
		return -ENOMEM;
	rc = json_print(mem, snap, &oo);
	if (fclose(mem) != 0 && !rc)
		rc = -ENOMEM;
	if (rc) {
		free(text);
		return rc;
	}
	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			while (i + 1 < len && text[i + 1] == ' ')
				i++;
			continue;
		}
		text[o++] = text[i];
	}
	text[o++] = '\n';
	rc = fwrite(text, 1, o, out) == o && fflush(out) == 0 ? 0 : -EIO;
	free(text);
	return rc;
}

int watch_json_lines(const struct source *src, pid_t pid, double interval, long iterations)
{
	struct elf_cache *cache = sample_cache_new();
	struct snapshot snap;
	struct load_error err;
	unsigned long long starttime = 0;
	char **seen = NULL;
	size_t nseen = 0, seen_cap = 0, k;
	long i;
	int status = 0, rc;

	watch_catch_stop_signals();
	if (interval <= 0)
		interval = 1.0;
	for (i = 0; !iterations || i < iterations; i++) {
		if (i && !sample_sleep(interval))
			break;
		if (watch_stop_requested())
			break;
		rc = snapshot_load(src, pid, &(struct load_request){ .cache = cache }, &snap, &err);
		if (!rc && i && snap.stat.starttime != starttime) {
			snapshot_release(&snap);
			rc = -ESRCH;
			err.kind = LOAD_NOT_FOUND;
		}
		if (rc) {
			if (i && (err.kind == LOAD_NOT_FOUND || rc == -ESRCH || rc == -ENOENT)) {
				fprintf(stderr, "vmmap: process %d exited\n", (int)pid);
				status = 1;
			} else {
				fprintf(stderr, "vmmap: %s\n", err.msg);
				status = err.kind == LOAD_NOT_FOUND ? JSON_LINES_EXIT_NOT_FOUND : 1;
			}
			break;
		}
		starttime = snap.stat.starttime;
		/* each warning once, not once a line */
		for (k = 0; k < snap.nwarnings; k++) {
			size_t j;

			for (j = 0; j < nseen; j++)
				if (strcmp(seen[j], snap.warnings[k]) == 0)
					break;
			if (j < nseen)
				continue;
			fprintf(stderr, "vmmap: warning: %d: %s\n", (int)pid, snap.warnings[k]);
			if (!ARRAY_GROW(&seen, &seen_cap, nseen + 1, 8)) {
				seen[nseen] = strdup(snap.warnings[k]);
				if (seen[nseen])
					nseen++;
			}
		}
		rc = print_line(stdout, &snap);
		snapshot_release(&snap);
		if (rc) {
			fprintf(stderr, "vmmap: cannot write the JSON document of %d: %s\n",
				(int)pid, errno_text(rc == -EIO && errno ? -errno : rc));
			status = 1;
			break;
		}
	}
	for (k = 0; k < nseen; k++)
		free(seen[k]);
	free(seen);
	sample_cache_free(cache);
	return status;
}
