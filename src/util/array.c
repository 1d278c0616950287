/* array.c: see array.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

int array_grow_max(void *items, size_t *cap, size_t need, size_t item_size,
		   size_t min_cap, size_t max_cap)
{
	size_t max, n;
	void *old, *p;

	if (need <= *cap)
		return 0;
	if (!item_size)
		return -ENOMEM;
	max = SIZE_MAX / item_size;
	if (max > max_cap)
		max = max_cap;
	if (need > max)
		return -ENOMEM;
	n = *cap <= max / 2 ? *cap * 2 : max;
	if (n < min_cap)
		n = min_cap < max ? min_cap : max;
	if (n < need)
		n = need;
	memcpy(&old, items, sizeof(old));
	p = realloc(old, n * item_size);
	if (!p)
		return -ENOMEM;
	memcpy(items, &p, sizeof(p));
	*cap = n;
	return 0;
}

int array_grow(void *items, size_t *cap, size_t need, size_t item_size, size_t min_cap)
{
	return array_grow_max(items, cap, need, item_size, min_cap, SIZE_MAX);
}
