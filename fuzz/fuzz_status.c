/* fuzz_status: status_parse (/proc/PID/status) and limits_parse_stack
 * (/proc/PID/limits) on the same text.
 *
 * Each memory value status_parse returns is checked against a plain
 * reference parse of the last line with its key: the number of kB, times
 * 1024, must be exact (a value that does not fit must be refused, not
 * wrapped).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "proc/status.h"

/* The value of the last "Key:<blanks>digits kB" line for key; false when
 * it does not fit in 64 bits once multiplied by 1024. */
static bool reference_kb(const char *text, size_t len, const char *key,
			 uint64_t *out, bool *found)
{
	const char *s = text, *end = text + len;
	size_t klen = strlen(key);
	bool fits = true;

	*found = false;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end, *p;
		uint64_t v = 0;

		if ((size_t)(le - s) > klen && memcmp(s, key, klen) == 0 && s[klen] == ':') {
			fits = true;
			for (p = s + klen + 1; p < le && (*p == ' ' || *p == '\t'); p++)
				;
			for (; p < le && *p >= '0' && *p <= '9'; p++)
				if (__builtin_mul_overflow(v, 10, &v) ||
				    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
					fits = false;
			if (__builtin_mul_overflow(v, 1024, &v))
				fits = false;
			*out = v;
			*found = true;
		}
		s = le + 1;
	}
	return fits;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct status_info si;
	uint64_t stack;
	int rc, i;

	rc = status_parse(copy, size, &si);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		FUZZ_CHECK(si.present < (1u << STATUS_NFIELDS));
		for (i = 0; i < STATUS_NFIELDS; i++) {
			uint64_t ref = 0;
			bool found, fits;

			fits = reference_kb(copy, size, status_field_key(i), &ref, &found);
			FUZZ_CHECK(found == status_has(&si, i));
			if (!found)
				continue;
			if (!fits || ref != si.v[i]) {
				fprintf(stderr, "status_parse: %s is %llu bytes, but the text says %s%llu\n",
					status_field_key(i), (unsigned long long)si.v[i],
					fits ? "" : "more than 2^64 bytes, not ",
					(unsigned long long)ref);
				abort();
			}
		}
	}
	rc = limits_parse_stack(copy, size, &stack);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOENT);
	free(copy);
	return 0;
}
