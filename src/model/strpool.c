/* strpool.c */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/strpool.h"
#include "util/array.h"

int strpool_init(struct strpool *p)
{
	p->cap = 4096;
	p->data = malloc(p->cap);
	if (!p->data)
		return -ENOMEM;
	p->data[0] = '\0';
	p->len = 1;
	p->last = 0;
	return 0;
}

void strpool_release(struct strpool *p)
{
	free(p->data);
	memset(p, 0, sizeof(*p));
}

int strpool_add(struct strpool *p, const char *s, size_t len, uint32_t *off)
{
	if (len == 0) {
		*off = 0;
		return 0;
	}
	if (p->last && strlen(p->data + p->last) == len &&
	    memcmp(p->data + p->last, s, len) == 0) {
		*off = p->last;
		return 0;
	}
	if (p->len + len + 1 > UINT32_MAX)
		return -E2BIG;
	if (ARRAY_GROW(&p->data, &p->cap, p->len + len + 1, 0))
		return -ENOMEM;
	memcpy(p->data + p->len, s, len);
	p->data[p->len + len] = '\0';
	*off = (uint32_t)p->len;
	p->last = *off;
	p->len += len + 1;
	return 0;
}
