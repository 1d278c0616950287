/* json.c: the JSON document (schema 1), through json-c.
 *
 * The document is written key by key. Each top-level value is built as a
 * small json-c object, printed and freed; the regions array is written one
 * region object at a time, so a process with 60,000 regions never has more
 * than one region's tree in memory.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "model/fields.h"
#include "model/images.h"
#include "model/diff.h"
#include "model/lookup.h"
#include "model/snapshot.h"
#include "output/format.h"
#include "output/output.h"
#include "util/array.h"

/* An address as JSON.md writes it: "0x" and lowercase hex digits, in buf
 * (HEX_TEXT_SIZE bytes). Printed for every region, so not with snprintf(). */
enum { HEX_TEXT_SIZE = 24 };

static const char *hex_text(uint64_t v, char *buf)
{
	buf[0] = '0';
	buf[1] = 'x';
	format_hex(v, buf + 2, HEX_TEXT_SIZE - 2);
	return buf;
}

static struct json_object *addr_obj(uint64_t v)
{
	char buf[HEX_TEXT_SIZE];

	return json_object_new_string(hex_text(v, buf));
}

/* json-c prints integers with snprintf(), and as signed: the values here
 * are unsigned, and the region writer's counters are printed often enough
 * to deserve a plain conversion. */
static int u64_serializer(struct json_object *jso, struct printbuf *pb,
			  int level, int flags)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t v = (uint64_t)json_object_get_int64(jso);

	(void)level;
	(void)flags;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return printbuf_memappend(pb, p, (int)(buf + sizeof(buf) - p));
}

/* An integer value to refill, printed by u64_serializer(). */
static struct json_object *u64_value(void)
{
	struct json_object *v = json_object_new_int64(0);

	if (v)
		json_object_set_serializer(v, u64_serializer, NULL, NULL);
	return v;
}

/* json-c stores int64, and a capture's counters can be anything up to
 * 2^64 - 1: v is printed as the unsigned number it is, never negative. */
static struct json_object *u64_obj(uint64_t v)
{
	struct json_object *o = u64_value();

	if (o)
		json_object_set_int64(o, (int64_t)v);
	return o;
}

/* JSON text must be UTF-8 (RFC 8259) and the strings a process gives (a
 * path, a name, an argument) need not be: their stray bytes become U+FFFD
 * rather than making the whole document unreadable. Returns s itself when
 * it is valid, else a repaired copy also left in *fixed for the caller to
 * free; NULL on out of memory. */
static const char *json_text(const char *s, char **fixed)
{
	size_t size;

	*fixed = NULL;
	if (format_utf8_valid(s))
		return s;
	size = 3 * strlen(s) + 1;
	*fixed = malloc(size);
	if (*fixed)
		format_utf8_repair(s, *fixed, size);
	return *fixed;
}

struct json_object *json_text_obj(const char *s)
{
	char *fixed;
	const char *t = json_text(s, &fixed);
	struct json_object *o = t ? json_object_new_string(t) : NULL;

	free(fixed);
	return o;
}

static struct json_object *str_or_null(const char *s)
{
	return s ? json_text_obj(s) : NULL;
}

/* Print ',\n  "key": value' and free value. */
/* When the snapshot was read, ISO 8601 in UTC; null when not known (a
 * capture, a core). */
static struct json_object *time_obj(const struct snapshot *s)
{
	char t[32];
	struct tm tm;
	time_t when = (time_t)s->read_at;

	if (!s->read_at_known || !gmtime_r(&when, &tm) ||
	    !strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return json_object_new_string(t);
}

static void put_key(FILE *out, bool *first, const char *key,
		    struct json_object *value, int flags)
{
	struct json_object *k = json_object_new_string(key);

	fprintf(out, "%s\n  %s: %s", *first ? "" : ",",
		json_object_to_json_string_ext(k, flags),
		value ? json_object_to_json_string_ext(value, flags) : "null");
	*first = false;
	json_object_put(k);
	json_object_put(value);
}

static struct json_object *mm_obj(const struct snapshot *s)
{
	struct json_object *o = json_object_new_object();
	int i, n = process_mm_count();

	for (i = 0; i < n; i++) {
		const char *name;
		uint64_t v;
		bool known = process_mm(s, i, &name, &v);

		json_object_object_add(o, name, known ? addr_obj(v) : NULL);
	}
	return o;
}

static struct json_object *status_obj(const struct snapshot *s)
{
	struct json_object *o = json_object_new_object();
	int i, n = process_status_count();

	for (i = 0; i < n; i++) {
		const char *name;
		uint64_t v;
		bool known = process_status(s, i, &name, &v);

		json_object_object_add(o, name, known ? u64_obj(v) : NULL);
	}
	return o;
}

static struct json_object *address_space_obj(const struct snapshot *s)
{
	const struct address_space *as = &s->as;
	struct json_object *o = json_object_new_object();
	struct json_object *v = json_object_new_array();
	size_t i;

	json_object_object_add(o, "paging_levels",
			       as->paging_levels ? json_object_new_int(as->paging_levels) : NULL);
	json_object_object_add(o, "va_bits",
			       as->va_bits ? json_object_new_int(as->va_bits) : NULL);
	json_object_object_add(o, "task_size",
			       as->task_size_known ? addr_obj(as->task_size) : NULL);
	json_object_object_add(o, "task_size_source", str_or_null(as->task_size_source));
	if (as->hole_known) {
		struct json_object *h = json_object_new_object();

		json_object_object_add(h, "start", addr_obj(as->hole_start));
		json_object_object_add(h, "end", addr_obj(as->hole_end));
		json_object_object_add(o, "canonical_hole", h);
		json_object_object_add(o, "kernel_start", addr_obj(as->kernel_start));
	} else {
		json_object_object_add(o, "canonical_hole", NULL);
		json_object_object_add(o, "kernel_start", NULL);
	}
	for (i = 0; i < as->nviolations; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "start", addr_obj(as->violations[i].start));
		json_object_object_add(e, "end", addr_obj(as->violations[i].end));
		json_object_object_add(e, "why", json_object_new_string(as->violations[i].why));
		json_object_array_add(v, e);
	}
	json_object_object_add(o, "violations", v);
	return o;
}

static struct json_object *thread_obj(const struct snapshot *s, const struct thread *t)
{
	struct json_object *o = json_object_new_object();
	const struct region *r = t->stack >= 0 ? &s->regions[t->stack] : NULL;

	json_object_object_add(o, "tid", json_object_new_int(t->tid));
	json_object_object_add(o, "comm", json_text_obj(t->comm));
	json_object_object_add(o, "sp", t->has_sp ? addr_obj(t->sp) : NULL);
	json_object_object_add(o, "stack_start", r ? addr_obj(r->start) : NULL);
	json_object_object_add(o, "stack_end", r ? addr_obj(r->end) : NULL);
	return o;
}

static const struct {
	const char *key;
	enum region_field field;
} region_counters[] = {
	{ "rss", F_RSS },
	{ "pss", F_PSS },
	{ "pss_dirty", F_PSS_DIRTY },
	{ "shared_clean", F_SHARED_CLEAN },
	{ "shared_dirty", F_SHARED_DIRTY },
	{ "private_clean", F_PRIVATE_CLEAN },
	{ "private_dirty", F_PRIVATE_DIRTY },
	{ "referenced", F_REFERENCED },
	{ "anonymous", F_ANONYMOUS },
	{ "ksm", F_KSM },
	{ "lazy_free", F_LAZYFREE },
	{ "anon_huge", F_ANONHUGE },
	{ "shmem_pmd", F_SHMEMPMD },
	{ "file_pmd", F_FILEPMD },
	{ "shared_hugetlb", F_SHARED_HUGETLB },
	{ "private_hugetlb", F_PRIVATE_HUGETLB },
	{ "swap", F_SWAP },
	{ "swap_pss", F_SWAPPSS },
	{ "locked", F_LOCKED },
};

static void add_section(void *ctx, const char *name)
{
	json_object_array_add(ctx, json_text_obj(name));
}

static struct json_object *sum_obj(const struct sum *v)
{
	return v->known ? u64_obj(v->v) : NULL;
}

static struct json_object *image_obj(const struct snapshot *s, const struct image *im)
{
	struct json_object *o = json_object_new_object();
	struct image_elf ie;
	bool elf = image_elf(im, &ie);

	json_object_object_add(o, "path", json_text_obj(strpool_get(&s->pool, im->path)));
	json_object_object_add(o, "deleted", json_object_new_boolean(im->deleted));
	json_object_object_add(o, "build_id", elf && ie.build_id[0] ?
			       json_object_new_string(ie.build_id) : NULL);
	json_object_object_add(o, "type", elf ? json_object_new_string(ie.type) : NULL);
	json_object_object_add(o, "elf_class", elf ? json_object_new_int(ie.elf_class) : NULL);
	json_object_object_add(o, "load_bias", im->bias_known ? addr_obj(im->bias) : NULL);
	json_object_object_add(o, "has_section_headers",
			       elf ? json_object_new_boolean(ie.has_section_headers) : NULL);
	if (elf) {
		struct json_object *segs = json_object_new_array();
		struct image_segment sg;
		size_t i;

		for (i = 0; image_segment(im, i, &sg); i++) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "type", json_object_new_string(sg.type));
			json_object_object_add(e, "flags", json_object_new_string(sg.flags));
			json_object_object_add(e, "vaddr", addr_obj(sg.vaddr));
			json_object_object_add(e, "memsz", u64_obj(sg.memsz));
			json_object_array_add(segs, e);
		}
		json_object_object_add(o, "segments", segs);
	} else {
		json_object_object_add(o, "segments", NULL);
	}
	json_object_object_add(o, "rss", sum_obj(&im->rss));
	json_object_object_add(o, "pss", sum_obj(&im->pss));
	json_object_object_add(o, "dirty", sum_obj(&im->dirty));
	json_object_object_add(o, "why_unread", elf ? NULL : json_object_new_string(image_why_unread(s, im)));
	return o;
}

/*
 * One region object is built once and refilled for every region: the value
 * objects are kept (with an extra reference, so a null in between does not
 * free them) and updated in place, so writing a region allocates almost
 * nothing however many regions there are.
 */
enum {
	RK_START, RK_END, RK_SIZE, RK_PERMS, RK_OFFSET, RK_DEV, RK_INODE,
	RK_PATH, RK_DELETED, RK_KIND, RK_DETAIL, RK_IMAGE, RK_SECTIONS, RK_TID,
	RK_DUMPED, RK_COUNTERS,
	RK_VM_FLAGS = RK_COUNTERS + sizeof(region_counters) / sizeof(region_counters[0]),
	RK_COUNT
};

struct region_writer {
	struct json_object *obj;
	struct json_object *val[RK_COUNT];
	bool null[RK_COUNT];
	const char *key[RK_COUNT];
	struct json_object *vmflag_str[64];	/* shared by every vm_flags array */
};

/* Make obj's key hold val (the writer keeps its own reference) or null;
 * *null says which it holds now. */
static void refill_key(struct json_object *obj, const char *key, struct json_object *val,
		       bool *null, bool present)
{
	if (present == !*null)
		return;
	json_object_object_add(obj, key, present ? json_object_get(val) : NULL);
	*null = !present;
}

static void rw_present(struct region_writer *w, int k, bool present)
{
	refill_key(w->obj, w->key[k], w->val[k], &w->null[k], present);
}

static void rw_string(struct region_writer *w, int k, const char *v)
{
	char *fixed = NULL;
	const char *t = v ? json_text(v, &fixed) : NULL;

	if (t)
		json_object_set_string(w->val[k], t);
	rw_present(w, k, t != NULL);
	free(fixed);
}

static void rw_u64(struct region_writer *w, int k, bool known, uint64_t v)
{
	if (known)
		json_object_set_int64(w->val[k], (int64_t)v);
	rw_present(w, k, known);
}

static void rw_addr(struct region_writer *w, int k, uint64_t v)
{
	char buf[HEX_TEXT_SIZE];

	rw_string(w, k, hex_text(v, buf));
}

static void rw_clear_array(struct json_object *a)
{
	size_t n = json_object_array_length(a);

	if (n)
		json_object_array_del_idx(a, 0, n);
}

static int region_writer_init(struct region_writer *w)
{
	static const char *const fixed[RK_COUNTERS] = {
		"start", "end", "size", "perms", "offset", "dev", "inode", "path",
		"deleted", "kind", "detail", "image", "sections", "tid", "dumped",
	};
	int k;

	memset(w, 0, sizeof(*w));
	w->obj = json_object_new_object();
	if (!w->obj)
		return -ENOMEM;
	for (k = 0; k < RK_COUNT; k++) {
		if (k < RK_COUNTERS)
			w->key[k] = fixed[k];
		else if (k < RK_VM_FLAGS)
			w->key[k] = region_counters[k - RK_COUNTERS].key;
		else
			w->key[k] = "vm_flags";
		switch (k) {
		case RK_START: case RK_END: case RK_PERMS: case RK_DEV:
		case RK_PATH: case RK_KIND: case RK_DETAIL: case RK_IMAGE:
			w->val[k] = json_object_new_string("");
			break;
		case RK_DELETED:
			w->val[k] = json_object_new_boolean(0);
			break;
		case RK_SECTIONS: case RK_VM_FLAGS:
			w->val[k] = json_object_new_array();
			break;
		default:
			w->val[k] = u64_value();
		}
		if (!w->val[k])
			return -ENOMEM;
		/* the object holds one reference, the writer the other */
		json_object_object_add(w->obj, w->key[k], json_object_get(w->val[k]));
	}
	/* last, replaced for every region (numa_obj()) */
	json_object_object_add(w->obj, "numa", NULL);
	for (k = 0; k < 64; k++) {
		const char *n = region_vmflag_name(k);

		w->vmflag_str[k] = n ? json_object_new_string(n) : NULL;
	}
	return 0;
}

static void region_writer_release(struct region_writer *w)
{
	int k;

	json_object_put(w->obj);
	for (k = 0; k < RK_COUNT; k++)
		json_object_put(w->val[k]);
	for (k = 0; k < 64; k++)
		json_object_put(w->vmflag_str[k]);
}

/* JSON.md's "numa" (--numa): {"policy", "nodes": {"0": bytes, ...}}, null
 * when numa_maps was not read or had no line for the region. */
static struct json_object *numa_obj(const struct snapshot *s, const struct region *r)
{
	const struct node_bytes *nb;
	struct json_object *o, *nodes;
	size_t n, i;
	const char *policy = region_numa(s, r, &nb, &n);
	char key[16];

	if (!policy)
		return NULL;
	o = json_object_new_object();
	nodes = json_object_new_object();
	json_object_object_add(o, "policy", json_text_obj(policy));
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%u", nb[i].node);
		json_object_object_add(nodes, key, u64_obj(nb[i].bytes));
	}
	json_object_object_add(o, "nodes", nodes);
	return o;
}

static struct json_object *region_fill(struct region_writer *w, const struct snapshot *s,
				       const struct region *r)
{
	char perms[5], dev[24];
	size_t i;

	rw_addr(w, RK_START, r->start);
	rw_addr(w, RK_END, r->end);
	rw_u64(w, RK_SIZE, true, region_size(r));
	region_perms_text(r->perms, perms);
	rw_string(w, RK_PERMS, perms);
	rw_u64(w, RK_OFFSET, true, r->offset);
	/* "%02x:%02x" */
	format_addr(r->dev_major, 2, dev, sizeof(dev) / 2);
	i = strlen(dev);
	dev[i++] = ':';
	format_addr(r->dev_minor, 2, dev + i, sizeof(dev) - i);
	/* a core knows its files by path only */
	rw_string(w, RK_DEV, s->files_by_path ? NULL : dev);
	rw_u64(w, RK_INODE, !s->files_by_path, r->inode);
	rw_string(w, RK_PATH, region_path(s, r));
	json_object_set_boolean(w->val[RK_DELETED], r->flags & REGION_DELETED);
	rw_string(w, RK_KIND, region_kind_name(r->kind));
	rw_string(w, RK_DETAIL, region_detail(s, r));
	rw_string(w, RK_IMAGE, region_image(s, r));
	/* unknown sections (unreadable image) are null, not an empty list */
	rw_clear_array(w->val[RK_SECTIONS]);
	rw_present(w, RK_SECTIONS, region_sections(s, r, add_section, w->val[RK_SECTIONS]) >= 0);
	rw_u64(w, RK_TID, r->tid > 0, (uint64_t)r->tid);
	rw_u64(w, RK_DUMPED, s->dumped_bytes != NULL,
	       s->dumped_bytes ? s->dumped_bytes[r - s->regions] : 0);
	for (i = 0; i < sizeof(region_counters) / sizeof(region_counters[0]); i++) {
		uint64_t v = 0;
		bool known = region_field_number(s, r, region_counters[i].field, &v);

		rw_u64(w, RK_COUNTERS + (int)i, known, v);
	}
	rw_clear_array(w->val[RK_VM_FLAGS]);
	if (r->flags & REGION_HAS_VMFLAGS) {
		int b;

		for (b = 0; b < 64; b++)
			if (((r->vm_flags >> b) & 1) && w->vmflag_str[b])
				json_object_array_add(w->val[RK_VM_FLAGS],
						      json_object_get(w->vmflag_str[b]));
	}
	rw_present(w, RK_VM_FLAGS, r->flags & REGION_HAS_VMFLAGS);
	json_object_object_add(w->obj, "numa", numa_obj(s, r));
	return w->obj;
}

/* JSON.md's "pages" (--pages): counts in pages, kpf (root only) and the
 * residency runs, refilled for every region like the region object. The
 * runs' objects come from a pool that grows to the longest list seen. */
static const char *const pages_keys[] = {
	"present", "swapped", "file", "anon", "exclusive", "soft_dirty", "zero",
	"huge", "guard",
};
static const char *const kpf_keys[] = {
	"dirty", "referenced", "active", "ksm", "thp", "unevictable", "idle", "shared",
};
enum {
	PK_COUNT = sizeof(pages_keys) / sizeof(pages_keys[0]),
	KPF_COUNT = sizeof(kpf_keys) / sizeof(kpf_keys[0]),
};

struct run_object {
	struct json_object *obj, *start, *end, *state;
};

struct pages_writer {
	struct json_object *obj;
	struct json_object *val[PK_COUNT];
	bool null[PK_COUNT];
	struct json_object *kpf;
	struct json_object *kpf_val[KPF_COUNT];
	bool kpf_null;
	struct json_object *runs;
	struct run_object *pool;
	size_t npool, pool_cap;
	struct json_object *truncated;
};

static int pages_writer_init(struct pages_writer *pw)
{
	int k;

	memset(pw, 0, sizeof(*pw));
	pw->obj = json_object_new_object();
	pw->kpf = json_object_new_object();
	pw->runs = json_object_new_array();
	pw->truncated = json_object_new_boolean(0);
	if (!pw->obj || !pw->kpf || !pw->runs || !pw->truncated)
		return -ENOMEM;
	for (k = 0; k < PK_COUNT; k++) {
		pw->val[k] = u64_value();
		if (!pw->val[k])
			return -ENOMEM;
		json_object_object_add(pw->obj, pages_keys[k], json_object_get(pw->val[k]));
	}
	for (k = 0; k < KPF_COUNT; k++) {
		pw->kpf_val[k] = u64_value();
		if (!pw->kpf_val[k])
			return -ENOMEM;
		json_object_object_add(pw->kpf, kpf_keys[k], json_object_get(pw->kpf_val[k]));
	}
	json_object_object_add(pw->obj, "kpf", json_object_get(pw->kpf));
	json_object_object_add(pw->obj, "residency", json_object_get(pw->runs));
	json_object_object_add(pw->obj, "residency_truncated", json_object_get(pw->truncated));
	return 0;
}

static void pages_writer_release(struct pages_writer *pw)
{
	size_t i;
	int k;

	json_object_put(pw->obj);
	for (k = 0; k < PK_COUNT; k++)
		json_object_put(pw->val[k]);
	for (k = 0; k < KPF_COUNT; k++)
		json_object_put(pw->kpf_val[k]);
	json_object_put(pw->kpf);
	json_object_put(pw->runs);
	json_object_put(pw->truncated);
	for (i = 0; i < pw->npool; i++) {
		json_object_put(pw->pool[i].obj);
		json_object_put(pw->pool[i].start);
		json_object_put(pw->pool[i].end);
		json_object_put(pw->pool[i].state);
	}
	free(pw->pool);
}

/* The pool's run object i, made when first needed. NULL when out of memory. */
static struct run_object *run_object_at(struct pages_writer *pw, size_t i)
{
	struct run_object *ro;

	if (i < pw->npool)
		return &pw->pool[i];
	if (ARRAY_GROW(&pw->pool, &pw->pool_cap, i + 1, 64))
		return NULL;
	ro = &pw->pool[i];
	ro->obj = json_object_new_object();
	ro->start = json_object_new_string("");
	ro->end = json_object_new_string("");
	ro->state = json_object_new_string("");
	pw->npool = i + 1;
	if (!ro->obj || !ro->start || !ro->end || !ro->state)
		return NULL;
	json_object_object_add(ro->obj, "start", json_object_get(ro->start));
	json_object_object_add(ro->obj, "end", json_object_get(ro->end));
	json_object_object_add(ro->obj, "state", json_object_get(ro->state));
	return ro;
}

static void pw_u64(struct pages_writer *pw, int k, bool known, uint64_t v)
{
	if (known)
		json_object_set_int64(pw->val[k], (int64_t)v);
	refill_key(pw->obj, pages_keys[k], pw->val[k], &pw->null[k], known);
}

/* r's "pages" object, or NULL when its page states were not read (or out
 * of memory). Valid until the next call. */
static struct json_object *pages_fill(struct pages_writer *pw, const struct snapshot *s,
				      const struct region *r)
{
	const struct region_pages *rp = &s->pages[r - s->regions];
	const struct page_counts *c = &rp->counts;
	const uint64_t kpf[KPF_COUNT] = {
		rp->kpf.dirty, rp->kpf.referenced, rp->kpf.active, rp->kpf.ksm,
		rp->kpf.thp, rp->kpf.unevictable, rp->kpf.idle, rp->kpf.shared,
	};
	uint32_t i;
	int k;

	if (!rp->known)
		return NULL;
	pw_u64(pw, 0, true, c->present);
	pw_u64(pw, 1, true, c->swapped);
	pw_u64(pw, 2, true, c->file);
	pw_u64(pw, 3, true, c->anon);
	pw_u64(pw, 4, c->exclusive_known, c->exclusive);
	pw_u64(pw, 5, true, c->soft_dirty);
	pw_u64(pw, 6, c->zero_known, c->zero);
	pw_u64(pw, 7, c->huge_known, c->huge);
	pw_u64(pw, 8, true, c->guard);
	for (k = 0; rp->kpf_known && k < KPF_COUNT; k++)
		json_object_set_int64(pw->kpf_val[k], (int64_t)kpf[k]);
	refill_key(pw->obj, "kpf", pw->kpf, &pw->kpf_null, rp->kpf_known);
	rw_clear_array(pw->runs);
	for (i = 0; i < rp->run_count; i++) {
		const struct page_run *run = &rp->runs[i];
		struct run_object *ro = run_object_at(pw, i);
		char buf[HEX_TEXT_SIZE];

		if (!ro)
			return NULL;
		json_object_set_string(ro->start, hex_text(run->start, buf));
		json_object_set_string(ro->end, hex_text(run->end, buf));
		json_object_set_string(ro->state, page_state_name(run->state));
		json_object_array_add(pw->runs, json_object_get(ro->obj));
	}
	json_object_set_boolean(pw->truncated, rp->runs_truncated);
	return pw->obj;
}

static struct json_object *str_if(const char *s)
{
	return s && *s ? json_text_obj(s) : NULL;
}

/* JSON.md's "lookup" entries. */
static struct json_object *lookup_obj(const struct snapshot *s, const struct lookup *l)
{
	struct json_object *o = json_object_new_object();
	const struct region *r = l->region >= 0 ? &s->regions[l->region] : NULL;

	json_object_object_add(o, "addr", addr_obj(l->addr));
	json_object_object_add(o, "canonical", s->as.hole_known ?
			       json_object_new_boolean(l->canonical) : NULL);
	json_object_object_add(o, "why", str_if(l->why));
	if (r) {
		struct json_object *ro = json_object_new_object();

		json_object_object_add(ro, "start", addr_obj(r->start));
		json_object_object_add(ro, "end", addr_obj(r->end));
		json_object_object_add(ro, "kind", json_object_new_string(region_kind_name(r->kind)));
		json_object_object_add(ro, "path", str_or_null(region_path(s, r)));
		json_object_object_add(o, "region", ro);
	} else {
		json_object_object_add(o, "region", NULL);
	}
	json_object_object_add(o, "before", l->prev >= 0 ? addr_obj(s->regions[l->prev].start) : NULL);
	json_object_object_add(o, "after", l->next >= 0 ? addr_obj(s->regions[l->next].start) : NULL);
	json_object_object_add(o, "offset", r ? u64_obj(l->offset) : NULL);
	json_object_object_add(o, "image", r ? str_or_null(region_image(s, r)) : NULL);
	json_object_object_add(o, "section", str_if(l->section));
	json_object_object_add(o, "symbol", str_if(l->symbol));
	json_object_object_add(o, "symbol_offset", l->symbol[0] ? u64_obj(l->symbol_offset) : NULL);
	json_object_object_add(o, "file_offset", l->file_offset_known ? u64_obj(l->file_offset) : NULL);
	json_object_object_add(o, "tid", l->tid > 0 ? json_object_new_int(l->tid) : NULL);
	if (l->page_known) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "present", json_object_new_boolean(l->page.present));
		json_object_object_add(p, "swapped", json_object_new_boolean(l->page.swapped));
		json_object_object_add(p, "huge", l->huge_known ? json_object_new_boolean(l->huge) : NULL);
		json_object_object_add(p, "exclusive", json_object_new_boolean(l->page.exclusive));
		json_object_object_add(p, "file", json_object_new_boolean(l->page.file));
		json_object_object_add(p, "guard", json_object_new_boolean(l->page.guard));
		json_object_object_add(o, "page", p);
	} else {
		json_object_object_add(o, "page", NULL);
	}
	json_object_object_add(o, "phys_addr", l->phys_known ? addr_obj(l->phys_addr) : NULL);
	json_object_object_add(o, "iomem", str_if(l->iomem));
	json_object_object_add(o, "zone", str_if(l->zone));
	return o;
}

static struct json_object *kind_summary_obj(int kind, const struct kind_summary *k)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string(region_kind_name(kind)));
	json_object_object_add(o, "regions", u64_obj(k->regions));
	json_object_object_add(o, "size", sum_obj(&k->s[SUM_SIZE]));
	json_object_object_add(o, "rss", sum_obj(&k->s[SUM_RSS]));
	json_object_object_add(o, "pss", sum_obj(&k->s[SUM_PSS]));
	json_object_object_add(o, "uss", sum_obj(&k->s[SUM_USS]));
	json_object_object_add(o, "private_dirty", sum_obj(&k->s[SUM_PRIVATE_DIRTY]));
	json_object_object_add(o, "dirty", sum_obj(&k->s[SUM_DIRTY]));
	json_object_object_add(o, "swap", sum_obj(&k->s[SUM_SWAP]));
	return o;
}

static struct json_object *totals_obj(const struct kind_summary *k)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "regions", u64_obj(k->regions));
	json_object_object_add(o, "size", sum_obj(&k->s[SUM_SIZE]));
	json_object_object_add(o, "rss", sum_obj(&k->s[SUM_RSS]));
	json_object_object_add(o, "pss", sum_obj(&k->s[SUM_PSS]));
	json_object_object_add(o, "uss", sum_obj(&k->s[SUM_USS]));
	json_object_object_add(o, "dirty", sum_obj(&k->s[SUM_DIRTY]));
	json_object_object_add(o, "swap", sum_obj(&k->s[SUM_SWAP]));
	json_object_object_add(o, "swap_pss", sum_obj(&k->s[SUM_SWAP_PSS]));
	return o;
}

/* An array written element by element: one element per line. */
static void array_item(FILE *out, bool *first, struct json_object *v, int flags)
{
	fprintf(out, "%s\n    %s", *first ? "" : ",",
		json_object_to_json_string_ext(v, flags));
	*first = false;
	json_object_put(v);
}

struct json_stream {
	FILE *out;
	const struct output_options *o;
	struct selection sel;
	struct region_writer w;
	bool writer_ready;
	struct pages_writer pw;	/* with --pages */
	bool pages_ready;
	bool pages_null;	/* the region object's "pages" is null */
	bool first;		/* no key of the document written yet */
	bool rfirst;		/* no region written yet */
};

static const int json_flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;

void json_stream_free(struct json_stream *js)
{
	if (!js)
		return;
	if (js->writer_ready)
		region_writer_release(&js->w);
	if (js->pages_ready)
		pages_writer_release(&js->pw);
	selection_release(&js->sel);
	free(js);
}

int json_stream_begin(struct json_stream **out_js, FILE *out, const struct snapshot *s,
		      const struct output_options *o)
{
	const int flags = json_flags;
	struct json_stream *js;
	struct json_object *v;
	bool ifirst;
	size_t i;
	int rc;

	*out_js = NULL;
	js = calloc(1, sizeof(*js));
	if (!js)
		return -ENOMEM;
	js->out = out;
	js->o = o;
	js->first = true;
	js->rfirst = true;
	rc = selection_build(&js->sel, s, &o->filter, o->sort_field);
	if (rc) {
		free(js);
		return rc;
	}
	rc = region_writer_init(&js->w);
	js->writer_ready = true;
	if (!rc && s->pages) {
		rc = pages_writer_init(&js->pw);
		js->pages_ready = true;
		/* the region's last key */
		if (!rc)
			json_object_object_add(js->w.obj, "pages", json_object_get(js->pw.obj));
	}
	if (rc) {
		json_stream_free(js);
		return rc;
	}

	fputc('{', out);
	put_key(out, &js->first, "schema", json_object_new_int(1), flags);
	put_key(out, &js->first, "vmmap_version", json_object_new_string(PACKAGE_VERSION), flags);
	put_key(out, &js->first, "source", json_object_new_string(s->source), flags);
	put_key(out, &js->first, "time", time_obj(s), flags);
	put_key(out, &js->first, "pid", json_object_new_int(s->pid), flags);
	put_key(out, &js->first, "comm", json_text_obj(s->stat.comm), flags);
	put_key(out, &js->first, "exe", str_or_null(s->exe), flags);
	put_key(out, &js->first, "exe_deleted", s->exe ? json_object_new_boolean(s->exe_deleted) : NULL, flags);
	if (s->argv) {
		v = json_object_new_array();
		for (i = 0; i < s->argc; i++)
			json_object_array_add(v, json_text_obj(s->argv[i]));
	} else {
		v = NULL;
	}
	put_key(out, &js->first, "cmdline", v, flags);
	put_key(out, &js->first, "elf_class", s->elf_class ? json_object_new_int(s->elf_class) : NULL, flags);
	put_key(out, &js->first, "arch", str_or_null(s->arch), flags);
	put_key(out, &js->first, "page_size", u64_obj(s->page_size), flags);
	if (s->pages)
		put_key(out, &js->first, "pages_method", str_or_null(s->pages_method), flags);
	put_key(out, &js->first, "mm", mm_obj(s), flags);
	put_key(out, &js->first, "status", status_obj(s), flags);
	put_key(out, &js->first, "address_space", address_space_obj(s), flags);

	fputs(",\n  \"threads\": [", out);
	ifirst = true;
	for (i = 0; i < s->nthreads; i++)
		array_item(out, &ifirst, thread_obj(s, &s->threads[i]), flags);
	fputs(ifirst ? "]" : "\n  ]", out);

	fputs(",\n  \"regions\": [", out);
	*out_js = js;
	return ferror(out) ? -EIO : 0;
}

int json_stream_regions(struct json_stream *js, const struct snapshot *s,
			size_t from, size_t to)
{
	size_t i;

	if (to > js->sel.n)
		to = js->sel.n;
	for (i = from; i < to; i++) {
		const struct region *r = &s->regions[js->sel.idx[i]];
		struct json_object *obj = region_fill(&js->w, s, r);
		const char *text;
		size_t len;

		if (js->pages_ready)
			refill_key(obj, "pages", js->pw.obj, &js->pages_null,
				   pages_fill(&js->pw, s, r) != NULL);
		text = json_object_to_json_string_length(obj, json_flags, &len);
		fputs(js->rfirst ? "\n    " : ",\n    ", js->out);
		fwrite(text, 1, len, js->out);
		js->rfirst = false;
	}
	return ferror(js->out) ? -EIO : 0;
}

/* --pages: where the resident pages are in RAM (null without root). It
 * follows the regions, whose page states are read as they are written. */
static void put_phys(FILE *out, bool *first, const struct snapshot *s, int flags)
{
	struct json_object *ph, *a;
	size_t i;

	if (!s->phys_known) {
		/* unknown without root: see warnings */
		put_key(out, first, "phys", NULL, flags);
		return;
	}
	ph = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; i < s->nphys_zones; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "zone", json_object_new_string(s->phys_zone_names[i]));
		json_object_object_add(e, "bytes", u64_obj(s->phys_zone_bytes[i]));
		json_object_array_add(a, e);
	}
	json_object_object_add(ph, "zones", a);
	a = json_object_new_array();
	for (i = 0; i < s->nphys_ram; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "start", addr_obj(s->phys_ram_range[i][0]));
		json_object_object_add(e, "end", addr_obj(s->phys_ram_range[i][1]));
		json_object_object_add(e, "bytes", u64_obj(s->phys_ram_bytes[i]));
		json_object_array_add(a, e);
	}
	json_object_object_add(ph, "ram", a);
	put_key(out, first, "phys", ph, flags);
}

int json_stream_end(struct json_stream *js, const struct snapshot *s)
{
	const int flags = json_flags;
	const struct output_options *o = js->o;
	FILE *out = js->out;
	struct summary sum;
	struct json_object *v;
	uint64_t *numa = NULL;
	bool ifirst;
	size_t i;
	int rc;

	fputs(js->rfirst ? "]" : "\n  ]", out);

	fputs(",\n  \"images\": [", out);
	ifirst = true;
	for (i = 0; i < s->nimages; i++)
		array_item(out, &ifirst, image_obj(s, &s->images[i]), flags);
	fputs(ifirst ? "]" : "\n  ]", out);

	summary_compute(&sum, s, &js->sel);
	if (summary_numa(s, &js->sel, &numa) == -ENOMEM)
		return -ENOMEM;
	fputs(",\n  \"summary\": [", out);
	ifirst = true;
	for (i = 0; i < KIND_COUNT; i++)
		if (sum.kinds[i].regions) {
			struct json_object *ko = kind_summary_obj((int)i, &sum.kinds[i]);

			/* --numa: the kind's bytes per node */
			if (numa) {
				struct json_object *n = json_object_new_object();
				size_t c;
				char key[16];

				for (c = 0; c < s->numa_node_count; c++) {
					snprintf(key, sizeof(key), "%zu", c);
					if (numa[i * s->numa_node_count + c])
						json_object_object_add(n, key,
							u64_obj(numa[i * s->numa_node_count + c]));
				}
				json_object_object_add(ko, "numa", n);
			}
			array_item(out, &ifirst, ko, flags);
		}
	free(numa);
	fputs(ifirst ? "]" : "\n  ]", out);
	if (s->pages)
		put_phys(out, &js->first, s, flags);

	if (o->lookups) {
		v = json_object_new_array();
		for (i = 0; i < o->nlookups; i++)
			json_object_array_add(v, lookup_obj(s, &o->lookups[i]));
		put_key(out, &js->first, "lookup", v, flags);
	}
	put_key(out, &js->first, "totals", totals_obj(&sum.totals), flags);
	v = json_object_new_array();
	for (i = 0; i < s->nwarnings; i++)
		json_object_array_add(v, json_text_obj(s->warnings[i]));
	put_key(out, &js->first, "warnings", v, flags);
	fputs("\n}", out);
	rc = ferror(out) ? -EIO : 0;
	json_stream_free(js);
	return rc;
}

int json_print(FILE *out, const struct snapshot *s, const struct output_options *o)
{
	struct json_stream *js;
	int rc;

	rc = json_stream_begin(&js, out, s, o);
	if (rc)
		return rc;
	if (!o->summary_only)
		rc = json_stream_regions(js, s, 0, js->sel.n);
	if (rc) {
		json_stream_free(js);
		return rc;
	}
	return json_stream_end(js, s);
}

/* --all --json: {"schema", "processes": [...], "machine", "warnings"}; each
 * process is written as soon as it is read. */
struct all_json {
	FILE *out;
	const struct output_options *o;
	bool first;		/* no process written yet */
};

void all_json_free(struct all_json *j)
{
	free(j);
}

int all_json_begin(struct all_json **out_j, FILE *out, const struct output_options *o)
{
	struct all_json *j = calloc(1, sizeof(*j));
	bool first = true;

	*out_j = NULL;
	if (!j)
		return -ENOMEM;
	j->out = out;
	j->o = o;
	j->first = true;
	fputc('{', out);
	put_key(out, &first, "schema", json_object_new_int(1), json_flags);
	put_key(out, &first, "vmmap_version", json_object_new_string(PACKAGE_VERSION), json_flags);
	fputs(",\n  \"processes\": [", out);
	*out_j = j;
	return ferror(out) ? -EIO : 0;
}

static struct json_object *summary_array(const struct summary *sum)
{
	struct json_object *a = json_object_new_array();
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		if (sum->kinds[k].regions)
			json_object_array_add(a, kind_summary_obj(k, &sum->kinds[k]));
	return a;
}

int all_json_row(struct all_json *j, const struct census_row *row)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(row->pid));
	json_object_object_add(o, "comm", json_text_obj(row->comm));
	json_object_object_add(o, "user", json_text_obj(row->user));
	json_object_object_add(o, "uid", row->uid_known ? u64_obj(row->uid) : NULL);
	json_object_object_add(o, "reason", row->readable ? NULL : json_text_obj(row->reason));
	json_object_object_add(o, "totals", row->readable ? totals_obj(&row->sum.totals) : NULL);
	json_object_object_add(o, "summary", row->readable ? summary_array(&row->sum) : NULL);
	if (row->readable && row->numa_known) {
		struct json_object *n = json_object_new_object();
		uint32_t k;
		char key[16];

		for (k = 0; k < row->numa_nodes; k++)
			if (row->numa_bytes[k]) {
				snprintf(key, sizeof(key), "%u", k);
				json_object_object_add(n, key, u64_obj(row->numa_bytes[k]));
			}
		json_object_object_add(o, "numa", n);
	}
	array_item(j->out, &j->first, o, json_flags);
	return ferror(j->out) ? -EIO : 0;
}

int all_json_end(struct all_json *j, const struct census *c)
{
	FILE *out = j->out;
	struct json_object *m, *v;
	bool first = false;
	size_t i;
	int f, rc;

	fputs(j->first ? "]" : "\n  ]", out);
	m = json_object_new_object();
	json_object_object_add(m, "source", json_object_new_string(c->live ? "live" : "sysroot"));
	json_object_object_add(m, "processes_read", u64_obj(c->read));
	json_object_object_add(m, "processes_unreadable", u64_obj(c->unreadable));
	json_object_object_add(m, "kernel_threads", u64_obj(c->kthreads));
	json_object_object_add(m, "zombies", u64_obj(c->zombies));
	json_object_object_add(m, "summary", summary_array(&c->machine));
	v = json_object_new_object();
	for (f = 0; f < FAM_COUNT; f++)
		json_object_object_add(v, census_family_name(f), sum_obj(&c->machine_family_pss[f]));
	json_object_object_add(m, "family_pss", v);
	json_object_object_add(m, "totals", totals_obj(&c->machine.totals));
	if (c->meminfo_err) {
		v = NULL;
	} else {
		v = json_object_new_object();
		for (f = 0; f < MEMINFO_NFIELDS; f++)
			json_object_object_add(v, meminfo_field_name(f),
					       meminfo_has(&c->meminfo, f) ?
					       u64_obj(c->meminfo.v[f]) : NULL);
	}
	json_object_object_add(m, "meminfo", v);
	put_key(out, &first, "machine", m, json_flags);
	v = json_object_new_array();
	if (c->meminfo_err) {
		char msg[128];

		snprintf(msg, sizeof(msg), "meminfo unknown: cannot read /proc/meminfo: %s",
			 errno_text(c->meminfo_err));
		json_object_array_add(v, json_object_new_string(msg));
	}
	for (i = 0; i < c->nwarnings; i++)
		json_object_array_add(v, json_text_obj(c->warnings[i]));
	if (c->warnings_dropped) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%llu more warnings not shown",
			 (unsigned long long)c->warnings_dropped);
		json_object_array_add(v, json_object_new_string(msg));
	}
	put_key(out, &first, "warnings", v, json_flags);
	fputs("\n}\n", out);
	rc = ferror(out) ? -EIO : 0;
	all_json_free(j);
	return rc;
}

/* ---- --diff --json ---------------------------------------------------- */

static struct json_object *delta_obj(const struct delta *d)
{
	return d->known ? json_object_new_int64(d->v) : NULL;
}

/* {"source", "pid", "comm", "exe", "time", "file"}: which snapshot a side
 * of the diff is. */
static struct json_object *side_obj(const struct snapshot *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "source", json_object_new_string(s->source));
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "comm", json_text_obj(s->stat.comm));
	json_object_object_add(o, "exe", str_or_null(s->exe));
	json_object_object_add(o, "time", time_obj(s));
	json_object_object_add(o, "file", str_or_null(s->saved_path));
	return o;
}

static struct json_object *pair_delta_obj(const struct snapshot *a, const struct region *ra,
					  const struct snapshot *b, const struct region *rb)
{
	static const struct {
		const char *key;
		enum region_field f;
	} keys[] = {
		{ "size", F_SIZE }, { "rss", F_RSS }, { "pss", F_PSS }, { "uss", F_USS },
		{ "dirty", F_DIRTY }, { "swap", F_SWAP },
	};
	struct json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct delta d = diff_region_delta(a, ra, b, rb, keys[i].f);

		json_object_object_add(o, keys[i].key, delta_obj(&d));
	}
	return o;
}

static struct json_object *changes_obj(unsigned int c)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{ DIFF_START, "start" }, { DIFF_SIZE, "size" }, { DIFF_PERMS, "perms" },
		{ DIFF_KIND, "kind" }, { DIFF_PATH, "path" }, { DIFF_RSS, "rss" },
		{ DIFF_PSS, "pss" }, { DIFF_DIRTY, "dirty" }, { DIFF_SWAP, "swap" },
	};
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (c & names[i].bit)
			json_object_array_add(a, json_object_new_string(names[i].name));
	return a;
}

static struct json_object *delta_set_obj(const struct delta *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "size", delta_obj(&d[SUM_SIZE]));
	json_object_object_add(o, "rss", delta_obj(&d[SUM_RSS]));
	json_object_object_add(o, "pss", delta_obj(&d[SUM_PSS]));
	json_object_object_add(o, "uss", delta_obj(&d[SUM_USS]));
	json_object_object_add(o, "dirty", delta_obj(&d[SUM_DIRTY]));
	json_object_object_add(o, "swap", delta_obj(&d[SUM_SWAP]));
	return o;
}

int json_diff_print(FILE *out, const struct snapshot *a, const struct snapshot *b,
		    const struct diff *d, const struct output_options *o)
{
	struct region_writer wa, wb;
	bool first = true, afirst;
	const int flags = json_flags;
	size_t i, pass;
	int k, rc;

	rc = region_writer_init(&wa);
	if (!rc)
		rc = region_writer_init(&wb);
	if (rc)
		return rc;
	fputc('{', out);
	put_key(out, &first, "schema", json_object_new_int(1), flags);
	put_key(out, &first, "vmmap_version", json_object_new_string(PACKAGE_VERSION), flags);
	put_key(out, &first, "before", side_obj(a), flags);
	put_key(out, &first, "after", side_obj(b), flags);
	/* added, removed, changed, then the unchanged with --all-regions */
	for (pass = 0; pass < 4; pass++) {
		static const char *const names[] = { "added", "removed", "changed", "unchanged" };

		if (pass == 3 && !o->diff_all_regions)
			break;
		fprintf(out, ",\n  \"%s\": [", names[pass]);
		afirst = true;
		for (i = 0; i < d->npairs; i++) {
			const struct diff_pair *p = &d->pairs[i];
			const struct region *ra = p->before >= 0 ? &a->regions[p->before] : NULL;
			const struct region *rb = p->after >= 0 ? &b->regions[p->after] : NULL;
			int which = !ra ? 0 : !rb ? 1 : p->changes ? 2 : 3;
			const struct region *r = rb ? rb : ra;

			if (which != (int)pass)
				continue;
			if (o->filter.kinds && !((o->filter.kinds >> r->kind) & 1))
				continue;
			if (!ra || !rb || which == 3) {
				/* added, removed, unchanged: the region as it is (or was) */
				fprintf(out, "%s\n    %s", afirst ? "" : ",",
					json_object_to_json_string_ext(
						rb ? region_fill(&wb, b, rb) : region_fill(&wa, a, ra), flags));
			} else {
				struct json_object *dl = pair_delta_obj(a, ra, b, rb);
				struct json_object *ch = changes_obj(p->changes);

				fprintf(out, "%s\n    {\"before\": %s, ", afirst ? "" : ",",
					json_object_to_json_string_ext(region_fill(&wa, a, ra), flags));
				fprintf(out, "\"after\": %s, ",
					json_object_to_json_string_ext(region_fill(&wb, b, rb), flags));
				fprintf(out, "\"changes\": %s, \"delta\": %s}",
					json_object_to_json_string_ext(ch, flags),
					json_object_to_json_string_ext(dl, flags));
				json_object_put(ch);
				json_object_put(dl);
			}
			afirst = false;
		}
		fputs(afirst ? "]" : "\n  ]", out);
	}
	fputs(",\n  \"summary\": [", out);
	afirst = true;
	for (k = 0; k < KIND_COUNT; k++) {
		struct json_object *e;

		if (!d->before.kinds[k].regions && !d->after.kinds[k].regions)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "kind", json_object_new_string(region_kind_name(k)));
		json_object_object_add(e, "regions", json_object_new_int64(
			(int64_t)d->after.kinds[k].regions - (int64_t)d->before.kinds[k].regions));
		json_object_object_add(e, "delta", delta_set_obj(d->kinds[k]));
		array_item(out, &afirst, e, flags);
	}
	fputs(afirst ? "]" : "\n  ]", out);
	{
		struct json_object *t = json_object_new_object();

		json_object_object_add(t, "regions", json_object_new_int64(
			(int64_t)d->after.totals.regions - (int64_t)d->before.totals.regions));
		json_object_object_add(t, "delta", delta_set_obj(d->totals));
		json_object_object_add(t, "added", u64_obj(d->added));
		json_object_object_add(t, "removed", u64_obj(d->removed));
		json_object_object_add(t, "changed", u64_obj(d->changed));
		json_object_object_add(t, "unchanged", u64_obj(d->unchanged));
		put_key(out, &first, "totals", t, flags);
	}
	fputs(",\n  \"images\": [", out);
	afirst = true;
	for (i = 0; i < d->nimages; i++) {
		const struct diff_image *im = &d->images[i];
		struct json_object *e = json_object_new_object(), *dl = json_object_new_object();

		json_object_object_add(e, "path", json_text_obj(im->path));
		json_object_object_add(e, "change", json_object_new_string(
			!im->in_before ? "added" : !im->in_after ? "removed" : "changed"));
		json_object_object_add(dl, "rss", delta_obj(&im->rss));
		json_object_object_add(dl, "pss", delta_obj(&im->pss));
		json_object_object_add(dl, "dirty", delta_obj(&im->dirty));
		json_object_object_add(e, "delta", dl);
		array_item(out, &afirst, e, flags);
	}
	fputs(afirst ? "]" : "\n  ]", out);
	fputs(",\n  \"warnings\": [", out);
	afirst = true;
	for (pass = 0; pass < 2; pass++) {
		const struct snapshot *s = pass ? b : a;

		for (i = 0; i < s->nwarnings; i++) {
			char *w = NULL;

			if (asprintf(&w, "%s: %s", pass ? "after" : "before", s->warnings[i]) < 0)
				break;
			array_item(out, &afirst, json_text_obj(w), flags);
			free(w);
		}
	}
	fputs(afirst ? "]" : "\n  ]", out);
	fputs("\n}\n", out);
	region_writer_release(&wa);
	region_writer_release(&wb);
	return ferror(out) ? -EIO : 0;
}
