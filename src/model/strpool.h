/* strpool.h: an append-only pool of NUL-terminated strings addressed by
 * 32-bit offsets, so regions stay small and paths shared by the segments of
 * one image are stored once. Offset 0 is always the empty string. */
#ifndef VMMAP_MODEL_STRPOOL_H
#define VMMAP_MODEL_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

struct strpool {
	char *data;
	size_t len;
	size_t cap;
	uint32_t last;		/* offset of the last string added */
};

int strpool_init(struct strpool *p);
void strpool_release(struct strpool *p);

/* Add len bytes of s (plus a NUL). Adding the same string as the previous
 * call returns the previous offset. Returns the offset (>0) in *off, or
 * -ENOMEM / -E2BIG when the pool would pass 4 GiB. */
int strpool_add(struct strpool *p, const char *s, size_t len, uint32_t *off);

static inline const char *strpool_get(const struct strpool *p, uint32_t off)
{
	return p->data + off;
}

#endif
