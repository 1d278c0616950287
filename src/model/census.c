/* census.c: the machine view's rows and sums. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "load/load.h"
#include "model/census.h"
#include "model/processes.h"
#include "model/snapshot.h"
#include "util/array.h"

static const char *const family_names[FAM_COUNT] = {
	"code", "data", "heap", "stack", "anon", "file", "shm", "other",
};

enum census_family census_family_of(enum region_kind k)
{
	switch (k) {
	case KIND_CODE:
		return FAM_CODE;
	case KIND_RODATA:
	case KIND_RELRO:
	case KIND_DATA:
	case KIND_BSS:
		return FAM_DATA;
	case KIND_HEAP:
		return FAM_HEAP;
	case KIND_STACK:
	case KIND_THREAD_STACK:
		return FAM_STACK;
	case KIND_ANON:
		return FAM_ANON;
	case KIND_FILE:
		return FAM_FILE;
	case KIND_SHM:
		return FAM_SHM;
	default:
		return FAM_OTHER;
	}
}

const char *census_family_name(enum census_family f)
{
	return f < FAM_COUNT ? family_names[f] : NULL;
}

static const struct census_field_info fields[CF_COUNT] = {
	[CF_PID] = { "PID", "process ID", false, false },
	[CF_USER] = { "USER", "effective user (the uid under --sysroot)", true, false },
	[CF_COMM] = { "COMM", "command name", true, false },
	[CF_RSS] = { "RSS", "resident set size", false, true },
	[CF_PSS] = { "PSS", "proportional set size: shared pages divided among their users", false, true },
	[CF_USS] = { "USS", "unique set size: private clean + private dirty", false, true },
	[CF_SWAP] = { "SWAP", "swapped out", false, true },
	[CF_SIZE] = { "SIZE", "virtual size of the mappings", false, true },
	[CF_REGIONS] = { "REGIONS", "number of mappings", false, false },
	[CF_CODE] = { "CODE", "PSS of code", false, true },
	[CF_DATA] = { "DATA", "PSS of rodata, relro, data and bss", false, true },
	[CF_HEAP] = { "HEAP", "PSS of the heap", false, true },
	[CF_STACK] = { "STACK", "PSS of the stacks (main and threads')", false, true },
	[CF_ANON] = { "ANON", "PSS of other anonymous memory (mmap, arenas)", false, true },
	[CF_FILE] = { "FILE", "PSS of mapped files that are not ELF images", false, true },
	[CF_SHM] = { "SHM", "PSS of shared memory (SysV, memfd, /dev/shm)", false, true },
	[CF_OTHER] = { "OTHER", "PSS of guard, device, vdso, vvar, vsyscall and other", false, true },
	[CF_REASON] = { "REASON", "why the process could not be read", true, false },
	[CF_NUMA] = { "NUMA", "resident bytes per NUMA node, as node:size (reads numa_maps)", true, false },
};

const struct census_field_info *census_field_info(enum census_field f)
{
	return f < CF_COUNT ? &fields[f] : NULL;
}

int census_field_parse(const char *name, size_t len)
{
	int f;

	for (f = 0; f < CF_COUNT; f++)
		if (strlen(fields[f].name) == len && strncasecmp(fields[f].name, name, len) == 0)
			return f;
	return -1;
}

struct sum census_row_value(const struct census_row *row, enum census_field f)
{
	struct sum v = { 0, row->readable, false };
	const struct kind_summary *t = &row->sum.totals;

	if (!row->readable)
		return v;
	switch (f) {
	case CF_PID:
		v.v = (uint64_t)row->pid;
		v.known = true;
		return v;
	case CF_RSS:
		return t->s[SUM_RSS];
	case CF_PSS:
		return t->s[SUM_PSS];
	case CF_USS:
		return t->s[SUM_USS];
	case CF_SWAP:
		return t->s[SUM_SWAP];
	case CF_SIZE:
		return t->s[SUM_SIZE];
	case CF_REGIONS:
		v.v = t->regions;
		return v;
	case CF_NUMA: {
		/* sorted by the bytes on all nodes */
		uint32_t k;

		sum_init(&v);
		v.known = row->numa_known;
		for (k = 0; k < row->numa_nodes; k++)
			sum_add(&v, true, row->numa_bytes[k]);
		return v;
	}
	default:
		if (f >= CF_CODE && f < CF_CODE + FAM_COUNT)
			return row->family_pss[f - CF_CODE];
		v.known = false;
		return v;
	}
}

int census_row_cmp(const struct census_row *a, const struct census_row *b,
		   enum census_field f)
{
	int c = 0;

	if (f == CF_USER)
		c = strcmp(a->user, b->user);
	else if (f == CF_COMM)
		c = strcmp(a->comm, b->comm);
	else if (f == CF_REASON)
		c = strcmp(a->readable ? "" : a->reason, b->readable ? "" : b->reason);
	else if ((int)f >= 0 && f != CF_PID && f < CF_COUNT) {
		struct sum x = census_row_value(a, f), y = census_row_value(b, f);

		if (x.known != y.known)
			c = x.known ? -1 : 1;
		else if (x.known && x.v != y.v)
			c = x.v > y.v ? -1 : 1;
	}
	if (c)
		return c;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

void census_free_warnings(char **warnings)
{
	size_t i;

	for (i = 0; warnings && warnings[i]; i++)
		free(warnings[i]);
	free(warnings);
}

/*
 * The one place the machine view loads a process. No ELF file is read
 * unless req->accurate: the kinds of images' regions then come from their
 * permissions, which the families (code, data, ...) need no more than.
 */
int census_load_process(const struct source *src, const struct census_request *req,
			struct census_row *row, char ***warnings)
{
	struct selection sel = { 0 };
	struct load_error err;
	struct snapshot snap;
	size_t i;
	int rc, k;

	*warnings = NULL;
	memset(&row->sum, 0, sizeof(row->sum));
	row->numa_known = false;
	row->numa_nodes = 0;
	rc = snapshot_load(src, row->pid, &(struct load_request){
				   .kinds_only = !req->accurate, .numa = req->numa }, &snap, &err);
	if (rc) {
		row->readable = false;
		snprintf(row->reason, sizeof(row->reason), "%.*s",
			 (int)sizeof(row->reason) - 1, err.msg);
		return rc;
	}
	rc = selection_build(&sel, &snap, &req->filter, -1);
	if (rc) {
		snapshot_release(&snap);
		row->readable = false;
		snprintf(row->reason, sizeof(row->reason), "out of memory");
		return rc;
	}
	summary_compute(&row->sum, &snap, &sel);
	if (req->numa) {
		uint64_t *t = NULL;
		uint32_t n;

		if (summary_numa(&snap, &sel, &t) == 0) {
			n = snap.numa_node_count < CENSUS_NUMA_NODES ? snap.numa_node_count
								   : CENSUS_NUMA_NODES;
			memcpy(row->numa_bytes, &t[(size_t)KIND_COUNT * snap.numa_node_count],
			       n * sizeof(*t));
			row->numa_nodes = n;
			row->numa_known = true;
		}
		free(t);
	}
	selection_release(&sel);
	for (k = 0; k < FAM_COUNT; k++)
		sum_init(&row->family_pss[k]);
	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_summary *ks = &row->sum.kinds[k];

		if (ks->regions)
			sum_add(&row->family_pss[census_family_of(k)],
				ks->s[SUM_PSS].known, ks->s[SUM_PSS].v);
	}
	row->readable = true;
	row->reason[0] = '\0';
	if (snap.nwarnings) {
		*warnings = calloc(snap.nwarnings + 1, sizeof(char *));
		for (i = 0; *warnings && i < snap.nwarnings; i++) {
			(*warnings)[i] = snap.warnings[i];
			snap.warnings[i] = NULL;
		}
	}
	snapshot_release(&snap);
	return 0;
}

static int add_warning(struct census *c, pid_t pid, const char *text)
{
	size_t len = strlen(text) + 24;
	char *w;

	if (c->nwarnings >= CENSUS_WARNINGS_MAX) {
		c->warnings_dropped++;
		return 0;
	}
	w = malloc(len);
	if (!w || ARRAY_GROW(&c->warnings, &c->warnings_cap, c->nwarnings + 1, 16)) {
		free(w);
		return -ENOMEM;
	}
	snprintf(w, len, "%d: %s", (int)pid, text);
	c->warnings[c->nwarnings++] = w;
	return 0;
}

static void kind_summary_add(struct kind_summary *to, const struct kind_summary *from)
{
	int f;

	to->regions += from->regions;
	for (f = 0; f < SUM_NFIELDS; f++)
		sum_add(&to->s[f], from->s[f].known, from->s[f].v);
}

static void kind_summary_init(struct kind_summary *k)
{
	int f;

	k->regions = 0;
	for (f = 0; f < SUM_NFIELDS; f++)
		sum_init(&k->s[f]);
}

static bool wanted(const struct census_request *req, const struct proc_summary *p)
{
	size_t i;

	if (req->has_uid && (!p->uid_known || p->uid != req->uid))
		return false;
	if (!req->nnames)
		return true;
	for (i = 0; i < req->nnames; i++) {
		pid_t pid;

		if (proc_parse_pid_arg(req->names[i], &pid) == 0 ? pid == p->pid
		    : strcmp(req->names[i], p->comm) == 0)
			return true;
	}
	return false;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The processes are read by a few threads while the caller's thread sums
 * and emits the rows in pid order: most of a machine's reading is the
 * kernel writing smaps, which a second CPU does in parallel. A ring of
 * slots bounds what is held to a few rows, whatever the number of
 * processes.
 */
enum { CENSUS_READERS_MAX = 4, CENSUS_SLOTS_PER_READER = 2 };

/* What a reader found at a pid. */
enum census_outcome {
	CENSUS_GONE,		/* exited since the listing: not counted */
	CENSUS_KTHREAD,		/* counted, no row */
	CENSUS_ZOMBIE,		/* counted, no row */
	CENSUS_UNWANTED,	/* another user's, another name */
	CENSUS_ROW,
};

struct census_slot {
	enum census_outcome outcome;
	struct census_row row;
	char **warnings;
	bool done;
};

struct census_pool {
	pthread_mutex_t lock;
	pthread_cond_t filled;		/* readers to the emitting thread */
	pthread_cond_t room;		/* the emitting thread to the readers */
	const struct source *src;
	const struct census_request *req;
	const pid_t *todo;		/* every pid, in order */
	size_t ntodo;
	size_t next;			/* the next todo entry to read */
	size_t consumed;		/* entries before it were emitted */
	bool stop;
	struct census_slot *slots;
	size_t nslots;
};

static void census_read_one(struct census_pool *pool, size_t k, struct census_slot *slot,
			    struct pids_cache *cache)
{
	struct census_row *row = &slot->row;
	struct proc_summary p;

	slot->warnings = NULL;
	/* stat and status first, before smaps is asked of the kernel: a
	 * kernel thread, a zombie or a process the filters leave out costs
	 * two small reads. The loader reads stat again for itself. */
	if (pids_summary_read(&pool->src->proc, pool->todo[k], cache, &p)) {
		slot->outcome = CENSUS_GONE;
		return;
	}
	if (p.kthread) {
		slot->outcome = CENSUS_KTHREAD;
		return;
	}
	if (p.state == 'Z' || p.state == 'X') {
		slot->outcome = CENSUS_ZOMBIE;
		return;
	}
	if (!wanted(pool->req, &p)) {
		slot->outcome = CENSUS_UNWANTED;
		return;
	}
	slot->outcome = CENSUS_ROW;
	memset(row, 0, sizeof(*row));
	row->pid = p.pid;
	row->uid = p.uid;
	row->uid_known = p.uid_known;
	snprintf(row->user, sizeof(row->user), "%s", p.user);
	snprintf(row->comm, sizeof(row->comm), "%s", p.comm);
	census_load_process(pool->src, pool->req, row, &slot->warnings);
}

static void *census_reader(void *arg)
{
	struct census_pool *pool = arg;
	struct pids_cache cache = { 0 };
	size_t k;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (!pool->stop && pool->next < pool->ntodo &&
		       pool->next >= pool->consumed + pool->nslots)
			pthread_cond_wait(&pool->room, &pool->lock);
		if (pool->stop || pool->next >= pool->ntodo)
			break;
		k = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		census_read_one(pool, k, &pool->slots[k % pool->nslots], &cache);
		pthread_mutex_lock(&pool->lock);
		pool->slots[k % pool->nslots].done = true;
		if (k == pool->consumed)	/* the one the emitting thread waits for */
			pthread_cond_signal(&pool->filled);
	}
	pthread_mutex_unlock(&pool->lock);
	pids_cache_release(&cache);
	return NULL;
}

static unsigned int census_readers(size_t ntodo)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 2 || ntodo < 2)
		return 0;	/* the caller's thread reads */
	return cpus > CENSUS_READERS_MAX ? CENSUS_READERS_MAX : (unsigned int)cpus;
}

/* Count what a reader found; sum a row into the machine's figures, keep
 * its warnings and emit it. */
static int census_take(struct census *c, struct census_slot *slot,
		       census_emit_fn emit, void *ctx)
{
	struct census_row *row = &slot->row;
	size_t w;
	int rc = 0, k;

	switch (slot->outcome) {
	case CENSUS_KTHREAD:
		c->kthreads++;
		return 0;
	case CENSUS_ZOMBIE:
		c->zombies++;
		return 0;
	case CENSUS_GONE:
	case CENSUS_UNWANTED:
		return 0;
	case CENSUS_ROW:
		break;
	}
	c->listed++;
	if (!row->readable) {
		c->unreadable++;
	} else {
		c->read++;
		for (k = 0; k < KIND_COUNT; k++)
			kind_summary_add(&c->machine.kinds[k], &row->sum.kinds[k]);
		kind_summary_add(&c->machine.totals, &row->sum.totals);
		for (k = 0; k < FAM_COUNT; k++)
			sum_add(&c->machine_family_pss[k], row->family_pss[k].known,
				row->family_pss[k].v);
	}
	for (w = 0; slot->warnings && slot->warnings[w] && !rc; w++)
		rc = add_warning(c, row->pid, slot->warnings[w]);
	census_free_warnings(slot->warnings);
	slot->warnings = NULL;
	if (!rc && emit)
		rc = emit(ctx, row);
	return rc;
}

static int census_read_all(struct census *c, struct census_pool *pool,
			   census_emit_fn emit, void *ctx)
{
	pthread_t threads[CENSUS_READERS_MAX];
	unsigned int nthreads = 0, want = census_readers(pool->ntodo), t;
	struct pids_cache cache = { 0 };
	size_t k;
	int rc = 0;

	pool->nslots = want ? (size_t)want * CENSUS_SLOTS_PER_READER : 1;
	pool->slots = calloc(pool->nslots, sizeof(*pool->slots));
	if (!pool->slots)
		return -ENOMEM;
	for (t = 0; t < want; t++) {
		if (pthread_create(&threads[t], NULL, census_reader, pool))
			break;	/* fewer readers, or none: this thread reads */
		nthreads++;
	}
	for (k = 0; k < pool->ntodo && !rc; k++) {
		struct census_slot *slot = &pool->slots[k % pool->nslots];

		if (!nthreads) {
			census_read_one(pool, k, slot, &cache);
		} else {
			pthread_mutex_lock(&pool->lock);
			while (!slot->done)
				pthread_cond_wait(&pool->filled, &pool->lock);
			pthread_mutex_unlock(&pool->lock);
		}
		rc = census_take(c, slot, emit, ctx);
		pthread_mutex_lock(&pool->lock);
		slot->done = false;
		pool->consumed = k + 1;
		if (rc)
			pool->stop = true;
		pthread_cond_broadcast(&pool->room);
		pthread_mutex_unlock(&pool->lock);
	}
	for (t = 0; t < nthreads; t++)
		pthread_join(threads[t], NULL);
	/* rows read but not emitted after a failure */
	for (k = 0; k < pool->nslots; k++)
		census_free_warnings(pool->slots[k].warnings);
	free(pool->slots);
	pids_cache_release(&cache);
	return rc;
}

int census_run(const struct source *src, const struct census_request *req,
	       struct census *c, census_emit_fn emit, void *ctx)
{
	struct census_pool pool = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.filled = PTHREAD_COND_INITIALIZER,
		.room = PTHREAD_COND_INITIALIZER,
		.src = src, .req = req,
	};
	double t0 = now();
	pid_t *pids;
	int rc, k;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < KIND_COUNT; k++)
		kind_summary_init(&c->machine.kinds[k]);
	kind_summary_init(&c->machine.totals);
	for (k = 0; k < FAM_COUNT; k++)
		sum_init(&c->machine_family_pss[k]);
	c->live = source_is_live(src);
	c->meminfo_err = meminfo_read(&src->proc, &c->meminfo);
	/* only the directory is listed here: the readers read each
	 * process's stat and status too, in parallel */
	rc = pids_scan(&src->proc, &pids, &pool.ntodo);
	if (rc)
		return rc;
	pool.todo = pids;
	rc = census_read_all(c, &pool, emit, ctx);
	free(pids);
	c->seconds = now() - t0;
	return rc;
}

void census_release(struct census *c)
{
	size_t i;

	for (i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	c->warnings = NULL;
	c->nwarnings = 0;
}

/* The kept rows' order, for qsort() (which takes no context). */
static int keep_field;

static int cmp_rows(const void *a, const void *b)
{
	return census_row_cmp(a, b, keep_field);
}

int census_keep_add(struct census_keep *k, const struct census_row *row)
{
	size_t at;

	if (k->top && k->n == k->top) {
		/* full: the row replaces the last one when it comes before
		 * it; the rows are kept sorted once full */
		if (census_row_cmp(row, &k->rows[k->n - 1], k->sort_field) >= 0)
			return 0;
		at = k->n - 1;
		while (at > 0 && census_row_cmp(row, &k->rows[at - 1], k->sort_field) < 0) {
			k->rows[at] = k->rows[at - 1];
			at--;
		}
		k->rows[at] = *row;
		return 0;
	}
	/* --top N keeps N rows at most */
	if (k->top ? ARRAY_GROW_MAX(&k->rows, &k->cap, k->n + 1, 64, k->top)
		   : ARRAY_GROW(&k->rows, &k->cap, k->n + 1, 64))
		return -ENOMEM;
	k->rows[k->n++] = *row;
	if (k->top && k->n == k->top)
		census_keep_sort(k);
	return 0;
}

void census_keep_sort(struct census_keep *k)
{
	keep_field = k->sort_field < 0 ? CF_PID : k->sort_field;
	if (k->n > 1)
		qsort(k->rows, k->n, sizeof(*k->rows), cmp_rows);
}

void census_keep_release(struct census_keep *k)
{
	free(k->rows);
	k->rows = NULL;
	k->n = k->cap = 0;
}
