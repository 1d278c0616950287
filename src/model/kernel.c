/* kernel.c */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/kernel.h"
#include "proc/machine.h"

struct area_def {
	const char *name;
	uint64_t start4, last4;		/* 4-level */
	uint64_t start5, last5;		/* 5-level */
	const char *note;
};

static const struct area_def areas_x86_64[] = {
	{ "guard hole (hypervisor)", 0xffff800000000000ULL, 0xffff87ffffffffffULL,
	  0xff00000000000000ULL, 0xff0fffffffffffffULL, "reserved for a hypervisor" },
	{ "LDT remap", 0xffff880000000000ULL, 0xffff887fffffffffULL,
	  0xff10000000000000ULL, 0xff10ffffffffffffULL, "LDTs for page-table isolation" },
	{ "direct map of all RAM", 0xffff888000000000ULL, 0xffffc87fffffffffULL,
	  0xff11000000000000ULL, 0xff90ffffffffffffULL,
	  "page_offset_base; moved by CONFIG_RANDOMIZE_MEMORY" },
	{ "vmalloc and ioremap", 0xffffc90000000000ULL, 0xffffe8ffffffffffULL,
	  0xffa0000000000000ULL, 0xffd1ffffffffffffULL,
	  "vmalloc_base; moved by CONFIG_RANDOMIZE_MEMORY" },
	{ "vmemmap (struct page array)", 0xffffea0000000000ULL, 0xffffeaffffffffffULL,
	  0xffd4000000000000ULL, 0xffd5ffffffffffffULL,
	  "vmemmap_base; moved by CONFIG_RANDOMIZE_MEMORY" },
	{ "KASAN shadow", 0xffffec0000000000ULL, 0xfffffbffffffffffULL,
	  0xffdf000000000000ULL, 0xfffffbffffffffffULL, "only with KASAN" },
	{ "cpu_entry_area", 0xfffffe0000000000ULL, 0xfffffe7fffffffffULL,
	  0xfffffe0000000000ULL, 0xfffffe7fffffffffULL, "per-CPU entry stacks and GDT" },
	{ "%esp fixup stacks", 0xffffff0000000000ULL, 0xffffff7fffffffffULL,
	  0xffffff0000000000ULL, 0xffffff7fffffffffULL, "" },
	{ "EFI runtime services", 0xffffffef00000000ULL, 0xfffffffeffffffffULL,
	  0xffffffef00000000ULL, 0xfffffffeffffffffULL, "" },
	{ "kernel text", 0xffffffff80000000ULL, 0xffffffffbfffffffULL,
	  0xffffffff80000000ULL, 0xffffffffbfffffffULL,
	  "__START_KERNEL_map; the 1 GiB KASLR window" },
	{ "modules", 0xffffffffc0000000ULL, 0xfffffffffeffffffULL,
	  0xffffffffc0000000ULL, 0xfffffffffeffffffULL, "MODULES_VADDR with KASLR" },
	{ "fixmap", 0xffffffffff000000ULL, 0xffffffffff5fffffULL,
	  0xffffffffff000000ULL, 0xffffffffff5fffffULL, "compile-time fixed mappings" },
	{ "vsyscall page", 0xffffffffff600000ULL, 0xffffffffff600fffULL,
	  0xffffffffff600000ULL, 0xffffffffff600fffULL, "[vsyscall], readable by processes" },
};

size_t kernel_layout(int paging_levels, const struct kernel_text *kt,
		     struct kernel_area *areas, size_t max)
{
	size_t i, n = 0;

	if (paging_levels != 4 && paging_levels != 5)
		return 0;
	for (i = 0; i < sizeof(areas_x86_64) / sizeof(areas_x86_64[0]) && n < max; i++) {
		const struct area_def *d = &areas_x86_64[i];
		struct kernel_area *a = &areas[n++];

		a->name = d->name;
		a->start = paging_levels == 5 ? d->start5 : d->start4;
		a->last = paging_levels == 5 ? d->last5 : d->last4;
		snprintf(a->note, sizeof(a->note), "%s", d->note);
		if (strcmp(d->name, "kernel text") != 0)
			continue;
		if (kt && kt->known) {
			int64_t slide = (int64_t)(kt->text - KERNEL_TEXT_DEFAULT);
			char et[40] = "";

			if (kt->etext)
				snprintf(et, sizeof(et), ", _etext 0x%" PRIx64, kt->etext);
			snprintf(a->note, sizeof(a->note), "_text 0x%" PRIx64 "%s, KASLR slide %s0x%" PRIx64,
				 kt->text, et, slide < 0 ? "-" : "",
				 (uint64_t)(slide < 0 ? -slide : slide));
		} else if (kt && kt->hidden) {
			snprintf(a->note, sizeof(a->note),
				 "the real address is hidden from this user (kptr_restrict, CAP_SYSLOG): KASLR slide unknown");
		}
	}
	return n;
}

void kernel_view_load(const struct proc_source *src, uint64_t page_size,
		      struct kernel_view *kv)
{
	int la57;

	memset(kv, 0, sizeof(*kv));
	kv->page_size = page_size;
	la57 = cpuinfo_read_flag(src, "la57");
	kv->paging_levels = la57 < 0 ? 0 : la57 ? 5 : 4;
	kv->text_err = kallsyms_read(src, &kv->text);
	kv->nareas = kernel_layout(kv->paging_levels, &kv->text, kv->areas,
				   sizeof(kv->areas) / sizeof(kv->areas[0]));
	kv->iomem_err = iomem_read(src, &kv->iomem);
	kv->zones_err = zoneinfo_read(src, &kv->zones);
}

void kernel_view_release(struct kernel_view *kv)
{
	iomem_release(&kv->iomem);
	zoneinfo_release(&kv->zones);
}
