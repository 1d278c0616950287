/* meminfo.c: /proc/meminfo. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "proc/meminfo.h"

static const struct {
	const char *key;	/* as the kernel prints it */
	const char *name;	/* as JSON spells it */
} fields[MEMINFO_NFIELDS] = {
	[MEMINFO_MEM_TOTAL] = { "MemTotal", "mem_total" },
	[MEMINFO_MEM_FREE] = { "MemFree", "mem_free" },
	[MEMINFO_MEM_AVAILABLE] = { "MemAvailable", "mem_available" },
	[MEMINFO_BUFFERS] = { "Buffers", "buffers" },
	[MEMINFO_CACHED] = { "Cached", "cached" },
	[MEMINFO_SWAP_CACHED] = { "SwapCached", "swap_cached" },
	[MEMINFO_ANON_PAGES] = { "AnonPages", "anon_pages" },
	[MEMINFO_MAPPED] = { "Mapped", "mapped" },
	[MEMINFO_SHMEM] = { "Shmem", "shmem" },
	[MEMINFO_K_RECLAIMABLE] = { "KReclaimable", "k_reclaimable" },
	[MEMINFO_SLAB] = { "Slab", "slab" },
	[MEMINFO_KERNEL_STACK] = { "KernelStack", "kernel_stack" },
	[MEMINFO_PAGE_TABLES] = { "PageTables", "page_tables" },
	[MEMINFO_SWAP_TOTAL] = { "SwapTotal", "swap_total" },
	[MEMINFO_SWAP_FREE] = { "SwapFree", "swap_free" },
	[MEMINFO_ANON_HUGE_PAGES] = { "AnonHugePages", "anon_huge_pages" },
	[MEMINFO_HUGETLB] = { "Hugetlb", "hugetlb" },
};

const char *meminfo_field_name(enum meminfo_field f)
{
	return f < MEMINFO_NFIELDS ? fields[f].name : NULL;
}

const char *meminfo_field_key(enum meminfo_field f)
{
	return f < MEMINFO_NFIELDS ? fields[f].key : NULL;
}

/* "   N kB" to the end of the line, in bytes. */
static int parse_kb(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		unsigned int d = (unsigned int)(*p - '0');

		/* multiplied by 1024 below: keep room for it */
		if (v > (UINT64_MAX / 1024 - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		p++;
		digits++;
	}
	if (!digits || end - p != 3 || memcmp(p, " kB", 3) != 0)
		return -EINVAL;
	*out = v * 1024;
	return 0;
}

int meminfo_parse(const char *text, size_t len, struct meminfo *out)
{
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof(*out));
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *colon = memchr(s, ':', (size_t)(le - s));

		if (colon) {
			size_t klen = (size_t)(colon - s);
			int i;

			for (i = 0; i < MEMINFO_NFIELDS; i++) {
				if (strlen(fields[i].key) != klen ||
				    memcmp(fields[i].key, s, klen) != 0)
					continue;
				if (meminfo_has(out, i))
					break;
				if (parse_kb(colon + 1, le, &out->v[i]))
					return -EINVAL;
				out->present |= 1u << i;
				break;
			}
		}
		s = le + 1;
	}
	return 0;
}

int meminfo_read(const struct proc_source *src, struct meminfo *out)
{
	struct buf b = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = proc_source_read_file(src, "meminfo", &b);
	if (!rc)
		rc = meminfo_parse(b.data ? b.data : "", b.len, out);
	buf_release(&b);
	return rc;
}
