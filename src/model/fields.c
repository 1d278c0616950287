/* fields.c: region, process and image attributes by name. */
#include "config.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "elf/image.h"
#include "model/fields.h"
#include "model/images.h"
#include "model/snapshot.h"

static const struct field_info fields[F_COUNT] = {
	[F_START] = { "START", "start address", FIELD_ADDR },
	[F_END] = { "END", "end address (exclusive)", FIELD_ADDR },
	[F_PERMS] = { "PERMS", "permissions: r, w, x and s(hared) or p(rivate)", FIELD_TEXT },
	[F_OFFSET] = { "OFFSET", "offset into the mapped file", FIELD_ADDR },
	[F_DEV] = { "DEV", "device major:minor of the mapped file", FIELD_TEXT },
	[F_INODE] = { "INODE", "inode of the mapped file", FIELD_NUMBER },
	[F_SIZE] = { "SIZE", "size of the region", FIELD_BYTES },
	[F_RSS] = { "RSS", "resident set size", FIELD_BYTES },
	[F_PSS] = { "PSS", "proportional set size", FIELD_BYTES },
	[F_PSS_DIRTY] = { "PSS_DIRTY", "proportional size of dirty pages", FIELD_BYTES },
	[F_SHARED_CLEAN] = { "SHARED_CLEAN", "clean pages shared with other processes", FIELD_BYTES },
	[F_SHARED_DIRTY] = { "SHARED_DIRTY", "dirty pages shared with other processes", FIELD_BYTES },
	[F_PRIVATE_CLEAN] = { "PRIVATE_CLEAN", "clean pages mapped only here", FIELD_BYTES },
	[F_PRIVATE_DIRTY] = { "PRIVATE_DIRTY", "dirty pages mapped only here", FIELD_BYTES },
	[F_DIRTY] = { "DIRTY", "dirty pages, shared and private", FIELD_BYTES },
	[F_USS] = { "USS", "unique set size: private clean + private dirty", FIELD_BYTES },
	[F_REFERENCED] = { "REFERENCED", "pages marked referenced or accessed", FIELD_BYTES },
	[F_ANONYMOUS] = { "ANONYMOUS", "anonymous pages (including copy-on-write copies)", FIELD_BYTES },
	[F_KSM] = { "KSM", "pages merged by KSM", FIELD_BYTES },
	[F_LAZYFREE] = { "LAZYFREE", "pages freed with MADV_FREE, not yet reclaimed", FIELD_BYTES },
	[F_ANONHUGE] = { "ANONHUGE", "anonymous transparent huge pages", FIELD_BYTES },
	[F_SHMEMPMD] = { "SHMEMPMD", "shared memory mapped with huge pages", FIELD_BYTES },
	[F_FILEPMD] = { "FILEPMD", "file pages mapped with huge pages", FIELD_BYTES },
	[F_SHARED_HUGETLB] = { "SHARED_HUGETLB", "shared hugetlbfs pages", FIELD_BYTES },
	[F_PRIVATE_HUGETLB] = { "PRIVATE_HUGETLB", "private hugetlbfs pages", FIELD_BYTES },
	[F_SWAP] = { "SWAP", "swapped out", FIELD_BYTES },
	[F_SWAPPSS] = { "SWAPPSS", "proportional share of swap", FIELD_BYTES },
	[F_LOCKED] = { "LOCKED", "locked in memory (mlock)", FIELD_BYTES },
	[F_KPAGESIZE] = { "KPAGESIZE", "kernel page size of the region", FIELD_BYTES },
	[F_KIND] = { "KIND", "what the region is: code, heap, stack, ...", FIELD_TEXT },
	[F_DETAIL] = { "DETAIL", "more about the kind: thread, arena, SysV key, ...", FIELD_TEXT },
	[F_PATH] = { "PATH", "mapped file or kernel name", FIELD_TEXT },
	[F_IMAGE] = { "IMAGE", "the ELF image the region belongs to", FIELD_TEXT },
	[F_SECTIONS] = { "SECTIONS", "ELF sections in the region (- when the file was unreadable)", FIELD_TEXT },
	[F_TID] = { "TID", "thread owning the region (stacks and their guards)", FIELD_NUMBER },
	[F_DELETED] = { "DELETED", "the mapped file was deleted", FIELD_TEXT },
	[F_VMFLAGS] = { "VMFLAGS", "kernel VMA flags (smaps VmFlags)", FIELD_TEXT },
	[F_DUMPED] = { "DUMPED", "bytes of the region a core file holds (- when not a core)", FIELD_BYTES },
	[F_NUMA] = { "NUMA", "--numa: resident bytes per NUMA node, as node:size", FIELD_TEXT },
	[F_NUMA_POLICY] = { "NUMA_POLICY", "--numa: the NUMA memory policy (default, bind:0-1, ...)", FIELD_TEXT },
	[F_PRESENT] = { "PRESENT", "--pages: pages in RAM, from the page tables", FIELD_BYTES },
	[F_SWAPPED] = { "SWAPPED", "--pages: pages swapped out (guard markers excluded)", FIELD_BYTES },
	[F_EXCLUSIVE] = { "EXCLUSIVE", "--pages: present pages mapped only by this process", FIELD_BYTES },
	[F_HUGE] = { "HUGE", "--pages: pages in transparent or hugetlb huge pages", FIELD_BYTES },
	[F_GUARD] = { "GUARD", "--pages: MADV_GUARD_INSTALL guard pages", FIELD_BYTES },
	[F_PHYS_DIRTY] = { "PHYS_DIRTY", "--pages, root: dirty pages (kpageflags)", FIELD_BYTES },
	[F_PHYS_ACTIVE] = { "PHYS_ACTIVE", "--pages, root: pages on the active LRU", FIELD_BYTES },
	[F_PHYS_SHARED] = { "PHYS_SHARED", "--pages, root: pages mapped more than once (kpagecount)", FIELD_BYTES },
	[F_PHYS_UNEVICTABLE] = { "PHYS_UNEVICTABLE", "--pages, root: unevictable pages (mlocked)", FIELD_BYTES },
	[F_RESIDENCY] = { "RESIDENCY", "--pages: which parts are present (#), swapped (s), guard (g), untouched (.)", FIELD_TEXT },
};

const struct field_info *field_info(enum region_field f)
{
	return (unsigned int)f < F_COUNT ? &fields[f] : NULL;
}

int field_parse(const char *name, size_t len)
{
	int f;

	for (f = 0; f < F_COUNT; f++)
		if (strlen(fields[f].name) == len &&
		    strncasecmp(fields[f].name, name, len) == 0)
			return f;
	return -1;
}

static bool counter(const struct region *r, enum smaps_field k, uint64_t *out)
{
	if (!smaps_has(&r->counters, k))
		return false;
	*out = r->counters.v[k];
	return true;
}

/* Two counters added: unknown when either is, or when they add up beyond
 * 64 bits (a capture can hold any value). */
static bool counter_sum(const struct region *r, enum smaps_field a,
			enum smaps_field b, uint64_t *out)
{
	uint64_t x, y;

	if (!counter(r, a, &x) || !counter(r, b, &y))
		return false;
	return !__builtin_add_overflow(x, y, out);
}

/* The two counters a summed field adds (as region_field_number() does),
 * or false for the other fields. */
static bool summed_counters(enum region_field f, enum smaps_field *a,
			    enum smaps_field *b)
{
	switch (f) {
	case F_DIRTY:
		*a = SMAPS_SHARED_DIRTY;
		*b = SMAPS_PRIVATE_DIRTY;
		return true;
	case F_USS:
		*a = SMAPS_PRIVATE_CLEAN;
		*b = SMAPS_PRIVATE_DIRTY;
		return true;
	default:
		return false;
	}
}

bool region_field_overflows(const struct region *r, enum region_field f)
{
	enum smaps_field a, b;
	uint64_t x, y, v;

	return summed_counters(f, &a, &b) && counter(r, a, &x) && counter(r, b, &y) &&
	       __builtin_add_overflow(x, y, &v);
}

bool field_needs_pages(enum region_field f)
{
	return f >= F_PRESENT && f <= F_RESIDENCY;
}

bool field_needs_numa(enum region_field f)
{
	return f == F_NUMA || f == F_NUMA_POLICY;
}

const char *region_numa(const struct snapshot *s, const struct region *r,
			const struct node_bytes **nodes, size_t *n)
{
	const struct region_numa *rn;

	*nodes = NULL;
	*n = 0;
	if (!s->numa)
		return NULL;
	rn = &s->numa[r - s->regions];
	if (!rn->known)
		return NULL;
	*nodes = s->numa_nodes + rn->first;
	*n = rn->n;
	return strpool_get(&s->pool, rn->policy);
}

static const struct region_pages *pages_of(const struct snapshot *s,
					    const struct region *r)
{
	const struct region_pages *rp;

	if (!s->pages)
		return NULL;
	rp = &s->pages[r - s->regions];
	return rp->known ? rp : NULL;
}

/* A page count as bytes; false when unknown. */
static bool pages_value(const struct snapshot *s, const struct region *r,
			enum region_field f, uint64_t *out)
{
	const struct region_pages *rp = pages_of(s, r);
	uint64_t n;

	if (!rp)
		return false;
	switch (f) {
	case F_PRESENT: n = rp->counts.present; break;
	case F_SWAPPED: n = rp->counts.swapped; break;
	case F_GUARD: n = rp->counts.guard; break;
	case F_EXCLUSIVE:
		if (!rp->counts.exclusive_known)
			return false;
		n = rp->counts.exclusive;
		break;
	case F_HUGE:
		if (!rp->counts.huge_known)
			return false;
		n = rp->counts.huge;
		break;
	default:
		if (!rp->kpf_known)
			return false;
		n = f == F_PHYS_DIRTY ? rp->kpf.dirty :
		    f == F_PHYS_ACTIVE ? rp->kpf.active :
		    f == F_PHYS_SHARED ? rp->kpf.shared : rp->kpf.unevictable;
	}
	*out = n * s->page_size;
	return true;
}

bool region_residency_strip(const struct snapshot *s, const struct region *r,
			    int width, char *out)
{
	const struct region_pages *rp = pages_of(s, r);
	uint64_t size = region_size(r);
	int i;

	if (!rp || width <= 0 || !size)
		return false;
	for (i = 0; i < width; i++) {
		uint64_t a = r->start + size * (uint64_t)i / (uint64_t)width;
		uint64_t b = r->start + size * (uint64_t)(i + 1) / (uint64_t)width;
		uint64_t cover[4] = { 0 }, seen = 0, best = 0;
		uint32_t k;
		int st = 0;

		for (k = 0; k < rp->run_count; k++) {
			const struct page_run *run = &rp->runs[k];
			uint64_t lo = run->start > a ? run->start : a;
			uint64_t hi = run->end < b ? run->end : b;

			if (lo < hi) {
				cover[run->state] += hi - lo;
				seen += hi - lo;
			}
		}
		for (k = 0; k < 4; k++)
			if (cover[k] > best) {
				best = cover[k];
				st = (int)k;
			}
		if (seen == 0 && a < b)
			out[i] = rp->runs_truncated ? '?' : '.';
		else
			out[i] = st == PAGE_PRESENT ? '#' : st == PAGE_SWAPPED ? 's' :
				 st == PAGE_GUARD ? 'g' : '.';
	}
	out[width] = '\0';
	return true;
}

bool region_field_number(const struct snapshot *s, const struct region *r,
			 enum region_field f, uint64_t *out)
{
	if (field_needs_pages(f))
		return pages_value(s, r, f, out);
	switch (f) {
	case F_START: *out = r->start; return true;
	case F_END: *out = r->end; return true;
	case F_OFFSET: *out = r->offset; return true;
	case F_INODE: *out = r->inode; return true;
	case F_SIZE: *out = region_size(r); return true;
	case F_RSS: return counter(r, SMAPS_RSS, out);
	case F_PSS: return counter(r, SMAPS_PSS, out);
	case F_PSS_DIRTY: return counter(r, SMAPS_PSS_DIRTY, out);
	case F_SHARED_CLEAN: return counter(r, SMAPS_SHARED_CLEAN, out);
	case F_SHARED_DIRTY: return counter(r, SMAPS_SHARED_DIRTY, out);
	case F_PRIVATE_CLEAN: return counter(r, SMAPS_PRIVATE_CLEAN, out);
	case F_PRIVATE_DIRTY: return counter(r, SMAPS_PRIVATE_DIRTY, out);
	case F_DIRTY: return counter_sum(r, SMAPS_SHARED_DIRTY, SMAPS_PRIVATE_DIRTY, out);
	case F_USS: return counter_sum(r, SMAPS_PRIVATE_CLEAN, SMAPS_PRIVATE_DIRTY, out);
	case F_REFERENCED: return counter(r, SMAPS_REFERENCED, out);
	case F_ANONYMOUS: return counter(r, SMAPS_ANONYMOUS, out);
	case F_KSM: return counter(r, SMAPS_KSM, out);
	case F_LAZYFREE: return counter(r, SMAPS_LAZY_FREE, out);
	case F_ANONHUGE: return counter(r, SMAPS_ANON_HUGE, out);
	case F_SHMEMPMD: return counter(r, SMAPS_SHMEM_PMD, out);
	case F_FILEPMD: return counter(r, SMAPS_FILE_PMD, out);
	case F_SHARED_HUGETLB: return counter(r, SMAPS_SHARED_HUGETLB, out);
	case F_PRIVATE_HUGETLB: return counter(r, SMAPS_PRIVATE_HUGETLB, out);
	case F_SWAP: return counter(r, SMAPS_SWAP, out);
	case F_SWAPPSS: return counter(r, SMAPS_SWAP_PSS, out);
	case F_LOCKED: return counter(r, SMAPS_LOCKED, out);
	case F_KPAGESIZE: return counter(r, SMAPS_KERNEL_PAGE_SIZE, out);
	case F_TID:
		if (r->tid <= 0)
			return false;
		*out = (uint64_t)r->tid;
		return true;
	case F_DUMPED:
		if (!s->dumped_bytes)
			return false;
		*out = s->dumped_bytes[r - s->regions];
		return true;
	default:
		return false;
	}
}

struct section_text {
	char *buf;
	size_t size;
	size_t len;
};

static void append_section(void *ctx, const char *name)
{
	struct section_text *st = ctx;
	int n;

	if (st->len + 2 >= st->size)
		return;
	n = snprintf(st->buf + st->len, st->size - st->len, "%s%s",
		     st->len ? "," : "", name);
	if (n > 0)
		st->len = st->len + (size_t)n < st->size ? st->len + (size_t)n : st->size - 1;
}

const char *region_field_text(const struct snapshot *s, const struct region *r,
			      enum region_field f, char *buf, size_t bufsize)
{
	switch (f) {
	case F_PERMS:
		if (bufsize < 5)
			return NULL;
		maps_perms_string(r->perms, buf);
		return buf;
	case F_DEV:
		snprintf(buf, bufsize, "%02x:%02x", r->dev_major, r->dev_minor);
		return buf;
	case F_KIND:
		return region_kind_name(r->kind);
	case F_DETAIL:
		return region_detail(s, r);
	case F_PATH:
		return region_path(s, r);
	case F_IMAGE:
		return region_image(s, r);
	case F_SECTIONS: {
		struct section_text st = { buf, bufsize, 0 };

		buf[0] = '\0';
		if (region_sections(s, r, append_section, &st) < 0)
			snprintf(buf, bufsize, "-");
		return buf[0] ? buf : NULL;
	}
	case F_DELETED:
		return r->flags & REGION_DELETED ? "deleted" : NULL;
	case F_NUMA_POLICY: {
		const struct node_bytes *nb;
		size_t n;

		return region_numa(s, r, &nb, &n);
	}
	case F_RESIDENCY:
		return bufsize > RESIDENCY_CELL_WIDTH &&
		       region_residency_strip(s, r, RESIDENCY_CELL_WIDTH, buf) ? buf : NULL;
	case F_VMFLAGS: {
		size_t o = 0;
		int i;

		if (!(r->flags & REGION_HAS_VMFLAGS))
			return NULL;
		buf[0] = '\0';
		for (i = 0; i < 64 && o + 4 < bufsize; i++) {
			const char *n;

			if (!((r->vm_flags >> i) & 1))
				continue;
			n = i == VMFLAG_UNKNOWN_BIT ? "??" : vmflag_name(i);
			if (!n)
				continue;
			o += (size_t)snprintf(buf + o, bufsize - o, "%s%s",
					      o ? " " : "", n);
		}
		return buf;
	}
	default:
		return NULL;
	}
}

int region_counter_count(void)
{
	return SMAPS_NFIELDS;
}

bool region_counter(const struct region *r, int i, struct region_counter *out)
{
	if (i < 0 || i >= SMAPS_NFIELDS || !smaps_has(&r->counters, i))
		return false;
	out->key = smaps_field_key(i);
	if (!out->key)
		return false;
	out->v = r->counters.v[i];
	out->bytes = i != SMAPS_THP_ELIGIBLE && i != SMAPS_PROTECTION_KEY;
	return true;
}

const char *region_vmflag_name(int i)
{
	if (i < 0 || i >= REGION_VMFLAG_BITS)
		return NULL;
	return i == VMFLAG_UNKNOWN_BIT ? "??" : vmflag_name(i);
}

bool region_vmflag(const struct region *r, int i, const char **name, const char **what)
{
	if (i < 0 || i >= REGION_VMFLAG_BITS || !((r->vm_flags >> i) & 1))
		return false;
	*name = region_vmflag_name(i);
	*what = i == VMFLAG_UNKNOWN_BIT ? "a flag this vmmap does not know" :
		vmflag_description(i);
	return true;
}

int process_mm_count(void)
{
	return MM_NFIELDS;
}

bool process_mm(const struct snapshot *s, int i, const char **name, uint64_t *v)
{
	if (i < 0 || i >= MM_NFIELDS)
		return false;
	*name = stat_mm_field_name(i);
	*v = s->stat.mm[i];
	return i == MM_BRK ? s->brk_known : s->mm_known;
}

int process_status_count(void)
{
	return STATUS_NFIELDS;
}

bool process_status(const struct snapshot *s, int i, const char **name, uint64_t *v)
{
	if (i < 0 || i >= STATUS_NFIELDS)
		return false;
	*name = status_field_name(i);
	*v = s->status.v[i];
	return s->status_known && status_has(&s->status, i);
}

bool image_elf(const struct image *im, struct image_elf *out)
{
	const struct elf_image *elf = im->elf;
	size_t i;

	if (!elf)
		return false;
	out->type = elf->type == ELF_IMAGE_EXEC ? "exec" :
		    elf->type == ELF_IMAGE_DYN ? "dyn" : "other";
	out->elf_class = elf->elf_class;
	out->has_section_headers = elf->has_section_headers;
	for (i = 0; i < elf->build_id_len && i < sizeof(elf->build_id); i++)
		snprintf(out->build_id + 2 * i, 3, "%02x", elf->build_id[i]);
	out->build_id[2 * i] = '\0';
	out->nsegments = elf->nsegments;
	return true;
}

static void segment_type_name(uint32_t type, char *buf, size_t n)
{
	const char *name;

	switch (type) {
	case PT_LOAD: name = "LOAD"; break;
	case PT_DYNAMIC: name = "DYNAMIC"; break;
	case PT_INTERP: name = "INTERP"; break;
	case PT_NOTE: name = "NOTE"; break;
	case PT_PHDR: name = "PHDR"; break;
	case PT_TLS: name = "TLS"; break;
	case PT_GNU_EH_FRAME: name = "GNU_EH_FRAME"; break;
	case PT_GNU_STACK: name = "GNU_STACK"; break;
	case PT_GNU_RELRO: name = "GNU_RELRO"; break;
	case 0x6474e553: name = "GNU_PROPERTY"; break;	/* PT_GNU_PROPERTY */
	default:
		snprintf(buf, n, "0x%x", type);
		return;
	}
	snprintf(buf, n, "%s", name);
}

bool image_segment(const struct image *im, size_t i, struct image_segment *out)
{
	const struct elf_segment *sg;

	if (!im->elf || i >= im->elf->nsegments)
		return false;
	sg = &im->elf->segments[i];
	segment_type_name(sg->type, out->type, sizeof(out->type));
	out->flags[0] = sg->flags & PF_R ? 'r' : '-';
	out->flags[1] = sg->flags & PF_W ? 'w' : '-';
	out->flags[2] = sg->flags & PF_X ? 'x' : '-';
	out->flags[3] = '\0';
	out->vaddr = sg->vaddr;
	out->memsz = sg->memsz;
	return true;
}
