/* source.c: opening and naming the sources a snapshot is read from. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/core.h"
#include "load/internal.h"

int source_open_proc(struct source *src, const char *sysroot)
{
	memset(src, 0, sizeof(*src));
	src->kind = sysroot ? SOURCE_SYSROOT : SOURCE_LIVE;
	src->ops = &proc_source_ops;
	src->root_fd = -1;
	return proc_source_init(&src->proc, sysroot);
}

void source_close(struct source *src)
{
	if (src->kind != SOURCE_CORE && src->kind != SOURCE_SAVED)
		proc_source_release(&src->proc);
	if (src->core) {
		core_release(src->core);
		free(src->core);
	}
	if (src->root_fd > 0)
		close(src->root_fd);
	saved_release(src->saved);
	free(src->core_path);
	memset(src, 0, sizeof(*src));
	src->root_fd = -1;
}

int source_open_image(const struct source *src, const struct proc_handle *h,
		      const struct mapped_file_id *id)
{
	return src->ops->open_image(src, h, id);
}

const char *source_kind_name(const struct source *src)
{
	switch (src->kind) {
	case SOURCE_LIVE:
		return "live";
	case SOURCE_SYSROOT:
		return "sysroot";
	case SOURCE_CORE:
		return "core";
	case SOURCE_SAVED:
		return "saved";
	}
	return "unknown";
}
