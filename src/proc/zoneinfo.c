/* zoneinfo.c: parser and opener for /proc/zoneinfo. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "proc/zoneinfo.h"
#include "util/array.h"

/* Where in a zone's block a line is: its own fields, the node's counters
 * printed before the first zone's fields, or the per-cpu pagesets. */
enum zone_part {
	PART_FIELDS = 0,
	PART_NODE_STATS,
	PART_PAGESETS,
};

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Does the word at [p, le) equal w, ended by a space or the line's end? */
static bool word_is(const char *p, const char *le, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(le - p) >= n && memcmp(p, w, n) == 0 &&
	       (p + n == le || p[n] == ' ');
}

/* A decimal value that is all the rest of the line: blanks, digits, and
 * nothing but blanks after them. Returns 0 or -EINVAL. */
static int parse_value(const char *p, const char *le, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	p = skip_spaces(p, le);
	while (p < le && *p >= '0' && *p <= '9') {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		p++;
		digits++;
	}
	if (!digits || skip_spaces(p, le) != le)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "Node N, zone NAME" at [s, le) into z. Returns 0 or -EINVAL. */
static int parse_header(const char *s, const char *le, struct zone_info *z)
{
	const char *p = s + 5, *name;	/* past "Node " */
	uint64_t node = 0;
	int digits = 0;
	size_t nlen;

	memset(z, 0, sizeof(*z));
	p = skip_spaces(p, le);
	while (p < le && *p >= '0' && *p <= '9') {
		node = node * 10 + (uint64_t)(*p - '0');
		if (node > INT_MAX)
			return -EINVAL;
		p++;
		digits++;
	}
	if (!digits || p >= le || *p != ',')
		return -EINVAL;
	p = skip_spaces(p + 1, le);
	if (!word_is(p, le, "zone"))
		return -EINVAL;
	p = skip_spaces(p + 4, le);
	name = p;
	while (p < le && *p != ' ') {
		if (*p < '!' || *p > '~')	/* zone names are plain ASCII */
			return -EINVAL;
		p++;
	}
	nlen = (size_t)(p - name);
	if (!nlen || nlen >= sizeof(z->name) || skip_spaces(p, le) != le)
		return -EINVAL;
	memcpy(z->name, name, nlen);
	z->node = (int)node;
	return 0;
}

/* One indented line [s, le) of zone z's block. Returns 0 or -EINVAL. */
static int parse_field(const char *s, const char *le, struct zone_info *z,
		       enum zone_part *part)
{
	const char *p = skip_spaces(s, le);

	if (*part == PART_PAGESETS) {
		/* per-cpu lines until the zone's closing lines; only
		 * start_pfn among those is read */
		if (word_is(p, le, "start_pfn:")) {
			z->has_start_pfn = true;
			return parse_value(p + 10, le, &z->start_pfn);
		}
		return 0;
	}
	if (word_is(p, le, "pages")) {
		const char *q = skip_spaces(p + 5, le);

		if (!word_is(q, le, "free"))
			return 0;
		*part = PART_FIELDS;
		return parse_value(q + 4, le, &z->free);
	}
	if (*part == PART_NODE_STATS)
		return 0;
	if (word_is(p, le, "spanned"))
		return parse_value(p + 7, le, &z->spanned);
	if (word_is(p, le, "present"))
		return parse_value(p + 7, le, &z->present);
	if (word_is(p, le, "managed"))
		return parse_value(p + 7, le, &z->managed);
	if (word_is(p, le, "start_pfn:")) {
		z->has_start_pfn = true;
		return parse_value(p + 10, le, &z->start_pfn);
	}
	if (word_is(p, le, "pagesets") && skip_spaces(p + 8, le) == le) {
		*part = PART_PAGESETS;
	} else if (word_is(p, le, "per-node")) {
		const char *q = skip_spaces(p + 8, le);

		if (word_is(q, le, "stats"))
			*part = PART_NODE_STATS;
	}
	return 0;
}

int zoneinfo_parse(const char *text, size_t len, struct zoneinfo *out)
{
	const char *s = text, *end = text + len;
	enum zone_part part = PART_FIELDS;
	struct zone_info *z = NULL;
	size_t cap = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		if (le - s >= 5 && memcmp(s, "Node ", 5) == 0) {
			/* zoneinfo_find() answers an index as a long */
			if (out->count >= LONG_MAX ||
			    ARRAY_GROW(&out->zones, &cap, out->count + 1, 8)) {
				rc = -ENOMEM;
				break;
			}
			z = &out->zones[out->count++];
			part = PART_FIELDS;
			rc = parse_header(s, le, z);
		} else if (z) {
			rc = parse_field(s, le, z, &part);
		}
		if (rc)
			break;
		s = le + 1;
	}
	if (rc)
		zoneinfo_release(out);
	return rc;
}

void zoneinfo_release(struct zoneinfo *zi)
{
	free(zi->zones);
	memset(zi, 0, sizeof(*zi));
}

int zoneinfo_read(const struct proc_source *src, struct zoneinfo *out)
{
	struct buf b = { 0 };
	int rc = proc_source_read_file(src, "zoneinfo", &b);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = zoneinfo_parse(b.data, b.len, out);
	buf_release(&b);
	return rc;
}

long zoneinfo_find_pfn(const struct zoneinfo *zi, uint64_t pfn)
{
	size_t i;

	for (i = 0; i < zi->count; i++) {
		const struct zone_info *z = &zi->zones[i];

		if (z->has_start_pfn && pfn >= z->start_pfn &&
		    pfn - z->start_pfn < z->spanned)
			return (long)i;
	}
	return -1;
}
