/* source.c: opening and naming the sources a snapshot is read from. */
#include "config.h"

#include <string.h>

#include "load/internal.h"

int source_open_proc(struct source *src, const char *sysroot)
{
	memset(src, 0, sizeof(*src));
	src->kind = sysroot ? SOURCE_SYSROOT : SOURCE_LIVE;
	src->ops = &proc_source_ops;
	return proc_source_init(&src->proc, sysroot);
}

void source_close(struct source *src)
{
	proc_source_release(&src->proc);
}

const char *source_kind_name(const struct source *src)
{
	switch (src->kind) {
	case SOURCE_LIVE:
		return "live";
	case SOURCE_SYSROOT:
		return "sysroot";
	}
	return "unknown";
}
