/* saved.c: a snapshot read back from vmmap's own JSON document
 * (vmmap --json PID > before.json): the source behind --diff's operands.
 *
 * The document is vmmap's output, but a file is anyone's: it may be cut
 * short, edited by hand, of another schema or not vmmap's at all. It is
 * read as a capture's files are (a regular file, non-blocking, bounded)
 * and every value is checked before it is used; a problem is an error
 * that names the file and the place (a line and column for broken JSON,
 * the key for a value that is wrong). The regions keep the kinds the
 * document gives: nothing is classified again.
 *
 * json-c is included here to read, as output/json.c includes it to write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "load/internal.h"
#include "model/images.h"
#include "proc/smaps.h"
#include "util/array.h"
#include "util/buf.h"

/* The largest document read: 60,000 regions make about 60 MiB. */
#define SAVED_FILE_MAX	((size_t)1 << 30)

/* The schema this vmmap writes, and reads. */
enum { SAVED_SCHEMA = 1 };

struct saved {
	struct json_object *doc;
	time_t mtime;
};

/* The line and column of byte offset off in text, for messages. */
static void place(const char *text, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

int source_open_saved(struct source *src, const char *path, char *why, size_t whylen)
{
	struct json_tokener *tok = NULL;
	struct buf b = { 0 };
	struct saved *sv;
	struct stat st;
	int fd, rc;

	memset(src, 0, sizeof(*src));
	src->kind = SOURCE_SAVED;
	src->ops = &saved_source_ops;
	src->proc.proc_fd = src->proc.root_fd = -1;
	src->root_fd = -1;
	snprintf(why, whylen, "%s", "");
	src->core_path = strdup(path);
	sv = calloc(1, sizeof(*sv));
	src->saved = sv;
	if (!sv || !src->core_path) {
		rc = -ENOMEM;
		goto fail;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		rc = -PROC_ENOTREG;
		goto fail;
	}
	sv->mtime = st.st_mtime;
	rc = buf_read_fd(&b, fd, SAVED_FILE_MAX);
	close(fd);
	if (rc)
		goto fail;
	tok = json_tokener_new();
	if (!tok) {
		rc = -ENOMEM;
		goto fail;
	}
	sv->doc = json_tokener_parse_ex(tok, b.data ? b.data : "", (int)b.len);
	if (!sv->doc || json_tokener_get_error(tok) != json_tokener_success ||
	    (size_t)json_tokener_get_parse_end(tok) < b.len) {
		size_t off = json_tokener_get_parse_end(tok), line, col;
		enum json_tokener_error e = json_tokener_get_error(tok);

		/* text after a complete document: not one document */
		while (sv->doc && off < b.len && strchr(" \t\r\n", b.data[off]))
			off++;
		if (!sv->doc || off < b.len) {
			place(b.data ? b.data : "", off, &line, &col);
			snprintf(why, whylen, "not a vmmap JSON document: line %zu, column %zu: %s",
				 line, col, e == json_tokener_success ? "more text after the document" :
				 e == json_tokener_continue ? "the text ends before the document does" :
				 json_tokener_error_desc(e));
			rc = -EINVAL;
			goto fail;
		}
	}
	if (json_object_is_type(sv->doc, json_type_array)) {
		snprintf(why, whylen, "holds %zu documents (several processes): "
			 "save one process to compare it", json_object_array_length(sv->doc));
		rc = -EINVAL;
		goto fail;
	}
	json_tokener_free(tok);
	buf_release(&b);
	return 0;
fail:
	json_tokener_free(tok);
	buf_release(&b);
	source_close(src);
	return rc;
}

void saved_release(struct saved *sv)
{
	if (!sv)
		return;
	json_object_put(sv->doc);
	free(sv);
}

/* ---- reading the document's values, each checked ---- */

struct reader {
	const char *file;
	struct load_error *error;
	bool failed;
};

static void bad(struct reader *rd, const char *where, const char *what)
{
	if (rd->failed)
		return;
	rd->failed = true;
	load_fail(rd->error, LOAD_FAILED, -EINVAL, "%s: %s: %s", rd->file, where, what);
}

static struct json_object *key(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static bool is_null(struct json_object *v)
{
	return !v || json_object_is_type(v, json_type_null);
}

/* An unsigned integer, or unknown (null or missing): *known false. */
static uint64_t number(struct reader *rd, struct json_object *o, const char *k,
		       const char *where, bool *known)
{
	struct json_object *v = key(o, k);
	char place_text[96];

	*known = false;
	if (is_null(v))
		return 0;
	snprintf(place_text, sizeof(place_text), "%s.%s", where, k);
	if (!json_object_is_type(v, json_type_int) ||
	    (json_object_get_int64(v) < 0 && json_object_get_uint64(v) <= INT64_MAX)) {
		bad(rd, place_text, "not a count");
		return 0;
	}
	*known = true;
	return json_object_get_uint64(v);
}

static const char *text(struct reader *rd, struct json_object *o, const char *k,
			const char *where, bool required)
{
	struct json_object *v = key(o, k);
	char place_text[96];

	if (is_null(v)) {
		if (required) {
			snprintf(place_text, sizeof(place_text), "%s.%s", where, k);
			bad(rd, place_text, "missing");
		}
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(place_text, sizeof(place_text), "%s.%s", where, k);
		bad(rd, place_text, "not a string");
		return NULL;
	}
	return json_object_get_string(v);
}

static uint64_t address(struct reader *rd, struct json_object *o, const char *k,
			const char *where)
{
	const char *t = text(rd, o, k, where, true);
	char place_text[96], *end;
	unsigned long long v;

	if (!t)
		return 0;
	errno = 0;
	v = strtoull(t, &end, 16);
	if (strncmp(t, "0x", 2) != 0 || errno || *end || end == t + 2) {
		snprintf(place_text, sizeof(place_text), "%s.%s", where, k);
		bad(rd, place_text, "not an address (0x...)");
		return 0;
	}
	return v;
}

static const struct {
	const char *key;
	enum smaps_field field;
} counter_keys[] = {
	{ "rss", SMAPS_RSS }, { "pss", SMAPS_PSS }, { "pss_dirty", SMAPS_PSS_DIRTY },
	{ "shared_clean", SMAPS_SHARED_CLEAN }, { "shared_dirty", SMAPS_SHARED_DIRTY },
	{ "private_clean", SMAPS_PRIVATE_CLEAN }, { "private_dirty", SMAPS_PRIVATE_DIRTY },
	{ "referenced", SMAPS_REFERENCED }, { "anonymous", SMAPS_ANONYMOUS },
	{ "ksm", SMAPS_KSM }, { "lazy_free", SMAPS_LAZY_FREE }, { "anon_huge", SMAPS_ANON_HUGE },
	{ "shmem_pmd", SMAPS_SHMEM_PMD }, { "file_pmd", SMAPS_FILE_PMD },
	{ "shared_hugetlb", SMAPS_SHARED_HUGETLB }, { "private_hugetlb", SMAPS_PRIVATE_HUGETLB },
	{ "swap", SMAPS_SWAP }, { "swap_pss", SMAPS_SWAP_PSS }, { "locked", SMAPS_LOCKED },
};

static unsigned int perms_parse(const char *p)
{
	unsigned int v = 0;

	if (!p || strlen(p) != 4 || !strchr("r-", p[0]) || !strchr("w-", p[1]) ||
	    !strchr("x-", p[2]) || !strchr("sp", p[3]))
		return ~0u;
	if (p[0] == 'r')
		v |= MAPS_READ;
	if (p[1] == 'w')
		v |= MAPS_WRITE;
	if (p[2] == 'x')
		v |= MAPS_EXEC;
	if (p[3] == 's')
		v |= MAPS_SHARED;
	return v;
}

/* The image a region names, made once per path. */
static uint32_t image_of(struct snapshot *snap, const char *path)
{
	struct image *im;
	uint32_t off;
	size_t k;

	for (k = 0; k < snap->nimages; k++)
		if (strcmp(strpool_get(&snap->pool, snap->images[k].path), path) == 0)
			return (uint32_t)k + 1;
	if (strpool_add(&snap->pool, path, strlen(path), &off) ||
	    ARRAY_GROW(&snap->images, &snap->images_cap, snap->nimages + 1, 16))
		return 0;
	im = &snap->images[snap->nimages++];
	memset(im, 0, sizeof(*im));
	im->path = off;
	im->why_unread = "a saved snapshot keeps no ELF headers";
	return (uint32_t)snap->nimages;
}

static int read_region(struct reader *rd, struct snapshot *snap, struct json_object *o,
		       size_t i)
{
	char where[48];
	struct maps_entry m = { 0 };
	struct smaps_counters c = { 0 };
	const char *perms, *path, *kind, *detail, *image, *dev;
	struct region *r;
	size_t k;
	bool known;
	int kd, rc;

	snprintf(where, sizeof(where), "regions[%zu]", i);
	if (!json_object_is_type(o, json_type_object)) {
		bad(rd, where, "not an object");
		return -EINVAL;
	}
	m.start = address(rd, o, "start", where);
	m.end = address(rd, o, "end", where);
	perms = text(rd, o, "perms", where, true);
	m.offset = number(rd, o, "offset", where, &known);
	m.inode = number(rd, o, "inode", where, &known);
	path = text(rd, o, "path", where, false);
	dev = text(rd, o, "dev", where, false);
	if (dev && sscanf(dev, "%x:%x", &m.dev_major, &m.dev_minor) != 2) {
		snprintf(where + strlen(where), sizeof(where) - strlen(where), ".dev");
		bad(rd, where, "not a device like \"fe:01\"");
		return -EINVAL;
	}
	kind = text(rd, o, "kind", where, true);
	detail = text(rd, o, "detail", where, false);
	image = text(rd, o, "image", where, false);
	if (rd->failed)
		return -EINVAL;
	if (m.end <= m.start) {
		bad(rd, where, "ends before it starts");
		return -EINVAL;
	}
	if (snap->nregions && m.start < snap->regions[snap->nregions - 1].end) {
		bad(rd, where, "overlaps the region before it, or is out of order");
		return -EINVAL;
	}
	m.perms = perms_parse(perms);
	if (m.perms == ~0u) {
		snprintf(where + strlen(where), sizeof(where) - strlen(where), ".perms");
		bad(rd, where, "not permissions like \"r-xp\"");
		return -EINVAL;
	}
	kd = region_kind_parse(kind, strlen(kind));
	if (kd < 0) {
		snprintf(where + strlen(where), sizeof(where) - strlen(where), ".kind");
		bad(rd, where, "not a kind vmmap knows");
		return -EINVAL;
	}
	m.name = path ? path : "";
	m.name_len = strlen(m.name);
	m.name_kind = m.name_len ? maps_name_classify(m.name, m.name_len) : MAPS_NAME_NONE;
	m.deleted = json_object_get_boolean(key(o, "deleted"));
	for (k = 0; k < sizeof(counter_keys) / sizeof(counter_keys[0]); k++) {
		uint64_t v = number(rd, o, counter_keys[k].key, where, &known);

		if (known) {
			c.v[counter_keys[k].field] = v;
			c.present |= 1u << counter_keys[k].field;
		}
	}
	if (rd->failed)
		return -EINVAL;
	rc = snapshot_add_region(snap, &m, &c, 0, false);
	if (rc)
		return rc;
	r = &snap->regions[snap->nregions - 1];
	r->kind = (uint8_t)kd;
	if (detail && strpool_add(&snap->pool, detail, strlen(detail), &r->detail))
		return -ENOMEM;
	r->tid = (pid_t)number(rd, o, "tid", where, &known);
	if (image && !(r->image = image_of(snap, image)))
		return -ENOMEM;
	return rd->failed ? -EINVAL : 0;
}

static int read_threads(struct reader *rd, struct snapshot *snap, struct json_object *arr)
{
	size_t i, n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	snap->threads = calloc(n ? n : 1, sizeof(*snap->threads));
	if (!snap->threads)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		struct thread *t = &snap->threads[snap->nthreads];
		const char *comm, *sp;
		char where[32];
		bool known;

		snprintf(where, sizeof(where), "threads[%zu]", i);
		if (!json_object_is_type(o, json_type_object)) {
			bad(rd, where, "not an object");
			return -EINVAL;
		}
		t->tid = (pid_t)number(rd, o, "tid", where, &known);
		comm = text(rd, o, "comm", where, false);
		snprintf(t->comm, sizeof(t->comm), "%s", comm ? comm : "");
		sp = text(rd, o, "sp", where, false);
		if (sp) {
			t->sp = address(rd, o, "sp", where);
			t->has_sp = true;
		}
		t->stack = -1;
		if (rd->failed)
			return -EINVAL;
		snap->nthreads++;
	}
	return 0;
}

static int saved_read(const struct source *src, pid_t pid, const struct load_request *rq,
		      unsigned int attempt, struct snapshot *snap, struct load_error *error)
{
	struct saved *sv = src->saved;
	struct json_object *doc = sv->doc, *regions;
	struct reader rd = { src->core_path, error, false };
	const char *s;
	uint64_t v;
	size_t i, n;
	bool known;
	int rc;

	(void)pid;
	(void)attempt;
	if (!json_object_is_type(doc, json_type_object)) {
		bad(&rd, "(root)", "not a vmmap JSON document (an object)");
		return -EINVAL;
	}
	v = number(&rd, doc, "schema", "(root)", &known);
	if (rd.failed || !known || !key(doc, "regions")) {
		rd.failed = false;
		bad(&rd, "(root)", "not a vmmap JSON document (no schema or regions)");
		return -EINVAL;
	}
	if (v != SAVED_SCHEMA) {
		char what[96];

		snprintf(what, sizeof(what), "schema %" PRIu64 ": this vmmap reads schema %d",
			 v, SAVED_SCHEMA);
		bad(&rd, "schema", what);
		return -EINVAL;
	}
	snap->live = false;
	snap->source = "saved";
	snap->saved_path = src->core_path;
	snap->pid = (pid_t)number(&rd, doc, "pid", "(root)", &known);
	s = text(&rd, doc, "comm", "(root)", false);
	snprintf(snap->stat.comm, sizeof(snap->stat.comm), "%s", s ? s : "");
	snap->stat.pid = snap->pid;
	snap->stat.state = '?';
	s = text(&rd, doc, "exe", "(root)", false);
	if (s && !(snap->exe = strdup(s)))
		goto oom;
	s = text(&rd, doc, "source", "(root)", false);
	snap->saved_source = s && strcmp(s, "live") == 0 ? "live" :
			     s && strcmp(s, "sysroot") == 0 ? "sysroot" :
			     s && strcmp(s, "core") == 0 ? "core" : NULL;
	v = number(&rd, doc, "page_size", "(root)", &known);
	if (known && v >= 1024 && v <= (1u << 30) && !(v & (v - 1)))
		snap->page_size = v;
	v = number(&rd, doc, "elf_class", "(root)", &known);
	snap->elf_class = known && (v == 32 || v == 64) ? (int)v : 0;
	s = text(&rd, doc, "time", "(root)", false);
	if (s) {
		struct tm tm = { 0 };
		const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);

		if (end && !*end) {
			snap->read_at = timegm(&tm);
			snap->read_at_known = true;
		}
	}
	if (!snap->read_at_known) {
		/* an older document: when the file was written */
		snap->read_at = sv->mtime;
		snap->read_at_known = true;
		snapshot_warn(snap, "%s has no time: the file's modification time is used",
			      src->core_path);
	}
	if (rd.failed)
		return -EINVAL;

	regions = key(doc, "regions");
	if (!json_object_is_type(regions, json_type_array)) {
		bad(&rd, "regions", "not a list");
		return -EINVAL;
	}
	n = json_object_array_length(regions);
	for (i = 0; i < n; i++) {
		rc = read_region(&rd, snap, json_object_array_get_idx(regions, i), i);
		if (rc == -ENOMEM)
			goto oom;
		if (rc)
			return rc;
	}
	rc = read_threads(&rd, snap, key(doc, "threads"));
	if (rc == -ENOMEM)
		goto oom;
	if (rc)
		return rc;
	/* link each thread to its stack region, as classification would */
	for (i = 0; i < snap->nthreads; i++)
		for (n = 0; n < snap->nregions; n++)
			if (snap->regions[n].tid == snap->threads[i].tid &&
			    (snap->regions[n].kind == KIND_STACK ||
			     snap->regions[n].kind == KIND_THREAD_STACK)) {
				snap->threads[i].stack = (long)n;
				break;
			}
	load_account(snap);
	if (rq->numa)
		snapshot_warn(snap, "NUMA placement unknown: a saved snapshot is compared without it");
	return 0;
oom:
	load_fail(error, LOAD_FAILED, -ENOMEM, "out of memory");
	return -ENOMEM;
}

static int no_image(const struct source *src, const struct proc_handle *h,
		    const struct mapped_file_id *id)
{
	(void)src;
	(void)h;
	(void)id;
	return -ENOENT;
}

const struct source_ops saved_source_ops = {
	.read = saved_read,
	.open_image = no_image,
};
