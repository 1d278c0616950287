/* text.c: see text.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

const char *errno_text(int err)
{
	static __thread char buf[128];

	if (err < 0)
		err = -err;
	if (err == PROC_ENOTREG)
		return "not a regular file";
	if (err == PROC_EOUTSIDE)
		return "it leads outside the capture";
	snprintf(buf, sizeof(buf), "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

int parse_decimal(const char *text, size_t len, double *out)
{
	const char *p = text, *end = text + len;
	long double v = 0, scale = 1;
	int digits = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		v = v * 10 + (*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
			scale /= 10;
			v += (*p - '0') * scale;
		}
	if (!digits || p != end || digits > 30)
		return -EINVAL;
	*out = (double)v;
	return 0;
}
