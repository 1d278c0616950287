/* fuzz_task: cmdline_parse (/proc/PID/cmdline) and syscall_parse_sp
 * (/proc/PID/task/TID/syscall) on the same bytes. */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "proc/task.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	unsigned long long sp;
	char **argv = NULL;
	size_t argc = 0, i, total = 0;
	int rc;

	rc = cmdline_parse(copy, size, &argv, &argc);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(argv[argc] == NULL);
	for (i = 0; i < argc; i++)
		total += fuzz_touch(argv[i]) + 1;
	/* the arguments and their separators are the text, NUL-terminated */
	FUZZ_CHECK(total == size + (size && data[size - 1] != '\0'));
	free(argv);

	rc = syscall_parse_sp(copy, size, &sp);
	FUZZ_CHECK(rc == 0 || rc == -EAGAIN || rc == -ESRCH || rc == -EINVAL);
	if (rc == 0)
		FUZZ_CHECK(sp != 0);
	free(copy);
	return 0;
}
