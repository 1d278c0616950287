/* uptime.c: parser and opener for /proc/uptime. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "proc/uptime.h"
#include "util/text.h"

int uptime_parse(const char *text, size_t len, double *seconds)
{
	size_t n = 0;
	double v;

	/* the first field only */
	while (n < len && text[n] != ' ' && text[n] != '\t' && text[n] != '\n')
		n++;
	if (parse_decimal(text, n, &v) || !(v < 1e12))
		return -EINVAL;
	*seconds = v;
	return 0;
}

int uptime_read(const struct proc_source *src, double *seconds)
{
	struct buf b = { 0 };
	int rc = proc_source_read_file(src, "uptime", &b);

	if (!rc)
		rc = uptime_parse(b.data, b.len, seconds);
	buf_release(&b);
	return rc;
}

double uptime_process_age(double uptime, unsigned long long starttime)
{
	long hz = sysconf(_SC_CLK_TCK);
	double start = (double)starttime / (double)(hz > 0 ? hz : 100);

	return uptime > start ? uptime - start : 0;
}
