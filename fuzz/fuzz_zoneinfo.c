/* fuzz_zoneinfo: zoneinfo_parse on /proc/zoneinfo text, then
 * zoneinfo_find_pfn on the result.
 *
 * Each zone must come from a "Node " line (never more zones than such
 * lines), with a node number >= 0 and a name of 1 to 15 bytes without
 * blanks, and every PFN lookup must answer the first zone whose span holds
 * the PFN, computed here without overflow, or -1.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "proc/zoneinfo.h"

static bool holds(const struct zone_info *z, uint64_t pfn)
{
	uint64_t last;

	if (!z->has_start_pfn || !z->spanned || pfn < z->start_pfn)
		return false;
	if (__builtin_add_overflow(z->start_pfn, z->spanned - 1, &last))
		return true;	/* the span runs past 2^64: holds the rest */
	return pfn <= last;
}

static void check_find(const struct zoneinfo *zi, uint64_t pfn)
{
	long r = zoneinfo_find_pfn(zi, pfn), want = -1;
	size_t i;

	for (i = 0; i < zi->count; i++) {
		if (holds(&zi->zones[i], pfn)) {
			want = (long)i;
			break;
		}
	}
	FUZZ_CHECK(r == want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct zoneinfo zi;
	size_t i, headers = 0;
	int rc;

	for (i = 0; i + 5 <= size; i++)
		if ((i == 0 || copy[i - 1] == '\n') && memcmp(copy + i, "Node ", 5) == 0)
			headers++;
	rc = zoneinfo_parse(copy, size, &zi);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc) {
		FUZZ_CHECK(zi.count == 0 && zi.zones == NULL);
		zoneinfo_release(&zi);
		free(copy);
		return 0;
	}
	FUZZ_CHECK(zi.count == headers);
	for (i = 0; i < zi.count; i++) {
		const struct zone_info *z = &zi.zones[i];
		size_t n;

		FUZZ_CHECK(memchr(z->name, '\0', sizeof(z->name)) != NULL);
		n = strlen(z->name);
		FUZZ_CHECK(n >= 1 && n < sizeof(z->name));
		FUZZ_CHECK(memchr(z->name, ' ', n) == NULL);
		FUZZ_CHECK(z->node >= 0);
		FUZZ_CHECK(z->has_start_pfn || z->start_pfn == 0);
	}
	check_find(&zi, 0);
	check_find(&zi, UINT64_MAX);
	check_find(&zi, fuzz_hash(FUZZ_HASH_INIT, data, size));
	for (i = 0; i < zi.count && i < 64; i++) {
		const struct zone_info *z = &zi.zones[i];

		check_find(&zi, z->start_pfn);
		check_find(&zi, z->start_pfn + z->spanned);	/* may wrap: any pfn will do */
		check_find(&zi, z->start_pfn + z->spanned - 1);
	}
	zoneinfo_release(&zi);
	FUZZ_CHECK(zi.count == 0 && zi.zones == NULL);
	free(copy);
	return 0;
}
