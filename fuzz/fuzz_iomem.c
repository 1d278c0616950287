/* fuzz_iomem: iomem_parse on /proc/iomem text, then iomem_find and
 * iomem_system_ram_bytes on the result.
 *
 * The tree must be consistent (each parent earlier and one level up, depth
 * 0 exactly at the top), every name a string inside the parser's storage,
 * addresses_hidden exactly "some lines, all 0-0", and every lookup answer a
 * resource that holds the address, as do all its ancestors.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "proc/iomem.h"

static void check_find(const struct iomem *io, uint64_t addr)
{
	long r = iomem_find(io, addr);
	size_t i;

	FUZZ_CHECK(r >= -1 && r < (long)io->count);
	if (io->addresses_hidden) {
		FUZZ_CHECK(r == -1);
		return;
	}
	if (r == -1) {
		/* no top-level resource holds it */
		for (i = 0; i < io->count; i++)
			FUZZ_CHECK(io->res[i].depth != 0 || addr < io->res[i].start ||
				   addr > io->res[i].end);
		return;
	}
	for (; r >= 0; r = io->res[r].parent)
		FUZZ_CHECK(io->res[r].start <= addr && addr <= io->res[r].end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct iomem io;
	size_t i, lines = 0;
	bool all_zero = true;
	int rc;

	for (i = 0; i < size; i++)
		if (copy[i] == '\n')
			lines++;
	if (size && copy[size - 1] != '\n')
		lines++;
	rc = iomem_parse(copy, size, &io);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc) {
		FUZZ_CHECK(io.count == 0 && io.res == NULL && io.names == NULL);
		iomem_release(&io);
		free(copy);
		return 0;
	}
	FUZZ_CHECK(io.count == lines);
	for (i = 0; i < io.count; i++) {
		const struct iomem_resource *r = &io.res[i];
		size_t n = fuzz_touch(r->name);

		FUZZ_CHECK(r->name >= io.names && r->name + n < io.names + size + 1);
		FUZZ_CHECK(r->depth >= 0);
		if (r->depth == 0) {
			FUZZ_CHECK(r->parent == -1);
		} else {
			FUZZ_CHECK(r->parent >= 0 && r->parent < (long)i);
			FUZZ_CHECK(io.res[r->parent].depth == r->depth - 1);
		}
		if (r->start || r->end)
			all_zero = false;
	}
	FUZZ_CHECK(io.addresses_hidden == (io.count > 0 && all_zero));

	check_find(&io, 0);
	check_find(&io, UINT64_MAX);
	check_find(&io, fuzz_hash(FUZZ_HASH_INIT, data, size));
	/* the ends of the first resources, and one past */
	for (i = 0; i < io.count && i < 64; i++) {
		check_find(&io, io.res[i].start);
		check_find(&io, io.res[i].end);
		check_find(&io, io.res[i].end + 1);
	}
	if (io.addresses_hidden)
		FUZZ_CHECK(iomem_system_ram_bytes(&io) == 0);
	else
		(void)iomem_system_ram_bytes(&io);
	iomem_release(&io);
	FUZZ_CHECK(io.count == 0 && io.res == NULL);
	free(copy);
	return 0;
}
