/* sum.h: a sum of byte counts that is unknown rather than wrong.
 *
 * The terms come from the process or from a capture and may be anything up
 * to 2^64 - 1: a sum that would not fit in 64 bits is unknown, with overflow
 * set so that the caller can say why, never the small number it wraps to.
 */
#ifndef VMMAP_MODEL_SUM_H
#define VMMAP_MODEL_SUM_H

#include <stdbool.h>
#include <stdint.h>

struct sum {
	uint64_t v;		/* meaningful only when known */
	bool known;		/* every term was known and the sum fits */
	bool overflow;		/* the known terms add up beyond 2^64 - 1 */
};

/* An empty sum: 0, known. */
static inline void sum_init(struct sum *s)
{
	s->v = 0;
	s->known = true;
	s->overflow = false;
}

/* Add a term, or note that one is unknown. The known terms are still
 * added after an unknown one, so that overflow says whether they alone
 * would have overflowed. */
static inline void sum_add(struct sum *s, bool known, uint64_t v)
{
	if (!known) {
		s->known = false;
	} else if (!s->overflow && __builtin_add_overflow(s->v, v, &s->v)) {
		s->overflow = true;
		s->known = false;
	}
}

#endif
