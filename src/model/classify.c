/* classify.c: region kinds from names, permissions, VmFlags and threads.
 *
 * A file is an ELF image when some private mapping of it is executable
 * (images.c groups them). Its regions first get kinds from their
 * permissions: code (r-x), relro (r-- with VM_ACCOUNT: a private writable
 * mapping made read-only after relocation), rodata (other r--), data (rw-)
 * and "image gap" guards (---); images.c then refines them from the ELF
 * headers when the file can be read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "model/images.h"
#include "model/snapshot.h"

static const char *const kind_names[KIND_COUNT] = {
	[KIND_CODE] = "code",
	[KIND_RODATA] = "rodata",
	[KIND_RELRO] = "relro",
	[KIND_DATA] = "data",
	[KIND_BSS] = "bss",
	[KIND_HEAP] = "heap",
	[KIND_STACK] = "stack",
	[KIND_THREAD_STACK] = "thread_stack",
	[KIND_GUARD] = "guard",
	[KIND_ANON] = "anon",
	[KIND_FILE] = "file",
	[KIND_SHM] = "shm",
	[KIND_DEVICE] = "device",
	[KIND_VDSO] = "vdso",
	[KIND_VVAR] = "vvar",
	[KIND_VSYSCALL] = "vsyscall",
	[KIND_OTHER] = "other",
};

const char *region_kind_name(enum region_kind k)
{
	return (unsigned int)k < KIND_COUNT ? kind_names[k] : NULL;
}

int region_kind_parse(const char *name, size_t len)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		if (strlen(kind_names[k]) == len &&
		    strncasecmp(kind_names[k], name, len) == 0)
			return k;
	return -1;
}

static int set_detail(struct snapshot *s, struct region *r, const char *text)
{
	return strpool_add(&s->pool, text, strlen(text), &r->detail);
}

static bool has_vmflag(const struct region *r, const char *name)
{
	int i = vmflag_index(name);

	return i >= 0 && (r->vm_flags >> i) & 1;
}

/* has_vmflag() for a verdict that rests on it: a region whose VmFlags are
 * yet to come (the pipelined read knows the regions from maps before smaps
 * gives their VmFlags) makes the snapshot's kinds provisional. */
static bool verdict_vmflag(struct snapshot *s, const struct region *r, const char *name)
{
	if (!(r->flags & REGION_HAS_VMFLAGS))
		s->kinds_wait_vmflags = true;
	return has_vmflag(r, name);
}

static bool path_has_prefix(const char *path, const char *prefix)
{
	return path && strncmp(path, prefix, strlen(prefix)) == 0;
}

/* Kind from the name and permissions alone (images handled by the caller). */
static enum region_kind base_kind(const struct snapshot *s, const struct region *r)
{
	const char *path = region_path(s, r);
	bool shared = r->perms & MAPS_SHARED;

	switch (r->name_kind) {
	case MAPS_NAME_HEAP:
		return KIND_HEAP;
	case MAPS_NAME_STACK:
		return KIND_STACK;
	case MAPS_NAME_VDSO:
		return KIND_VDSO;
	case MAPS_NAME_VVAR:
		return KIND_VVAR;
	case MAPS_NAME_VSYSCALL:
		return KIND_VSYSCALL;
	case MAPS_NAME_ANON_SHMEM:
	case MAPS_NAME_MEMFD:
	case MAPS_NAME_SYSV:
	case MAPS_NAME_DEV_ZERO:
		return KIND_SHM;
	case MAPS_NAME_HUGEPAGE:
		return shared ? KIND_SHM : KIND_ANON;
	case MAPS_NAME_ANON:
	case MAPS_NAME_SECRETMEM:
	case MAPS_NAME_NONE:
		if (!(r->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC)))
			return KIND_GUARD;
		return shared ? KIND_SHM : KIND_ANON;
	case MAPS_NAME_PATH:
		if (!(r->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC)))
			return KIND_GUARD;
		if (path_has_prefix(path, "/dev/shm/"))
			return KIND_SHM;
		if (path_has_prefix(path, "/dev/"))
			return KIND_DEVICE;
		return KIND_FILE;
	case MAPS_NAME_ANON_INODE:
	case MAPS_NAME_PSEUDO:
	case MAPS_NAME_SPECIAL:
	default:
		return KIND_OTHER;
	}
}

static enum region_kind image_kind(const struct region *r)
{
	if (!(r->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC)))
		return KIND_GUARD;
	if (r->perms & MAPS_EXEC)
		return KIND_CODE;
	if (r->perms & MAPS_WRITE)
		return KIND_DATA;
	if (has_vmflag(r, "ac"))
		return KIND_RELRO;
	return KIND_RODATA;
}

static int detail_for_name(struct snapshot *s, struct region *r)
{
	const char *path = region_path(s, r);
	char text[64];

	switch (r->name_kind) {
	case MAPS_NAME_ANON:
	case MAPS_NAME_ANON_SHMEM: {
		/* "[anon:NAME]" -> "NAME"; copied out first because adding
		 * to the pool may move the path. */
		const char *colon = strchr(path, ':');
		size_t n = strlen(colon + 1);
		char *name;
		int rc;

		if (n && colon[n] == ']')
			n--;
		name = strndup(colon + 1, n);
		if (!name)
			return -ENOMEM;
		rc = strpool_add(&s->pool, name, n, &r->detail);
		free(name);
		return rc;
	}
	case MAPS_NAME_SYSV: {
		unsigned long key = strtoul(path + 5, NULL, 16);

		snprintf(text, sizeof(text), "SysV key 0x%lx", key);
		return set_detail(s, r, text);
	}
	case MAPS_NAME_MEMFD:
		return set_detail(s, r, "memfd");
	case MAPS_NAME_DEV_ZERO:
		return set_detail(s, r, "shared anonymous");
	case MAPS_NAME_HUGEPAGE:
		return set_detail(s, r, "hugetlb anonymous");
	case MAPS_NAME_SECRETMEM:
		return set_detail(s, r, "secretmem");
	case MAPS_NAME_ANON_INODE:
	case MAPS_NAME_PSEUDO:
	case MAPS_NAME_SPECIAL:
		r->detail = r->path;
		return 0;
	case MAPS_NAME_PATH:
		if (path_has_prefix(path, "/dev/shm/") && (r->perms & MAPS_SHARED))
			return set_detail(s, r, "POSIX shm");
		return 0;
	case MAPS_NAME_NONE:
		if (r->perms & MAPS_SHARED)
			return set_detail(s, r, "shared anonymous");
		/* W^X broken: typically a JIT's code cache */
		if ((r->perms & (MAPS_WRITE | MAPS_EXEC)) == (MAPS_WRITE | MAPS_EXEC))
			return set_detail(s, r, "writable and executable");
		return 0;
	default:
		return 0;
	}
}

/* glibc's non-main malloc arenas: heaps of HEAP_MAX_SIZE (64 MiB on 64-bit,
 * 1 MiB on 32-bit), aligned to that size, grown with mprotect out of a
 * PROT_NONE reservation that ends at the next aligned boundary. */
static int classify_arenas(struct snapshot *s)
{
	uint64_t heap_max = s->elf_class == 32 ? 1ULL << 20 : 64ULL << 20;
	unsigned int n = 0;
	size_t i;
	char text[48];
	int rc;

	for (i = 0; i < s->nregions; i++) {
		struct region *r = &s->regions[i];
		struct region *next = i + 1 < s->nregions ? &s->regions[i + 1] : NULL;
		bool reserve;

		if (r->kind != KIND_ANON || r->name_kind != MAPS_NAME_NONE ||
		    (r->start & (heap_max - 1)) ||
		    (r->perms & (MAPS_READ | MAPS_WRITE | MAPS_EXEC | MAPS_SHARED)) !=
		    (MAPS_READ | MAPS_WRITE))
			continue;
		reserve = next && next->start == r->end && next->kind == KIND_GUARD &&
			  next->name_kind == MAPS_NAME_NONE &&
			  next->end == r->start + heap_max;
		/* A heap grown to its full size has no reserve left; a thread
		 * stack of exactly that size, aligned, looks the same but
		 * carries MAP_STACK's VM_NOHUGEPAGE. */
		if (!reserve && (region_size(r) != heap_max || verdict_vmflag(s, r, "nh")))
			continue;
		r->kind = KIND_HEAP;
		snprintf(text, sizeof(text), "malloc arena %u", ++n);
		rc = set_detail(s, r, text);
		if (rc)
			return rc;
		if (reserve) {
			rc = set_detail(s, next, "arena reserve");
			if (rc)
				return rc;
			i++;
		}
	}
	return 0;
}

static int label_guard_below(struct snapshot *s, long i, pid_t tid)
{
	struct region *r = &s->regions[i], *g;
	char text[64];

	if (i <= 0)
		return 0;
	g = &s->regions[i - 1];
	if (g->kind != KIND_GUARD || g->end != r->start ||
	    g->name_kind != MAPS_NAME_NONE)
		return 0;
	g->tid = tid;
	if (tid)
		snprintf(text, sizeof(text), "guard of thread %d", (int)tid);
	else
		snprintf(text, sizeof(text), "guard of a thread stack");
	return set_detail(s, g, text);
}

/* glibc/musl thread stacks seen without a stack pointer: an anonymous rw-p
 * region marked VM_NOHUGEPAGE (MAP_STACK sets it) right above a ---p
 * guard. */
static bool looks_like_thread_stack(struct snapshot *s, long i)
{
	const struct region *r = &s->regions[i], *g;

	if (i <= 0 || r->kind != KIND_ANON || r->name_kind != MAPS_NAME_NONE)
		return false;
	g = &s->regions[i - 1];
	if (g->kind != KIND_GUARD || g->end != r->start || g->name_kind != MAPS_NAME_NONE)
		return false;
	return verdict_vmflag(s, r, "nh");
}

/* Thread stacks: the region holding each thread's stack pointer (or the
 * byte below it when SP sits exactly at a region's end), with the guard page
 * glibc puts right below it. Threads whose SP could not be read fall back to
 * the guard pattern; a single such thread and a single candidate pair up. */
static int classify_thread_stacks(struct snapshot *s)
{
	size_t t, unplaced = 0;
	long candidate = -1, ncandidates = 0, i;
	struct thread *lone = NULL;
	char text[64];
	int rc;

	for (t = 0; t < s->nthreads; t++) {
		struct thread *th = &s->threads[t];
		struct region *r;

		th->stack = -1;
		th->method = STACK_NONE;
		if (th->tid == s->pid) {
			for (i = 0; i < (long)s->nregions; i++)
				if (s->regions[i].kind == KIND_STACK) {
					th->stack = i;
					th->method = STACK_KERNEL_NAME;
					s->regions[i].tid = th->tid;
					break;
				}
			continue;
		}
		if (!th->has_sp) {
			unplaced++;
			lone = th;
			continue;
		}
		i = snapshot_find_region(s, th->sp);
		if (i < 0 && th->sp)
			i = snapshot_find_region(s, th->sp - 1);
		if (i < 0)
			continue;
		r = &s->regions[i];
		if (r->kind != KIND_ANON && r->kind != KIND_THREAD_STACK)
			continue;	/* SP in a file, shm or the main stack */
		th->stack = i;
		th->method = STACK_POINTER;
		r->kind = KIND_THREAD_STACK;
		r->tid = th->tid;
		snprintf(text, sizeof(text), "thread %d, by stack pointer", (int)th->tid);
		rc = set_detail(s, r, text);
		if (!rc)
			rc = label_guard_below(s, i, th->tid);
		if (rc)
			return rc;
	}
	if (!unplaced)
		return 0;

	for (i = 0; i < (long)s->nregions; i++)
		if (looks_like_thread_stack(s, i)) {
			ncandidates++;
			candidate = i;
		}
	if (unplaced == 1 && ncandidates == 1) {
		s->regions[candidate].kind = KIND_THREAD_STACK;
		s->regions[candidate].tid = lone->tid;
		lone->stack = candidate;
		lone->method = STACK_GUARD_PATTERN;
		snprintf(text, sizeof(text), "thread %d, by guard pattern", (int)lone->tid);
		rc = set_detail(s, &s->regions[candidate], text);
		return rc ? rc : label_guard_below(s, candidate, lone->tid);
	}
	for (i = 0; i < (long)s->nregions; i++) {
		if (!looks_like_thread_stack(s, i))
			continue;
		s->regions[i].kind = KIND_THREAD_STACK;
		rc = set_detail(s, &s->regions[i], "thread unknown, by guard pattern");
		if (!rc)
			rc = label_guard_below(s, i, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int snapshot_classify(struct snapshot *s)
{
	size_t i;
	int rc = 0;

	s->kinds_wait_vmflags = false;
	if (!s->images_grouped) {
		rc = images_group(s);
		if (rc)
			return rc;
	}
	for (i = 0; i < s->nregions; i++) {
		struct region *r = &s->regions[i];

		r->detail = 0;
		r->tid = 0;
		/* only images_classify() attaches bss to its image: undo it,
		 * so that classifying again gives the same answer */
		if (r->kind == KIND_BSS)
			r->image = 0;
		if (r->image) {
			r->kind = image_kind(r);
			if (r->kind == KIND_GUARD)
				rc = set_detail(s, r, "image gap");
		} else {
			r->kind = base_kind(s, r);
			rc = detail_for_name(s, r);
		}
		if (rc)
			return rc;
	}
	/* Stacks found by stack pointer are certain: place them before the
	 * arena pattern can claim an aligned stack. */
	rc = images_classify(s);
	if (!rc)
		rc = classify_thread_stacks(s);
	if (!rc)
		rc = classify_arenas(s);
	/* relro or rodata from VM_ACCOUNT, where the ELF headers did not say */
	for (i = 0; i < s->nregions && !rc && !s->kinds_wait_vmflags; i++) {
		const struct region *r = &s->regions[i];
		const struct image *im = region_image_info(s, r);

		if (im && (r->kind == KIND_RELRO || r->kind == KIND_RODATA) &&
		    (!im->elf || !im->bias_known) && !(r->flags & REGION_HAS_VMFLAGS))
			s->kinds_wait_vmflags = true;
	}
	return rc;
}
