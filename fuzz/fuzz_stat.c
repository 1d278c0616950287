/* fuzz_stat: stat_parse on /proc/PID/stat text. */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/stat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct stat_info st;
	int rc, i;

	rc = stat_parse(copy, size, &st);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		FUZZ_CHECK(st.pid > 0);
		FUZZ_CHECK(memchr(st.comm, '\0', sizeof(st.comm)) != NULL);
		FUZZ_CHECK(st.mm_state >= STAT_MM_VALID && st.mm_state <= STAT_MM_MISSING);
		for (i = 0; i < MM_NFIELDS; i++)
			FUZZ_CHECK(stat_mm_field_name(i) != NULL);
	}
	free(copy);
	return 0;
}
