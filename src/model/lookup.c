/* lookup.c: --addr. The region, image and thread come from the snapshot;
 * symbols, the page and physical memory are read here, once per call. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/image.h"
#include "load/source.h"
#include "model/lookup.h"
#include "model/snapshot.h"
#include "proc/iomem.h"
#include "proc/mapfile.h"
#include "proc/zoneinfo.h"
#include "util/text.h"

int lookup_parse_list(const char *arg, uint64_t **addrs, size_t *n, const char **bad)
{
	size_t cap = 1, k = 0;
	const char *p;
	uint64_t *v;

	for (p = arg; *p; p++)
		cap += *p == ',';
	v = malloc(cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p = arg;
	for (;;) {
		size_t len = strcspn(p, ",");
		char buf[32], *e;

		*bad = p;
		if (len == 0 || len >= sizeof(buf) || *p == '-') {
			free(v);
			return -EINVAL;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		errno = 0;
		v[k] = strtoull(buf, &e, 16);
		if (errno || *e || e == buf) {
			free(v);
			return -EINVAL;
		}
		k++;
		p += len;
		if (!*p)
			break;
		p++;
	}
	*addrs = v;
	*n = k;
	return 0;
}

/* The gap or region around addr: the last region starting at or below it
 * and the first one starting above it. */
static void neighbours(const struct snapshot *s, uint64_t addr, struct lookup *l)
{
	size_t lo = 0, hi = s->nregions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->regions[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lo = first region starting above addr */
	l->next = lo < s->nregions ? (long)lo : -1;
	if (l->region >= 0)
		l->prev = l->region > 0 ? l->region - 1 : -1;
	else
		l->prev = lo > 0 ? (long)lo - 1 : -1;
}

static void why_not(const struct snapshot *s, struct lookup *l)
{
	const struct address_space *as = &s->as;

	if (!as->hole_known) {
		l->canonical = false;
		l->why = l->region >= 0 ? NULL : "the paging mode is unknown";
		return;
	}
	l->canonical = address_space_is_canonical(as, l->addr);
	if (!l->canonical)
		l->why = as->paging_levels == 5 ?
			 "in the canonical hole: with 5-level paging bits 63..56 must all equal bit 56" :
			 "in the canonical hole: with 4-level paging bits 63..47 must all equal bit 47";
	else if (l->addr >= as->kernel_start && l->region < 0)
		l->why = "in the kernel half: not accessible to the process";
	else if (as->task_size_known && l->addr >= as->task_size && l->region < 0)
		l->why = "above the task size: never mapped";
	else if (l->region < 0)
		l->why = "not mapped";
}

/* Why an image's symbols are unknown: once, however many of the addresses
 * fall in it. */
static void warn_skipped(struct snapshot *s, const char *path,
			 const struct elf_skipped *skipped)
{
	char msg[8192];
	size_t i;

	snprintf(msg, sizeof(msg), "cannot read %s of %s: %s: %s", skipped->what, path,
		 skipped->why, skipped->loss);
	for (i = 0; i < s->nwarnings; i++)
		if (strcmp(s->warnings[i], msg) == 0)
			return;
	snapshot_warn(s, "%s", msg);
}

static void image_facts(const struct source *src, struct snapshot *s,
			struct lookup *l)
{
	const struct region *r = &s->regions[l->region];
	const struct image *im = region_image_info(s, r);
	const struct elf_section *sec;
	const struct elf_symbol *sym;
	struct elf_symbols syms;
	struct mapped_file_id id;
	uint64_t vaddr;
	int fd;

	if (r->name_kind == MAPS_NAME_PATH && (r->inode || s->files_by_path)) {
		l->file_offset_known = true;
		l->file_offset = r->offset + l->offset;
	}
	if (!im || !im->elf || !im->bias_known)
		return;
	vaddr = l->addr - im->bias;
	sec = elf_image_section_at(im->elf, vaddr);
	if (sec)
		snprintf(l->section, sizeof(l->section), "%s", elf_section_name(im->elf, sec));
	id = (struct mapped_file_id){
		.start = r->start, .end = r->end,
		.path = strpool_get(&s->pool, im->path),
		.dev_major = im->dev_major, .dev_minor = im->dev_minor,
		.inode = im->inode,
	};
	/* a bss region is anonymous: the file is the image's */
	if (r->name_kind != MAPS_NAME_PATH) {
		size_t i;

		for (i = 0; i < s->nregions; i++)
			if (s->regions[i].image == r->image &&
			    s->regions[i].name_kind == MAPS_NAME_PATH) {
				id.start = s->regions[i].start;
				id.end = s->regions[i].end;
				break;
			}
	}
	fd = source_open_image(src, &s->proc, &id);
	if (fd < 0)
		return;
	if (elf_symbols_read_fd(fd, &syms) == 0) {
		if (syms.skipped.what)
			warn_skipped(s, id.path, &syms.skipped);
		sym = elf_symbols_find(&syms, vaddr);
		if (sym) {
			snprintf(l->symbol, sizeof(l->symbol), "%s", elf_symbol_name(&syms, sym));
			l->symbol_offset = vaddr - sym->value;
		}
		elf_symbols_release(&syms);
	}
	close(fd);
}

struct one_pfn {
	uint64_t pfn;
};

static int take_pfn(void *ctx, const uint64_t *pfns, size_t n)
{
	if (n)
		((struct one_pfn *)ctx)->pfn = pfns[0];
	return 0;
}

static void page_facts(struct snapshot *s, struct pagemap *pm, struct lookup *l,
		       const struct iomem *io, const struct zoneinfo *zi)
{
	uint64_t page = l->addr & ~(s->page_size - 1);
	struct one_pfn pf = { 0 };
	struct page_scan ps;
	long k;

	page_scan_init(&ps, 1);
	if (pagemap_scan_range_pfns(pm, page, page + s->page_size, 0, &ps, take_pfn, &pf) == 0 &&
	    ps.nruns == 1) {
		l->page_known = true;
		l->page.present = ps.runs[0].state == PAGE_PRESENT;
		l->page.swapped = ps.runs[0].state == PAGE_SWAPPED;
		l->page.guard = ps.runs[0].state == PAGE_GUARD;
		l->page.file = ps.counts.file != 0;
		l->page.exclusive = ps.counts.exclusive != 0;
		l->page.soft_dirty = ps.counts.soft_dirty != 0;
		l->page.pfn = pf.pfn;
	}
	page_scan_release(&ps);
	if (pm->method != PAGEMAP_PREAD) {
		page_scan_init(&ps, 1);
		if (pagemap_scan_range(pm, page, page + s->page_size, 0, &ps) == 0) {
			l->huge_known = true;
			l->huge = ps.counts.huge != 0;
		}
		page_scan_release(&ps);
	}
	if (!l->page.present || !pf.pfn)
		return;
	l->phys_known = true;
	l->phys_addr = pf.pfn * s->page_size + (l->addr & (s->page_size - 1));
	k = io ? iomem_find(io, l->phys_addr) : -1;
	if (k >= 0)
		snprintf(l->iomem, sizeof(l->iomem), "%s", io->res[k].name);
	k = zi ? zoneinfo_find_pfn(zi, pf.pfn) : -1;
	if (k >= 0)
		snprintf(l->zone, sizeof(l->zone), "%s", zi->zones[k].name);
}

int lookup_addresses(const struct source *src, struct snapshot *snap,
		     const uint64_t *addrs, size_t n, struct lookup **out)
{
	struct pagemap pm = { .fd = -1 };
	struct iomem io = { 0 };
	struct zoneinfo zi = { 0 };
	bool have_pm = false, have_io = false, have_zi = false, hidden_warned = false;
	struct lookup *v;
	size_t i, t;
	int rc;

	*out = v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (snap->live && snap->proc.dir_fd >= 0) {
		rc = pagemap_open(&snap->proc, snap->page_size, &pm);
		have_pm = rc == 0;
		if (!have_pm)
			snapshot_warn(snap, "page states of the addresses unknown: cannot open %s/pagemap: %s",
				      snap->proc.path, errno_text(rc));
		have_io = iomem_read(&src->proc, &io) == 0 && !io.addresses_hidden;
		have_zi = zoneinfo_read(&src->proc, &zi) == 0;
	} else {
		snapshot_warn(snap, "page states and physical addresses unknown: only a live process has them");
	}
	for (i = 0; i < n; i++) {
		struct lookup *l = &v[i];

		l->addr = addrs[i];
		l->region = snapshot_find_region(snap, l->addr);
		neighbours(snap, l->addr, l);
		why_not(snap, l);
		if (l->region < 0)
			continue;
		l->offset = l->addr - snap->regions[l->region].start;
		for (t = 0; t < snap->nthreads; t++)
			if (snap->threads[t].stack == l->region)
				l->tid = snap->threads[t].tid;
		image_facts(src, snap, l);
		if (have_pm && snap->regions[l->region].name_kind != MAPS_NAME_VSYSCALL) {
			page_facts(snap, &pm, l, have_io ? &io : NULL, have_zi ? &zi : NULL);
			if (l->page.present && !l->page.pfn && !hidden_warned) {
				snapshot_warn(snap, "physical addresses unknown: pagemap hides page frame numbers without CAP_SYS_ADMIN");
				hidden_warned = true;
			}
		}
	}
	if (have_pm)
		pagemap_close(&pm);
	iomem_release(&io);
	zoneinfo_release(&zi);
	return 0;
}
