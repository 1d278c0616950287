/* fuzz_maps: maps_parse_line on each line of the input, and maps_parse on
 * the whole of it.
 *
 * Each line (with its '\n' when it has one, as smaps_parser hands it over
 * without) is an exact-size heap copy, and namebuf is exactly len + 1
 * bytes, the documented minimum. maps_parse must call back once for each
 * line before the first bad one and name that line, as the line parser
 * judged them.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/maps.h"

static int one_line(const uint8_t *line, size_t len)
{
	struct maps_entry e;
	char *copy = fuzz_dup(line, len);
	char *namebuf = malloc(len + 1);
	char perms[5];
	int rc;

	if (!namebuf)
		abort();
	/* too small a buffer is refused, never written past */
	if (len)
		FUZZ_CHECK(maps_parse_line(copy, len, &e, namebuf, len) == -EINVAL);

	rc = maps_parse_line(copy, len, &e, namebuf, len + 1);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		FUZZ_CHECK(e.name == namebuf);
		FUZZ_CHECK(e.name_len <= len);
		FUZZ_CHECK(e.name[e.name_len] == '\0');
		FUZZ_CHECK(e.start <= e.end);
		FUZZ_CHECK(e.perms < 16);
		FUZZ_CHECK(maps_name_classify(e.name, e.name_len) == e.name_kind);
		maps_perms_string(e.perms, perms);
		FUZZ_CHECK(strlen(perms) == 4);
	}
	free(namebuf);
	free(copy);
	return rc;
}

static int count_entry(void *ctx, const struct maps_entry *e)
{
	unsigned long *n = ctx;

	FUZZ_CHECK(e->name[e->name_len] == '\0');
	FUZZ_CHECK(e->start <= e->end);
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *s = data, *end = data + size;
	unsigned long line_no = 0, first_bad = 0, good = 0, entries = 0;
	unsigned long bad_line;
	char *text;
	int rc;

	while (s < end) {
		const uint8_t *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		line_no++;
		/* as smaps_parser passes it */
		if (one_line(s, n) == 0) {
			if (!first_bad)
				good++;
		} else if (!first_bad) {
			first_bad = line_no;
		}
		if (nl)
			one_line(s, n + 1);	/* with its newline */
		s += n + 1;
	}

	text = fuzz_dup(data, size);
	rc = maps_parse(text, size, count_entry, &entries, &bad_line);
	free(text);
	FUZZ_CHECK(entries == good);
	if (first_bad)
		FUZZ_CHECK(rc == -EINVAL && bad_line == first_bad);
	else
		FUZZ_CHECK(rc == 0 && bad_line == 0);
	return 0;
}
