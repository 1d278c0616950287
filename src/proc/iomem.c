/* iomem.c: parser and opener for /proc/iomem. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "proc/iomem.h"

/* Hex digits at *pp, bounded by end: 1 to 16 of them, either case. Advances
 * *pp past them. Returns 0 or -EINVAL (no digit, or more than 64 bits). */
static int parse_hex(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	int digits = 0;

	while (p < end) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (++digits > 16)
			return -EINVAL;
		v = (v << 4) | d;
		p++;
	}
	if (!digits)
		return -EINVAL;
	*pp = p;
	*out = v;
	return 0;
}

/* One line [s, le), without its newline, into r; the name is copied to
 * *names (advanced past it and its NUL). Returns 0 or -EINVAL. */
static int parse_line(const char *s, const char *le, struct iomem_resource *r,
		      char **names)
{
	const char *p = s;
	size_t indent, nlen;

	while (p < le && *p == ' ')
		p++;
	indent = (size_t)(p - s);
	if (indent % 2 || indent / 2 > INT_MAX)
		return -EINVAL;
	r->depth = (int)(indent / 2);
	if (parse_hex(&p, le, &r->start))
		return -EINVAL;
	if (p >= le || *p != '-')
		return -EINVAL;
	p++;
	if (parse_hex(&p, le, &r->end))
		return -EINVAL;
	if (le - p < 3 || memcmp(p, " : ", 3) != 0)
		return -EINVAL;
	p += 3;
	nlen = (size_t)(le - p);
	if (memchr(p, '\0', nlen))	/* the name would end early */
		return -EINVAL;
	memcpy(*names, p, nlen);
	(*names)[nlen] = '\0';
	r->name = *names;
	*names += nlen + 1;
	return 0;
}

int iomem_parse(const char *text, size_t len, struct iomem *out)
{
	const char *s = text, *end = text + len;
	size_t lines = 0, n = 0;
	bool hidden = true;
	char *np;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return 0;
	/* one resource per line; the last line may lack its newline */
	for (s = text; s < end; lines++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		s = nl ? nl + 1 : end;
	}
	if (lines > (size_t)LONG_MAX || lines > SIZE_MAX / sizeof(*out->res))
		return -ENOMEM;
	out->res = calloc(lines, sizeof(*out->res));
	/* each name and its NUL fit in the bytes of its line and newline,
	 * and a line without newline holds at least "0-0 : " besides */
	out->names = malloc(len + 1);
	if (!out->res || !out->names) {
		iomem_release(out);
		return -ENOMEM;
	}
	np = out->names;
	for (s = text; s < end; n++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		struct iomem_resource *r = &out->res[n];

		if (parse_line(s, le, r, &np)) {
			iomem_release(out);
			return -EINVAL;
		}
		if (r->depth == 0) {
			r->parent = -1;
		} else {
			long p = (long)n - 1;

			/* the line above is the parent, a sibling, or a
			 * descendant of a sibling: climb to depth - 1 */
			if (n == 0 || r->depth - 1 > out->res[p].depth) {
				iomem_release(out);
				return -EINVAL;
			}
			while (out->res[p].depth >= r->depth)
				p = out->res[p].parent;
			r->parent = p;
		}
		if (r->start || r->end)
			hidden = false;
		s = le + 1;
	}
	out->count = n;
	out->addresses_hidden = hidden;
	return 0;
}

void iomem_release(struct iomem *io)
{
	free(io->res);
	free(io->names);
	memset(io, 0, sizeof(*io));
}

int iomem_read(const struct proc_source *src, struct iomem *out)
{
	struct buf b = { 0 };
	int rc = proc_source_read_file(src, "iomem", &b);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = iomem_parse(b.data, b.len, out);
	buf_release(&b);
	return rc;
}

long iomem_find(const struct iomem *io, uint64_t phys_addr)
{
	long cur = -1;
	size_t i;

	if (io->addresses_hidden)
		return -1;
	/* pre-order: the children of cur follow it, before its next sibling */
	for (i = 0; i < io->count; i++) {
		const struct iomem_resource *r = &io->res[i];

		if (r->parent == cur && r->start <= phys_addr && phys_addr <= r->end)
			cur = (long)i;
	}
	return cur;
}

uint64_t iomem_system_ram_bytes(const struct iomem *io)
{
	uint64_t sum = 0;
	size_t i;

	if (io->addresses_hidden)
		return 0;
	for (i = 0; i < io->count; i++) {
		const struct iomem_resource *r = &io->res[i];
		uint64_t size;

		if (r->depth != 0 || strcmp(r->name, "System RAM") != 0 ||
		    r->end < r->start)
			continue;
		size = r->end - r->start;	/* one less than the size */
		if (size == UINT64_MAX || sum > UINT64_MAX - size - 1)
			return UINT64_MAX;
		sum += size + 1;
	}
	return sum;
}
