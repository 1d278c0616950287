/* fuzz_kallsyms: kallsyms_parse on /proc/kallsyms text (exact-size copy,
 * not NUL-terminated). A known _text is never 0. */
#include "config.h"

#include "fuzz.h"
#include "proc/kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_text kt;
	char *copy = fuzz_dup(data, size);

	FUZZ_CHECK(kallsyms_parse(copy, size, &kt) == 0);
	FUZZ_CHECK(!kt.known || kt.text != 0);
	free(copy);
	return 0;
}
