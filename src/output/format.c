/* format.c */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "output/format.h"

/* Tables format a number for every cell of tens of thousands of rows:
 * these build digits by hand rather than through printf's parser. Each
 * writes into a scratch buffer and then copies what fits, so a short out
 * is cut as snprintf() would cut it. */

static void copy_out(const char *text, size_t len, char *out, size_t outsize)
{
	if (!outsize)
		return;
	if (len >= outsize)
		len = outsize - 1;
	memcpy(out, text, len);
	out[len] = '\0';
}

/* The digits of v in base (10 or 16), at least min_digits of them, at p;
 * returns how many. p needs room for 20 digits or min_digits. */
static size_t put_digits(uint64_t v, unsigned int base, size_t min_digits, char *p)
{
	static const char digit[] = "0123456789abcdef";
	char rev[20];
	size_t n = 0, i;

	do {
		rev[n++] = digit[v % base];
		v /= base;
	} while (v);
	for (i = 0; n + i < min_digits; i++)
		p[i] = '0';
	while (n)
		p[i++] = rev[--n];
	return i;
}

void format_size_human(uint64_t bytes, char *out, size_t outsize)
{
	static const char units[] = "KMGTPE";
	char text[32];
	size_t n;
	int u = -1;
	uint64_t whole = bytes, rem = 0, tenth = 0;

	if (bytes < 1024) {
		n = put_digits(bytes, 10, 1, text);
		if (bytes)
			text[n++] = 'B';
		copy_out(text, n, out, outsize);
		return;
	}
	while (whole >= 1024 && u < 5) {
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (whole < 10) {
		/* one decimal, rounded; 9.96 becomes 10 */
		tenth = (rem * 10 + 512) / 1024;
		if (tenth >= 10) {
			whole++;
			tenth = 0;
		}
	} else {
		if (rem >= 512)
			whole++;
		/* 1023.5K rounds to 1024K: say 1M */
		if (whole == 1024 && u < 5) {
			whole = 1;
			u++;
		}
	}
	n = put_digits(whole, 10, 1, text);
	if (tenth) {
		text[n++] = '.';
		text[n++] = (char)('0' + tenth);
	}
	text[n++] = units[u];
	copy_out(text, n, out, outsize);
}

void format_number(uint64_t v, char *out, size_t outsize)
{
	char text[24];

	copy_out(text, put_digits(v, 10, 1, text), out, outsize);
}

void format_size(uint64_t bytes, bool raw_bytes, char *out, size_t outsize)
{
	if (raw_bytes)
		format_number(bytes, out, outsize);
	else
		format_size_human(bytes, out, outsize);
}

void format_hex(uint64_t v, char *out, size_t outsize)
{
	char text[24];

	copy_out(text, put_digits(v, 16, 1, text), out, outsize);
}

void format_addr(uint64_t addr, int width, char *out, size_t outsize)
{
	char text[48];

	if (width < 1)
		width = 1;
	if (width > (int)sizeof(text))
		width = (int)sizeof(text);
	copy_out(text, put_digits(addr, 16, (size_t)width, text), out, outsize);
}

/* Printable ASCII that stands for itself: nearly every byte of a name. */
static inline bool plain_ascii(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c >= 0x20 && c < 0x7f && !(c == '\\' && s[1] == 'x');
}

/* One character (or byte) of a name that is not plain_ascii(), as it is
 * shown: at most 4 output bytes for each input byte. Sets *n to the bytes
 * of s it stands for. */
static size_t escape_one(const char *s, mbstate_t *st, size_t *n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = (unsigned char)*s;
	size_t len, i, o = 0;
	bool escape;
	wchar_t wc;

	*n = 1;
	if (c < 0x20 || c == 0x7f) {
		/* as the kernel writes a newline in a path: "\012" */
		out[0] = '\\';
		out[1] = (char)('0' + (c >> 6));
		out[2] = (char)('0' + ((c >> 3) & 7));
		out[3] = (char)('0' + (c & 7));
		return 4;
	}
	if (c < 0x80) {
		len = 1;	/* the backslash of a "\x" */
		escape = true;
	} else {
		len = mbrtowc(&wc, s, MB_CUR_MAX, st);
		if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
			memset(st, 0, sizeof(*st));
			len = 1;
			/* a byte a single-byte locale may call printable, but
			 * never a C1 control */
			escape = c < 0xa0 || !isprint(c);
		} else {
			/* C1 controls (CSI is U+009B) are never printable,
			 * whatever the locale's tables say */
			escape = (wc >= 0x80 && wc < 0xa0) || !iswprint((wint_t)wc);
		}
	}
	*n = len;
	if (!escape) {
		memcpy(out, s, len);
		return len;
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 0xf];
	}
	return o;
}

void format_escape_name(const char *s, char *out, size_t outsize)
{
	mbstate_t st;
	size_t o = 0;

	if (!outsize)
		return;
	memset(&st, 0, sizeof(st));
	while (*s) {
		char one[4 * MB_LEN_MAX];
		size_t n, len;

		if (plain_ascii(s)) {
			if (o + 1 >= outsize)
				break;
			out[o++] = *s++;
			continue;
		}
		len = escape_one(s, &st, &n, one);
		/* never half an escape or half a character */
		if (o + len >= outsize)
			break;
		memcpy(out + o, one, len);
		o += len;
		s += n;
	}
	out[o] = '\0';
}

char *format_escape_name_dup(const char *s)
{
	size_t size = FORMAT_ESCAPED_SIZE(strlen(s));
	char *out = malloc(size);

	if (out)
		format_escape_name(s, out, size);
	return out;
}

size_t format_text_width(const char *s)
{
	mbstate_t st;
	size_t w = 0;

	memset(&st, 0, sizeof(st));
	while (*s) {
		size_t len;
		wchar_t wc;
		int cells;

		if ((unsigned char)*s < 0x80) {
			w++;
			s++;
			continue;
		}
		len = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
			memset(&st, 0, sizeof(st));
			w++;
			s++;
			continue;
		}
		cells = wcwidth(wc);
		w += cells > 0 ? (size_t)cells : 0;
		s += len;
	}
	return w;
}

/* The bytes and cells of the escape format_escape_name() wrote at s ("\\xhh"
 * or "\\ooo"), 0 when s does not start one. */
static size_t escape_at(const char *s)
{
	if (s[0] != '\\')
		return 0;
	if (s[1] == 'x' && isxdigit((unsigned char)s[2]) && isxdigit((unsigned char)s[3]))
		return 4;
	if (s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
	    s[3] >= '0' && s[3] <= '7')
		return 4;
	return 0;
}

/* The bytes of the character, byte or escape at p (not its end), and in
 * *cells the terminal cells it takes, as format_text_width() counts. */
static size_t text_unit(const char *p, mbstate_t *st, size_t *cells)
{
	size_t len = escape_at(p);
	wchar_t wc;
	int c;

	*cells = len;
	if (len)
		return len;
	*cells = 1;
	if ((unsigned char)*p < 0x80)
		return 1;
	len = mbrtowc(&wc, p, MB_CUR_MAX, st);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		memset(st, 0, sizeof(*st));
		return 1;
	}
	c = wcwidth(wc);
	*cells = c > 0 ? (size_t)c : 0;
	return len;
}

size_t format_text_truncate(char *s, size_t width)
{
	mbstate_t st;
	size_t w = 0;
	char *p = s;

	memset(&st, 0, sizeof(st));
	while (*p) {
		size_t cells, len = text_unit(p, &st, &cells);

		if (w + cells > width)
			break;
		w += cells;
		p += len;
	}
	*p = '\0';
	return w;
}

size_t format_text_keep_end(char *s, size_t width)
{
	static const char mark[] = "...";
	size_t rest = format_text_width(s), keep;
	mbstate_t st;
	char *p = s;

	if (rest <= width)
		return rest;
	if (width < sizeof(mark))
		return format_text_truncate(s, width);
	keep = width - (sizeof(mark) - 1);
	memset(&st, 0, sizeof(st));
	while (*p && rest > keep) {
		size_t cells;

		p += text_unit(p, &st, &cells);
		rest -= cells;
	}
	/* what is dropped is wider than the mark, so longer */
	memmove(s + sizeof(mark) - 1, p, strlen(p) + 1);
	memcpy(s, mark, sizeof(mark) - 1);
	return rest + sizeof(mark) - 1;
}

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when the byte at p
 * does not start one: overlong forms, UTF-16 surrogates and code points
 * past U+10FFFF are not valid (RFC 3629). */
static size_t utf8_sequence(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

bool format_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p += n)
		if (!(n = utf8_sequence(p)))
			return false;
	return true;
}

void format_utf8_repair(const char *s, char *out, size_t outsize)
{
	static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;

	if (!outsize)
		return;
	for (; *p; p += n) {
		const char *from = (const char *)p;
		size_t len = n = utf8_sequence(p);

		if (!n) {
			from = replacement;	/* for this one byte */
			len = 3;
			n = 1;
		}
		if (o + len >= outsize)
			break;
		memcpy(out + o, from, len);
		o += len;
	}
	out[o] = '\0';
}
