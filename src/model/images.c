/* images.c: regions of mapped ELF files, refined by their headers.
 *
 * Reference §7: the loader maps each PT_LOAD at bias + p_vaddr (page
 * aligned); ld.so mprotects PT_GNU_RELRO read-only after relocation, which
 * splits the writable segment; the part of the last writable PT_LOAD beyond
 * p_filesz is zero-filled: first the rest of the last file page, then an
 * anonymous mapping right after it (the bss tail).
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/image.h"
#include "model/fields.h"
#include "model/images.h"
#include "util/array.h"
#include "model/snapshot.h"

static bool is_image_candidate(const struct snapshot *s, const struct region *r)
{
	return r->name_kind == MAPS_NAME_PATH && !(r->perms & MAPS_SHARED) &&
	       (r->inode != 0 || s->files_by_path);
}

static long find_image(const struct snapshot *s, const struct region *r)
{
	size_t i;

	for (i = 0; i < s->nimages; i++) {
		if (s->files_by_path) {
			if (s->images[i].path == r->path ||
			    strcmp(strpool_get(&s->pool, s->images[i].path),
				   region_path(s, r)) == 0)
				return (long)i;
			continue;
		}
		if (s->images[i].inode == r->inode &&
		    s->images[i].dev_major == r->dev_major &&
		    s->images[i].dev_minor == r->dev_minor)
			return (long)i;
	}
	return -1;
}

int images_group(struct snapshot *s)
{
	size_t i, cap = 0;

	s->images_grouped = true;
	for (i = 0; i < s->nregions; i++) {
		struct region *r = &s->regions[i];
		struct image *im;

		if (!is_image_candidate(s, r) || !(r->perms & MAPS_EXEC) ||
		    find_image(s, r) >= 0)
			continue;
		if (ARRAY_GROW(&s->images, &cap, s->nimages + 1, 16))
			return -ENOMEM;
		im = &s->images[s->nimages++];
		memset(im, 0, sizeof(*im));
		im->path = r->path;
		im->dev_major = r->dev_major;
		im->dev_minor = r->dev_minor;
		im->inode = r->inode;
		im->deleted = r->flags & REGION_DELETED;
		im->why_unread = "not read";
	}
	if (!s->nimages)
		return 0;
	for (i = 0; i < s->nregions; i++) {
		struct region *r = &s->regions[i];
		long k;

		if (is_image_candidate(s, r) && (k = find_image(s, r)) >= 0)
			r->image = (uint32_t)k + 1;
		else
			r->image = 0;
	}
	return 0;
}

static uint64_t page_down(uint64_t v, uint64_t ps)
{
	return v & ~(ps - 1);
}

static uint64_t page_up(uint64_t v, uint64_t ps)
{
	return (v + ps - 1) & ~(ps - 1);
}

/* The bias that maps region r (file offset r->offset) through a PT_LOAD. */
static bool region_bias(const struct elf_image *elf, const struct region *r,
			uint64_t ps, uint64_t *bias)
{
	size_t i;

	for (i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *sg = &elf->segments[i];
		uint64_t off0 = page_down(sg->offset, ps);

		if (sg->type != PT_LOAD || sg->filesz == 0)
			continue;
		if (r->offset >= off0 && r->offset < sg->offset + sg->filesz) {
			*bias = r->start - (page_down(sg->vaddr, ps) + (r->offset - off0));
			return true;
		}
	}
	return false;
}

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

static const struct elf_segment *load_segment_at(const struct elf_image *elf,
						 uint64_t v0, uint64_t v1,
						 uint64_t ps)
{
	size_t i;

	for (i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *sg = &elf->segments[i];

		if (sg->type == PT_LOAD &&
		    overlaps(v0, v1, page_down(sg->vaddr, ps),
			     page_up(sg->vaddr + sg->memsz, ps)))
			return sg;
	}
	return NULL;
}

static bool in_relro(const struct elf_image *elf, uint64_t v0, uint64_t v1)
{
	size_t i;

	for (i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *sg = &elf->segments[i];

		if (sg->type == PT_GNU_RELRO &&
		    overlaps(v0, v1, sg->vaddr, sg->vaddr + sg->memsz))
			return true;
	}
	return false;
}

static int set_detail(struct snapshot *s, struct region *r, const char *text)
{
	return strpool_add(&s->pool, text, strlen(text), &r->detail);
}

/* Kind of a file-backed region of an image from its ELF headers. */
static enum region_kind elf_region_kind(const struct elf_image *elf,
					const struct region *r, uint64_t bias,
					uint64_t ps)
{
	uint64_t v0 = r->start - bias, v1 = r->end - bias;
	const struct elf_segment *sg;

	if (!(r->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC)))
		return KIND_GUARD;
	sg = load_segment_at(elf, v0, v1, ps);
	if (r->perms & MAPS_EXEC)
		return KIND_CODE;
	if (r->perms & MAPS_WRITE)
		return KIND_DATA;
	if (in_relro(elf, v0, v1))
		return KIND_RELRO;
	/* read-only and not RELRO: headers, .rodata, .eh_frame; a writable
	 * segment made read-only some other way is still data */
	if (sg && (sg->flags & PF_W))
		return KIND_DATA;
	return KIND_RODATA;
}

/* The bss tail: an anonymous rw-p region starting at the page after the
 * last file-backed byte of a PT_LOAD with p_memsz > p_filesz. */
static int find_bss(struct snapshot *s, size_t image_idx)
{
	const struct image *im = &s->images[image_idx];
	const struct elf_image *elf = im->elf;
	uint64_t ps = s->page_size;
	size_t i;
	int rc;

	for (i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *sg = &elf->segments[i];
		uint64_t lo, hi;
		long k;
		struct region *r;

		if (sg->type != PT_LOAD || sg->memsz <= sg->filesz)
			continue;
		lo = page_up(im->bias + sg->vaddr + sg->filesz, ps);
		hi = page_up(im->bias + sg->vaddr + sg->memsz, ps);
		if (lo >= hi)
			continue;	/* bss fits in the last file page */
		k = snapshot_find_region(s, lo);
		if (k < 0)
			continue;
		r = &s->regions[k];
		if (r->start != lo || r->name_kind != MAPS_NAME_NONE ||
		    (r->perms & MAPS_SHARED) || r->image)
			continue;
		r->kind = KIND_BSS;
		r->image = (uint32_t)image_idx + 1;
		{
			const char *path = strpool_get(&s->pool, im->path);
			const char *base = strrchr(path, '/');
			char text[320];

			base = base ? base + 1 : path;
			if (r->end > hi)
				snprintf(text, sizeof(text), "%.200s, merged with %llu KiB of anonymous memory",
					 base, (unsigned long long)((r->end - hi) >> 10));
			else
				snprintf(text, sizeof(text), "%.200s", base);
			rc = set_detail(s, r, text);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static void sum_image(struct snapshot *s, size_t idx)
{
	struct image *im = &s->images[idx];
	size_t i;

	sum_init(&im->rss);
	sum_init(&im->pss);
	sum_init(&im->dirty);
	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];
		uint64_t v = 0;
		bool known;

		if (r->image != idx + 1)
			continue;
		known = region_field_number(s, r, F_RSS, &v);
		sum_add(&im->rss, known, v);
		known = region_field_number(s, r, F_PSS, &v);
		sum_add(&im->pss, known, v);
		known = region_field_number(s, r, F_DIRTY, &v);
		sum_add(&im->dirty, known, v);
	}
}

int images_classify(struct snapshot *s)
{
	uint64_t ps = s->page_size ? s->page_size : 4096;
	size_t k, i;
	int rc;

	for (k = 0; k < s->nimages; k++) {
		struct image *im = &s->images[k];

		if (!im->elf)
			continue;
		im->bias_known = false;
		for (i = 0; i < s->nregions && !im->bias_known; i++) {
			const struct region *r = &s->regions[i];

			if (r->image == k + 1 && (r->perms & MAPS_READ) &&
			    region_bias(im->elf, r, ps, &im->bias))
				im->bias_known = true;
		}
		if (!im->bias_known)
			continue;
		for (i = 0; i < s->nregions; i++) {
			struct region *r = &s->regions[i];
			enum region_kind kind;

			if (r->image != k + 1)
				continue;
			kind = elf_region_kind(im->elf, r, im->bias, ps);
			if (kind == KIND_GUARD && r->kind != KIND_GUARD) {
				r->detail = 0;
				rc = set_detail(s, r, "image gap");
				if (rc)
					return rc;
			}
			r->kind = kind;
			if (!im->elf->has_section_headers && kind != KIND_GUARD && !r->detail) {
				rc = set_detail(s, r, "no section headers: segments shown");
				if (rc)
					return rc;
			}
		}
		rc = find_bss(s, k);
		if (rc)
			return rc;
	}
	return 0;
}

void images_account(struct snapshot *s)
{
	size_t k;

	for (k = 0; k < s->nimages; k++)
		sum_image(s, k);
}

static const char *segment_name(const struct elf_segment *sg, char *buf, size_t n)
{
	snprintf(buf, n, "LOAD %c%c%c", sg->flags & PF_R ? 'r' : '-',
		 sg->flags & PF_W ? 'w' : '-', sg->flags & PF_X ? 'x' : '-');
	return buf;
}

int region_sections(const struct snapshot *s, const struct region *r,
		    void (*cb)(void *ctx, const char *name), void *ctx)
{
	const struct image *im = region_image_info(s, r);
	uint64_t v0, v1, ps = s->page_size ? s->page_size : 4096;
	const struct elf_image *elf;
	int n = 0;
	size_t i;

	if (!im)
		return 0;
	if (!im->elf || !im->bias_known)
		return -1;
	elf = im->elf;
	v0 = r->start - im->bias;
	v1 = r->end - im->bias;
	if (!elf->has_section_headers) {
		char buf[16];

		for (i = 0; i < elf->nsegments; i++) {
			const struct elf_segment *sg = &elf->segments[i];

			if (sg->type == PT_LOAD &&
			    overlaps(v0, v1, page_down(sg->vaddr, ps),
				     page_up(sg->vaddr + sg->memsz, ps))) {
				cb(ctx, segment_name(sg, buf, sizeof(buf)));
				n++;
			}
		}
		return n;
	}
	for (i = 0; i < elf->nsections; i++) {
		const struct elf_section *sec = &elf->sections[i];

		if (sec->addr >= v1)
			break;
		if (overlaps(v0, v1, sec->addr, sec->addr + sec->size)) {
			cb(ctx, elf_section_name(elf, sec));
			n++;
		}
	}
	return n;
}
