/* kallsyms.h: where the kernel's text is, from /proc/kallsyms. Values are
 * printed as zeros when kptr_restrict or perf_event_paranoid hide them
 * (reference §8.2). */
#ifndef VMMAP_PROC_KALLSYMS_H
#define VMMAP_PROC_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

struct kernel_text {
	bool known;
	uint64_t text;		/* _text */
	uint64_t etext;		/* _etext, 0 when absent */
	bool hidden;		/* the file was readable but showed zeros */
};

/* Parse kallsyms text for _text and _etext. Stops early once both are
 * seen. Returns 0 (out->known false when _text is absent or hidden). */
int kallsyms_parse(const char *text, size_t len, struct kernel_text *out);

/* Read src's kallsyms (in chunks, stopping at _etext: the file is
 * megabytes long). Returns 0 or -errno. */
int kallsyms_read(const struct proc_source *src, struct kernel_text *out);

/* The address the kernel text would have without KASLR on x86-64
 * (__START_KERNEL = 0xffffffff81000000 with the default 16 MiB
 * CONFIG_PHYSICAL_START). */
#define KERNEL_TEXT_DEFAULT 0xffffffff81000000ULL

#endif
