/* elf_images.c: the ELF headers of every image a process maps, read from
 * the very file that was mapped (map_files live, the path under the root of
 * a capture), once per file. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "elf/image.h"
#include "load/internal.h"
#include "proc/mapfile.h"

void load_read_images(struct snapshot *snap, const struct source *src,
		      const struct proc_handle *h, const struct load_request *rq)
{
	struct elf_cache *shared = rq->cache;
	struct elf_cache local = { 0 };
	struct elf_cache *cache = shared ? shared : &local;
	unsigned int failed = 0;
	size_t k, i;

	if (rq->kinds_only) {
		for (k = 0; k < snap->nimages; k++)
			snap->images[k].why_unread = "not read: no ELF file was asked for";
		return;
	}
	for (k = 0; k < snap->nimages; k++) {
		struct image *im = &snap->images[k];
		struct elf_cache_entry *e;
		struct mapped_file_id id = {
			.path = strpool_get(&snap->pool, im->path),
			.dev_major = im->dev_major, .dev_minor = im->dev_minor,
			.inode = im->inode,
		};
		struct elf_image *elf = NULL;
		int fd, rc;

		for (i = 0; i < snap->nregions; i++)
			if (snap->regions[i].image == k + 1) {
				id.start = snap->regions[i].start;
				id.end = snap->regions[i].end;
				break;
			}
		/* files known by path only (a core) have no identity to
		 * cache them by */
		e = snap->files_by_path ? NULL :
		    elf_cache_find(cache, im->dev_major, im->dev_minor, im->inode);
		if (e) {
			rc = e->err;
			elf = elf_image_ref(e->img);
		} else {
			fd = src->ops->open_image(src, h, &id);
			rc = fd < 0 ? fd : elf_image_read_fd(fd, &elf);
			if (fd >= 0)
				close(fd);
			if (!snap->files_by_path)
				elf_cache_put(cache, im->dev_major, im->dev_minor, im->inode, elf, rc);
		}
		im->elf = elf;
		if (!rc && elf->skipped.what && ++failed <= 5)
			snapshot_warn(snap, "cannot read %s of %s: %s: %s", elf->skipped.what,
				      id.path, elf->skipped.why, elf->skipped.loss);
		if (rc) {
			if (rc == -ESTALE) {
				im->why_unread = "the path names another file now";
			} else if (rc == -ENOEXEC) {
				im->why_unread = "not a readable ELF file";
			} else if (rc == -PROC_ENOTREG) {
				im->why_unread = "not a regular file";
			} else {
				/* errno_text() reuses its buffer: keep a copy */
				const char *t = errno_text(rc);
				uint32_t off;

				im->why_unread = "cannot be opened";
				if (strpool_add(&snap->pool, t, strlen(t), &off) == 0)
					im->why_unread_off = off;
			}
			if (++failed <= 5)
				snapshot_warn(snap, "cannot read the ELF headers of %s: %s: its sections are unknown",
					      id.path, image_why_unread(snap, im));
		}
	}
	if (failed > 5)
		snapshot_warn(snap, "%u more ELF images could not be read", failed - 5);
	elf_cache_release(&local);
}
