/* fuzz_meminfo: meminfo_parse (/proc/meminfo).
 *
 * Each value meminfo_parse returns is checked against a plain reference
 * parse of the first line with its key: the number of kB, times 1024,
 * must be exact (a value that does not fit must be refused, not
 * wrapped).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "proc/meminfo.h"

/* The value of the first "Key:" line for key; false when it does not fit
 * in 64 bits once multiplied by 1024. */
static bool reference_kb(const char *text, size_t len, const char *key,
			 uint64_t *out, bool *found)
{
	const char *s = text, *end = text + len;
	size_t klen = strlen(key);

	*found = false;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end, *p;
		uint64_t v = 0;
		bool fits = true;

		if ((size_t)(le - s) > klen && memcmp(s, key, klen) == 0 && s[klen] == ':') {
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
			return fits;
		}
		s = le + 1;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct meminfo m;
	int rc, i;

	rc = meminfo_parse(copy, size, &m);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		FUZZ_CHECK(m.present < (1u << MEMINFO_NFIELDS));
		for (i = 0; i < MEMINFO_NFIELDS; i++) {
			uint64_t ref = 0;
			bool found, fits;

			fits = reference_kb(copy, size, meminfo_field_key(i), &ref, &found);
			FUZZ_CHECK(found == meminfo_has(&m, i));
			if (!found)
				continue;
			if (!fits || ref != m.v[i]) {
				fprintf(stderr, "meminfo_parse: %s is %llu bytes, but the text says %s%llu\n",
					meminfo_field_key(i), (unsigned long long)m.v[i],
					fits ? "" : "more than 2^64 bytes, not ",
					(unsigned long long)ref);
				abort();
			}
		}
	}
	free(copy);
	return 0;
}
