/* format.c */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "output/format.h"

void format_size_human(uint64_t bytes, char *out, size_t outsize)
{
	static const char units[] = "KMGTPE";
	int u = -1;
	uint64_t whole = bytes, rem = 0;

	if (bytes < 1024) {
		snprintf(out, outsize, "%" PRIu64 "B", bytes);
		if (bytes == 0)
			snprintf(out, outsize, "0");
		return;
	}
	while (whole >= 1024 && u < 5) {
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (whole < 10) {
		/* one decimal, rounded; 9.96 becomes 10 */
		uint64_t tenth = (rem * 10 + 512) / 1024;

		if (tenth >= 10) {
			whole++;
			tenth = 0;
		}
		if (tenth)
			snprintf(out, outsize, "%" PRIu64 ".%" PRIu64 "%c", whole,
				 tenth, units[u]);
		else
			snprintf(out, outsize, "%" PRIu64 "%c", whole, units[u]);
	} else {
		if (rem >= 512)
			whole++;
		/* 1023.5K rounds to 1024K: say 1M */
		if (whole == 1024 && u < 5) {
			whole = 1;
			u++;
		}
		snprintf(out, outsize, "%" PRIu64 "%c", whole, units[u]);
	}
}

void format_size(uint64_t bytes, bool raw_bytes, char *out, size_t outsize)
{
	if (raw_bytes)
		snprintf(out, outsize, "%" PRIu64, bytes);
	else
		format_size_human(bytes, out, outsize);
}

void format_addr(uint64_t addr, int width, char *out, size_t outsize)
{
	snprintf(out, outsize, "%0*" PRIx64, width, addr);
}

void format_escape_name(const char *s, char *out, size_t outsize)
{
	size_t o = 0;

	if (!outsize)
		return;
	for (; *s && o + 5 < outsize; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, outsize - o, "\\%03o", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}
