/* maps.c: parser for maps text and the maps/smaps header line. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/maps.h"
#include "proc/procfs.h"
#include "util/array.h"

static const char deleted_suffix[] = " (deleted)";

/* The value of a hex digit plus one, 0 for anything else. The kernel
 * prints lowercase hex only, and maps_is_header() tells headers from
 * "Key:" lines by that. A table: every header has some 40 digits. */
static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static int hexval(char c)
{
	return hex_digit[(unsigned char)c] - 1;
}

/* Parse hex digits at *p (at least one, at most 16). */
static int parse_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0, d;

	while (s < end && (d = hexval(*s)) >= 0) {
		if (++n > 16)
			return -EINVAL;
		v = (v << 4) | (uint64_t)d;
		s++;
	}
	if (n == 0)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int parse_dec(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		s++;
		n++;
	}
	if (n == 0)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

enum maps_name_kind maps_name_classify(const char *name, size_t len)
{
	if (len == 0)
		return MAPS_NAME_NONE;
	if (name[0] == '[') {
		if (len == 6 && memcmp(name, "[heap]", 6) == 0)
			return MAPS_NAME_HEAP;
		if (len == 7 && memcmp(name, "[stack]", 7) == 0)
			return MAPS_NAME_STACK;
		if (len == 6 && memcmp(name, "[vdso]", 6) == 0)
			return MAPS_NAME_VDSO;
		if (has_prefix(name, len, "[vvar"))
			return MAPS_NAME_VVAR;
		if (len == 10 && memcmp(name, "[vsyscall]", 10) == 0)
			return MAPS_NAME_VSYSCALL;
		if (has_prefix(name, len, "[anon:"))
			return MAPS_NAME_ANON;
		if (has_prefix(name, len, "[anon_shmem:"))
			return MAPS_NAME_ANON_SHMEM;
		return MAPS_NAME_SPECIAL;
	}
	if (name[0] == '/') {
		if (has_prefix(name, len, "/memfd:"))
			return MAPS_NAME_MEMFD;
		if (len == 13 && has_prefix(name, len, "/SYSV"))
			return MAPS_NAME_SYSV;
		if (len == 9 && memcmp(name, "/dev/zero", 9) == 0)
			return MAPS_NAME_DEV_ZERO;
		if (len == 14 && memcmp(name, "/anon_hugepage", 14) == 0)
			return MAPS_NAME_HUGEPAGE;
		if (len == 10 && memcmp(name, "/secretmem", 10) == 0)
			return MAPS_NAME_SECRETMEM;
		return MAPS_NAME_PATH;
	}
	if (has_prefix(name, len, "anon_inode:"))
		return MAPS_NAME_ANON_INODE;
	return MAPS_NAME_PSEUDO;
}

/* Copy the name, turning the kernel's "\012" back into a newline (the only
 * escape mangle_path() produces). */
static size_t decode_name(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;

	while (i < len) {
		if (s[i] == '\\' && len - i >= 4 &&
		    s[i + 1] == '0' && s[i + 2] == '1' && s[i + 3] == '2') {
			out[o++] = '\n';
			i += 4;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return o;
}

int maps_parse_line(const char *line, size_t len, struct maps_entry *e,
		    char *namebuf, size_t namebuf_size)
{
	const char *p = line, *end = line + len;
	uint64_t v;
	size_t n;
	int i;

	if (namebuf_size < len + 1)
		return -EINVAL;
	while (end > p && (end[-1] == '\n' || end[-1] == '\0'))
		end--;

	memset(e, 0, sizeof(*e));
	if (parse_hex(&p, end, &e->start) || expect(&p, end, '-') ||
	    parse_hex(&p, end, &e->end) || expect(&p, end, ' '))
		return -EINVAL;
	if (end - p < 5)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		static const char want[4] = { 'r', 'w', 'x', 's' };
		char c = p[i];

		if (c == want[i])
			e->perms |= 1u << i;
		else if (!(c == '-' || (i == 3 && c == 'p')))
			return -EINVAL;
	}
	p += 4;
	if (expect(&p, end, ' ') || parse_hex(&p, end, &e->offset) ||
	    expect(&p, end, ' ') || parse_hex(&p, end, &v) || v > UINT32_MAX)
		return -EINVAL;
	e->dev_major = (uint32_t)v;
	if (expect(&p, end, ':') || parse_hex(&p, end, &v) || v > UINT32_MAX)
		return -EINVAL;
	e->dev_minor = (uint32_t)v;
	if (expect(&p, end, ' ') || parse_dec(&p, end, &e->inode))
		return -EINVAL;
	if (e->end < e->start)
		return -EINVAL;

	/* The name is padded to a column; real names never start with a
	 * space (paths are absolute, pseudo names start with a letter or
	 * '['), so skipping blanks is exact. Trailing blanks belong to the
	 * name: a file may be called "a ". */
	if (p < end && *p != ' ')
		return -EINVAL;
	while (p < end && *p == ' ')
		p++;
	n = decode_name(p, (size_t)(end - p), namebuf);
	if (n >= sizeof(deleted_suffix) - 1 &&
	    memcmp(namebuf + n - (sizeof(deleted_suffix) - 1), deleted_suffix,
		   sizeof(deleted_suffix) - 1) == 0) {
		n -= sizeof(deleted_suffix) - 1;
		namebuf[n] = '\0';
		e->deleted = true;
	}
	e->name = namebuf;
	e->name_len = n;
	e->name_kind = maps_name_classify(namebuf, n);
	return 0;
}

/* The state of a parse that may come in pieces. */
struct maps_lines {
	maps_entry_cb cb;
	void *ctx;
	unsigned long line_no;
	char *namebuf;
	size_t namebuf_size;
};

/* Parse every line of text (the last one may lack its '\n'). Returns as
 * maps_parse(); ml->line_no is the last line looked at. */
static int parse_lines(struct maps_lines *ml, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;

	for (; p < end; p = nl + 1) {
		struct maps_entry e;
		size_t n;
		int rc;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		n = (size_t)(nl - p);
		ml->line_no++;
		if (ARRAY_GROW(&ml->namebuf, &ml->namebuf_size, n + 1, 0))
			return -ENOMEM;
		rc = maps_parse_line(p, n, &e, ml->namebuf, ml->namebuf_size);
		if (rc)
			return rc;
		rc = ml->cb(ml->ctx, &e);
		if (rc)
			return rc;
	}
	return 0;
}

int maps_parse(const char *text, size_t len, maps_entry_cb cb, void *ctx,
	       unsigned long *bad_line)
{
	struct maps_lines ml = { .cb = cb, .ctx = ctx };
	int rc = parse_lines(&ml, text, len);

	if (bad_line)
		*bad_line = rc == -EINVAL ? ml.line_no : 0;
	free(ml.namebuf);
	return rc;
}

int maps_read(const struct proc_handle *h, maps_entry_cb cb, void *ctx,
	      unsigned long *bad_line)
{
	/* 60,000 regions make 4 MB of text: parsed a piece at a time, it
	 * is never held whole, and each piece is parsed while in cache. A
	 * piece holds the longest line taken. */
	enum { PIECE = 256 * 1024 };
	_Static_assert(PIECE > MAPS_LINE_MAX, "a piece holds a whole line");
	struct maps_lines ml = { .cb = cb, .ctx = ctx };
	const size_t cap = PIECE;
	size_t len = 0;
	char *buf;
	int fd, rc = 0;

	if (bad_line)
		*bad_line = 0;
	fd = proc_openat(h, "maps");
	if (fd < 0)
		return fd;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		const char *last_nl;
		size_t whole;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		len += (size_t)n;
		if (n == 0) {
			rc = parse_lines(&ml, buf, len);
			break;
		}
		last_nl = memrchr(buf, '\n', len);
		whole = last_nl ? (size_t)(last_nl - buf) + 1 : 0;
		if (!whole && len == cap) {
			/* a line longer than a piece: more than MAPS_LINE_MAX */
			ml.line_no++;
			rc = -EINVAL;
			break;
		}
		rc = parse_lines(&ml, buf, whole);
		if (rc)
			break;
		memmove(buf, buf + whole, len - whole);
		len -= whole;
	}
	if (rc == -EINVAL && bad_line)
		*bad_line = ml.line_no;
	free(ml.namebuf);
	free(buf);
	close(fd);
	return rc;
}

void maps_perms_string(unsigned int perms, char out[5])
{
	out[0] = perms & MAPS_READ ? 'r' : '-';
	out[1] = perms & MAPS_WRITE ? 'w' : '-';
	out[2] = perms & MAPS_EXEC ? 'x' : '-';
	out[3] = perms & MAPS_SHARED ? 's' : 'p';
	out[4] = '\0';
}
