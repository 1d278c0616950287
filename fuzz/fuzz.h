/* fuzz.h: helpers shared by the libFuzzer targets in fuzz/.
 *
 * Every parser is handed an exact-size heap copy of its input that is not
 * NUL-terminated, so AddressSanitizer reports the first byte read past
 * the end instead of it landing in libFuzzer's own buffer.
 */
#ifndef VMMAP_FUZZ_FUZZ_H
#define VMMAP_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An exact-size copy of data. ASan's malloc(0) returns a valid pointer with
 * no readable byte, so even an empty input is checked. */
static inline char *fuzz_dup(const void *data, size_t size)
{
	char *p = malloc(size);

	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

/* Fail loudly: an invariant the parsers promise does not hold. */
#define FUZZ_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Read every byte of a NUL-terminated string, so ASan checks it is one. */
static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

/* FNV-1a, to compare two runs of a parser. */
static inline uint64_t fuzz_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FUZZ_HASH_INIT 0xcbf29ce484222325ULL

#endif
