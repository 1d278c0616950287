/* classify.c: region kinds from names, permissions, VmFlags and threads.
 *
 * Without the ELF headers (a later stage refines this), a file is taken to
 * be an ELF image when some mapping of it is executable; its regions are then
 * code (r-x), relro (r-- with VM_ACCOUNT: a private writable mapping that
 * ld.so made read-only after relocation), rodata (other r--), data (rw-),
 * and "image gap" guards (---).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
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

/* An (dev, inode) with an executable mapping somewhere: an ELF image. */
struct file_id {
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
};

static int cmp_file_id(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	if (x->dev_major != y->dev_major)
		return x->dev_major < y->dev_major ? -1 : 1;
	if (x->dev_minor != y->dev_minor)
		return x->dev_minor < y->dev_minor ? -1 : 1;
	return 0;
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

static int find_images(const struct snapshot *s, struct file_id **ids, size_t *n)
{
	struct file_id *v = NULL;
	size_t i, k = 0;

	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];

		if (r->name_kind == MAPS_NAME_PATH && (r->perms & MAPS_EXEC) &&
		    !(r->perms & MAPS_SHARED) && r->inode)
			k++;
	}
	*ids = NULL;
	*n = 0;
	if (!k)
		return 0;
	v = malloc(k * sizeof(*v));
	if (!v)
		return -ENOMEM;
	k = 0;
	for (i = 0; i < s->nregions; i++) {
		const struct region *r = &s->regions[i];

		if (r->name_kind == MAPS_NAME_PATH && (r->perms & MAPS_EXEC) &&
		    !(r->perms & MAPS_SHARED) && r->inode) {
			v[k].inode = r->inode;
			v[k].dev_major = r->dev_major;
			v[k].dev_minor = r->dev_minor;
			k++;
		}
	}
	qsort(v, k, sizeof(*v), cmp_file_id);
	*ids = v;
	*n = k;
	return 0;
}

static bool is_image(const struct file_id *ids, size_t n, const struct region *r)
{
	struct file_id key = { r->inode, r->dev_major, r->dev_minor };

	return r->name_kind == MAPS_NAME_PATH && !(r->perms & MAPS_SHARED) &&
	       bsearch(&key, ids, n, sizeof(key), cmp_file_id) != NULL;
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
		return 0;
	default:
		return 0;
	}
}

/* Thread stacks: the region holding each thread's stack pointer (or the
 * byte below it when SP sits exactly at a region's end). The guard page
 * glibc puts right below a thread stack is that thread's too. */
static int classify_thread_stacks(struct snapshot *s)
{
	size_t t;
	char text[64];
	int rc;

	for (t = 0; t < s->nthreads; t++) {
		struct thread *th = &s->threads[t];
		struct region *r;
		long i;

		th->stack = -1;
		if (th->tid == s->pid) {
			for (i = 0; i < (long)s->nregions; i++)
				if (s->regions[i].kind == KIND_STACK) {
					th->stack = i;
					s->regions[i].tid = th->tid;
					break;
				}
			continue;
		}
		if (!th->has_sp)
			continue;
		i = snapshot_find_region(s, th->sp);
		if (i < 0 && th->sp)
			i = snapshot_find_region(s, th->sp - 1);
		if (i < 0)
			continue;
		r = &s->regions[i];
		if (r->kind == KIND_STACK || r->kind == KIND_GUARD)
			continue;
		if (r->kind != KIND_ANON && r->kind != KIND_THREAD_STACK)
			continue;	/* SP in a file or shm: not a stack we label */
		th->stack = i;
		r->kind = KIND_THREAD_STACK;
		r->tid = th->tid;
		snprintf(text, sizeof(text), "stack of thread %d", (int)th->tid);
		rc = set_detail(s, r, text);
		if (rc)
			return rc;
		if (i > 0) {
			struct region *g = &s->regions[i - 1];

			if (g->kind == KIND_GUARD && g->end == r->start &&
			    g->name_kind == MAPS_NAME_NONE) {
				g->tid = th->tid;
				snprintf(text, sizeof(text), "guard of thread %d",
					 (int)th->tid);
				rc = set_detail(s, g, text);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

int snapshot_classify(struct snapshot *s)
{
	struct file_id *ids;
	size_t nids, i;
	int rc;

	rc = find_images(s, &ids, &nids);
	if (rc)
		return rc;
	for (i = 0; i < s->nregions; i++) {
		struct region *r = &s->regions[i];

		r->detail = 0;
		r->image = 0;
		r->tid = 0;
		if (nids && is_image(ids, nids, r)) {
			r->kind = image_kind(r);
			r->image = r->path;
			if (r->kind == KIND_GUARD)
				rc = set_detail(s, r, "image gap");
		} else {
			r->kind = base_kind(s, r);
			rc = detail_for_name(s, r);
		}
		if (rc)
			break;
	}
	free(ids);
	if (!rc)
		rc = classify_thread_stacks(s);
	return rc;
}
