/* array.h: growing an array of fixed-size items.
 *
 * Every list that grows as input arrives (regions, warnings, PIDs, runs of
 * pages, names) grows through array_grow(), so the doubling and its
 * overflow checks are written once. Input is hostile: a count taken from it
 * must never wrap a size computation into a small allocation.
 *
 * Library-free: needs only libc.
 */
#ifndef VMMAP_UTIL_ARRAY_H
#define VMMAP_UTIL_ARRAY_H

#include <stddef.h>

/* Make *items (an array of *cap items of item_size bytes each, or NULL
 * with *cap 0) hold at least need items. When it must grow, the new
 * capacity is the larger of need, twice *cap and min_cap (the first
 * allocation's size; 0 for need alone), clamped so that cap * item_size
 * fits in a size_t. The items already there are kept (realloc); new
 * slots are uninitialised.
 *
 * Returns 0, or -ENOMEM when the allocation fails or need items of
 * item_size bytes cannot be counted in a size_t; *items and *cap are then
 * unchanged (and still owned by the caller). */
int array_grow(void *items, size_t *cap, size_t need, size_t item_size, size_t min_cap);

/* array_grow() that never makes *cap larger than max_cap items, for a list
 * whose length is bounded: need above max_cap is -ENOMEM. */
int array_grow_max(void *items, size_t *cap, size_t need, size_t item_size,
		   size_t min_cap, size_t max_cap);

/* array_grow() typed by the array pointer: ARRAY_GROW(&v, &cap, n + 1, 16)
 * with v a "struct x *" grows v to hold n + 1 items of struct x. */
#define ARRAY_GROW(items, cap, need, min_cap) \
	array_grow((items), (cap), (need), sizeof(**(items)), (min_cap))
#define ARRAY_GROW_MAX(items, cap, need, min_cap, max_cap) \
	array_grow_max((items), (cap), (need), sizeof(**(items)), (min_cap), (max_cap))

#endif
