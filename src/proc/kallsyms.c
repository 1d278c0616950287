/* kallsyms.c */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/kallsyms.h"

/* One "ADDR T NAME" line: sets out when NAME is _text or _etext. */
static void parse_line(const char *s, const char *e, struct kernel_text *out)
{
	uint64_t v = 0;
	const char *p = s, *name;
	size_t nlen;
	int digits = 0;

	while (p < e && digits < 17) {
		char c = *p;
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			break;
		v = (v << 4) | (uint64_t)d;
		p++;
		digits++;
	}
	if (!digits || digits > 16 || p + 3 > e || p[0] != ' ' || p[2] != ' ')
		return;
	name = p + 3;
	nlen = (size_t)(e - name);
	if (nlen == 5 && memcmp(name, "_text", 5) == 0) {
		if (v) {
			out->known = true;
			out->text = v;
		} else {
			out->hidden = true;
		}
	} else if (nlen == 6 && memcmp(name, "_etext", 6) == 0 && v) {
		out->etext = v;
	}
}

int kallsyms_parse(const char *text, size_t len, struct kernel_text *out)
{
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof(*out));
	while (s < end && !(out->known && out->etext)) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		parse_line(s, le, out);
		s = le + 1;
	}
	return 0;
}

int kallsyms_read(const struct proc_source *src, struct kernel_text *out)
{
	enum { CHUNK = 1 << 16 };
	char *buf = malloc(CHUNK + 1);
	size_t have = 0;
	int fd;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return -ENOMEM;
	fd = proc_source_openat(src, "kallsyms");
	if (fd < 0) {
		free(buf);
		return fd;
	}
	for (;;) {
		ssize_t n = read(fd, buf + have, CHUNK - have);
		char *last;
		struct kernel_text part;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		last = memrchr(buf, '\n', have);
		if (!last)
			continue;
		kallsyms_parse(buf, (size_t)(last - buf), &part);
		if (part.known) {
			out->known = true;
			out->text = part.text;
		}
		out->hidden |= part.hidden;
		if (part.etext)
			out->etext = part.etext;
		if (out->known && out->etext)
			break;
		/* keep the incomplete last line */
		have -= (size_t)(last + 1 - buf);
		memmove(buf, last + 1, have);
	}
	close(fd);
	free(buf);
	return 0;
}
