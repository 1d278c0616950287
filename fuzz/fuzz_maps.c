/* fuzz_maps: maps_parse_line on each line of the input.
 *
 * Each line (with its '\n' when it has one, as smaps_parser hands it over
 * without) is an exact-size heap copy, and namebuf is exactly len + 1
 * bytes, the documented minimum.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/maps.h"

static void one_line(const uint8_t *line, size_t len)
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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *s = data, *end = data + size;

	while (s < end) {
		const uint8_t *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		one_line(s, n);			/* as smaps_parser passes it */
		if (nl)
			one_line(s, n + 1);	/* with its newline */
		s += n + 1;
	}
	return 0;
}
