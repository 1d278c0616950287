/* fuzz_cpuinfo: cpuinfo_has_flag on /proc/cpuinfo text. */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const flags[] = { "la57", "fpu", "pse", "" };
	char *copy = fuzz_dup(data, size);
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		int rc = cpuinfo_has_flag(copy, size, flags[i]);

		FUZZ_CHECK(rc == 0 || rc == 1 || rc == -ENOENT);
	}
	free(copy);
	return 0;
}
