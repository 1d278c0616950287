/* address_space.c: paging mode, task size, canonical hole, violations.
 *
 * x86-64 (reference §5): a 64-bit task's TASK_SIZE is 2^47 - 4096 with
 * 4-level paging and 2^56 - 4096 with 5-level; a compat task's is
 * 0xffffe000 (or 0xc0000000 with ADDR_LIMIT_3GB). Canonical addresses are
 * [0, 2^va_bits) and [2^64 - 2^va_bits, 2^64).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/address_space.h"
#include "model/region.h"
#include "util/array.h"

#define TASK_SIZE_4LEVEL ((1ULL << 47) - 4096)
#define TASK_SIZE_5LEVEL ((1ULL << 56) - 4096)
#define TASK_SIZE_COMPAT 0xffffe000ULL

static int add_violation(struct address_space *as, size_t *cap,
			 uint64_t start, uint64_t end, const char *why)
{
	if (ARRAY_GROW(&as->violations, cap, as->nviolations + 1, 4))
		return -ENOMEM;
	as->violations[as->nviolations++] = (struct violation){ start, end, why };
	return 0;
}

bool address_space_is_canonical(const struct address_space *as, uint64_t addr)
{
	if (!as->hole_known)
		return false;
	return addr < as->hole_start || addr > as->hole_end;
}

int address_space_compute(struct address_space *as,
			  const struct address_space_evidence *ev,
			  const struct region *regions, size_t nregions)
{
	/* Without an arch (the executable was unreadable), a cpuinfo "flags"
	 * line, which only x86 prints, still says x86. */
	bool x86 = ev->arch ? (strcmp(ev->arch, "x86_64") == 0 ||
			       strcmp(ev->arch, "i386") == 0 ||
			       strcmp(ev->arch, "x32") == 0)
			    : ev->cpu_la57 >= 0;
	bool high_mapping = false;
	size_t i, cap = 0;
	int rc;

	memset(as, 0, sizeof(*as));
	for (i = 0; i < nregions; i++)
		if (regions[i].end > (1ULL << 47) &&
		    regions[i].name_kind != MAPS_NAME_VSYSCALL)
			high_mapping = true;

	if (!x86) {
		as->unknown_why = ev->arch ? "paging mode is only modelled for x86-64"
					   : "the architecture is unknown";
	} else if (ev->task_size_probed && ev->elf_class == 64 &&
		   ev->task_size == TASK_SIZE_5LEVEL) {
		as->paging_levels = 5;
	} else if (ev->task_size_probed && ev->elf_class == 64 &&
		   ev->task_size == TASK_SIZE_4LEVEL) {
		as->paging_levels = 4;
	} else if (high_mapping) {
		as->paging_levels = 5;	/* only LA57 can map above 2^47 */
	} else if (ev->cpu_la57 >= 0) {
		as->paging_levels = ev->cpu_la57 ? 5 : 4;
	} else {
		as->unknown_why = "no pagemap and no cpu flags to tell 4- from 5-level paging";
	}

	if (as->paging_levels) {
		as->va_bits = as->paging_levels == 5 ? 56 : 47;
		as->hole_known = true;
		as->hole_start = 1ULL << as->va_bits;
		as->kernel_start = 0ULL - (1ULL << as->va_bits);
		as->hole_end = as->kernel_start - 1;
	}
	if (ev->task_size_probed) {
		as->task_size_known = true;
		as->task_size = ev->task_size;
		as->task_size_source = "pagemap";
	} else if (as->paging_levels && ev->elf_class) {
		as->task_size_known = true;
		as->task_size = ev->elf_class == 32 ? TASK_SIZE_COMPAT :
				as->paging_levels == 5 ? TASK_SIZE_5LEVEL :
				TASK_SIZE_4LEVEL;
		as->task_size_source = "paging mode";
	}

	for (i = 0; i < nregions; i++) {
		const struct region *r = &regions[i];
		bool gate = r->name_kind == MAPS_NAME_VSYSCALL;

		if (r->end <= r->start) {
			rc = add_violation(as, &cap, r->start, r->end, "empty or inverted range");
			if (rc)
				return rc;
		}
		if (i && r->start < regions[i - 1].end) {
			rc = add_violation(as, &cap, r->start, r->end,
					   "overlaps or precedes the previous region");
			if (rc)
				return rc;
		}
		if (gate) {
			if (r->start != VSYSCALL_START || r->end != VSYSCALL_END) {
				rc = add_violation(as, &cap, r->start, r->end,
						   "[vsyscall] is not at the gate page");
				if (rc)
					return rc;
			}
			continue;	/* a legal kernel-half page */
		}
		if (as->hole_known &&
		    (!address_space_is_canonical(as, r->start) ||
		     !address_space_is_canonical(as, r->end - 1))) {
			rc = add_violation(as, &cap, r->start, r->end,
					   "non-canonical: inside the canonical hole");
			if (rc)
				return rc;
		} else if (as->task_size_known && r->end > as->task_size) {
			rc = add_violation(as, &cap, r->start, r->end,
					   "above the task size");
			if (rc)
				return rc;
		}
	}
	return 0;
}

void address_space_release(struct address_space *as)
{
	free(as->violations);
	as->violations = NULL;
	as->nviolations = 0;
}
