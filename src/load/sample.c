/* sample.c: the live view's model (see sample.h), and --watch --json. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf/image.h"
#include "model/snapshot.h"
#include "model/summary.h"
#include "proc/uptime.h"
#include "load/sample.h"
#include "util/array.h"
#include "util/text.h"

/* A full sample at least this often (ticks), even when nothing seemed to
 * change: smaps_rollup does not see everything (a new thread's name). */
enum { FULL_EVERY_TICKS = 10 };
/* ...and at most this often, in multiples of what the last one cost. */
#define FULL_COST_FACTOR 3.0

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

void watch_catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a sleep or a read returns early */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool watch_stop_requested(void)
{
	return stop_signal != 0;
}

struct elf_cache *sample_cache_new(void)
{
	return calloc(1, sizeof(struct elf_cache));
}

void sample_cache_free(struct elf_cache *c)
{
	if (!c)
		return;
	elf_cache_release(c);
	free(c);
}

double sample_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Remember a warning; the newest one not seen before is shown. */
static void note_warning(struct sampler *s, const char *msg)
{
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (strcmp(s->seen[i], msg) == 0)
			return;
	snprintf(s->warning, sizeof(s->warning), "%s", msg);
	s->warning_seq++;
	if (s->nseen >= 256)
		return;		/* shown, not remembered: it may come again */
	if (ARRAY_GROW(&s->seen, &s->seen_cap, s->nseen + 1, 8))
		return;
	s->seen[s->nseen] = strdup(msg);
	if (s->seen[s->nseen])
		s->nseen++;
}

/* The totals of a rollup. USS and DIRTY add two counters: when those
 * overflow 64 bits (only a capture can say so) the total is unknown and
 * the name of the first such total is left in *overflow. */
static void totals_from_rollup(struct totals *t, const struct smaps_counters *c,
			       const char **overflow)
{
	*overflow = NULL;
	memset(t, 0, sizeof(*t));
	if (smaps_has(c, SMAPS_RSS)) {
		t->v[TOTAL_RSS] = c->v[SMAPS_RSS];
		t->known |= 1u << TOTAL_RSS;
	}
	if (smaps_has(c, SMAPS_PSS)) {
		t->v[TOTAL_PSS] = c->v[SMAPS_PSS];
		t->known |= 1u << TOTAL_PSS;
	}
	if (smaps_has(c, SMAPS_PRIVATE_CLEAN) && smaps_has(c, SMAPS_PRIVATE_DIRTY)) {
		if (!__builtin_add_overflow(c->v[SMAPS_PRIVATE_CLEAN],
					    c->v[SMAPS_PRIVATE_DIRTY], &t->v[TOTAL_USS]))
			t->known |= 1u << TOTAL_USS;
		else
			*overflow = "USS";
	}
	if (smaps_has(c, SMAPS_SHARED_DIRTY) && smaps_has(c, SMAPS_PRIVATE_DIRTY)) {
		if (!__builtin_add_overflow(c->v[SMAPS_SHARED_DIRTY],
					    c->v[SMAPS_PRIVATE_DIRTY], &t->v[TOTAL_DIRTY]))
			t->known |= 1u << TOTAL_DIRTY;
		else if (!*overflow)
			*overflow = "DIRTY";
	}
	if (smaps_has(c, SMAPS_SWAP)) {
		t->v[TOTAL_SWAP] = c->v[SMAPS_SWAP];
		t->known |= 1u << TOTAL_SWAP;
	}
}

static void history_push(struct sampler *s)
{
	size_t k = s->history_next;

	s->history[0][k] = s->cur.v[TOTAL_RSS];
	s->history[1][k] = s->cur.v[TOTAL_PSS];
	s->history_known[k] = (uint8_t)((totals_has(&s->cur, TOTAL_RSS) ? 1 : 0) |
					 (totals_has(&s->cur, TOTAL_PSS) ? 2 : 0));
	s->history_next = (k + 1) % SAMPLE_HISTORY;
	if (s->history_n < SAMPLE_HISTORY)
		s->history_n++;
}

bool sampler_history(const struct sampler *s, int which, size_t ago, uint64_t *v)
{
	size_t k;

	if (ago >= s->history_n || which < 0 || which > 1)
		return false;
	k = (s->history_next + SAMPLE_HISTORY - 1 - ago) % SAMPLE_HISTORY;
	if (!((s->history_known[k] >> which) & 1))
		return false;
	*v = s->history[which][k];
	return true;
}

static void mark_exited(struct sampler *s, const char *why)
{
	if (s->exited)
		return;
	s->exited = true;
	snprintf(s->exit_msg, sizeof(s->exit_msg), "%s", why);
}

/* The cheap part of a tick. Returns true when the process is still there. */
static bool read_totals(struct sampler *s, struct smaps_counters *rollup,
			bool *rollup_known)
{
	struct stat_info st;
	double up;
	int rc;

	*rollup_known = false;
	rc = stat_read_at(&s->h, "stat", &st);
	if (rc == -ESRCH || rc == -ENOENT || (!rc && (st.state == 'Z' ||
	    st.state == 'X' || st.starttime != s->starttime))) {
		char msg[200];

		snprintf(msg, sizeof(msg), "process %d exited", (int)s->pid);
		mark_exited(s, msg);
		return false;
	}
	if (!rc)
		s->stat = st;
	if (uptime_read(&s->src->proc, &up) == 0) {
		s->age = uptime_process_age(up, s->starttime);
		s->age_known = true;
	}
	s->prev = s->cur;
	rc = smaps_rollup_read(&s->h, rollup);
	if (rc == -ESRCH || rc == -ENOENT) {
		char msg[200];

		snprintf(msg, sizeof(msg), "process %d exited", (int)s->pid);
		mark_exited(s, msg);
		return false;
	}
	if (rc) {
		char msg[700];

		memset(&s->cur, 0, sizeof(s->cur));
		if (rc != s->rollup_err) {
			snprintf(msg, sizeof(msg), "totals unknown: cannot read %s/smaps_rollup: %s",
				 s->h.path, errno_text(rc));
			note_warning(s, msg);
		}
		s->rollup_err = rc;
	} else {
		const char *overflow;

		totals_from_rollup(&s->cur, rollup, &overflow);
		if (overflow) {
			char msg[200];

			snprintf(msg, sizeof(msg), "total %s of smaps_rollup overflows: shown as unknown",
				 overflow);
			note_warning(s, msg);
		}
		s->rollup_err = 0;
		*rollup_known = true;
	}
	if (!s->ticks)
		s->first = s->cur;
	history_push(s);
	s->ticks++;
	return true;
}

static int cmp_mark_start(const void *a, const void *b)
{
	const struct region_mark *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static void ghosts_release(struct sampler *s)
{
	size_t i;

	for (i = 0; i < s->nghosts; i++)
		free(s->ghosts[i].path);
	free(s->ghosts);
	s->ghosts = NULL;
	s->nghosts = 0;
}

/* Compare the new snapshot next with the marks of the previous one: fill
 * changes (one per region of next), new marks and the ghosts of regions
 * that are gone. first: this is the first full sample. */
static int compare(struct sampler *s, const struct snapshot *next, bool first)
{
	struct region_change *changes;
	struct region_mark *marks;
	struct ghost *ghosts = NULL;
	size_t i, m = 0, ng = 0;

	changes = calloc(next->nregions ? next->nregions : 1, sizeof(*changes));
	marks = calloc(next->nregions ? next->nregions : 1, sizeof(*marks));
	if (!changes || !marks) {
		free(changes);
		free(marks);
		return -ENOMEM;
	}
	for (i = 0; i < next->nregions; i++) {
		const struct region *r = &next->regions[i];
		struct region_change *c = &changes[i];
		struct region_mark *nm = &marks[i];
		const struct region_mark *old = NULL;
		bool known = smaps_has(&r->counters, SMAPS_RSS);
		uint64_t rss = known ? r->counters.v[SMAPS_RSS] : 0;

		/* marks before this region vanished */
		while (m < s->nmarks && s->marks[m].start < r->start) {
			if (!first)
				ng++;
			m++;
		}
		if (m < s->nmarks && s->marks[m].start == r->start) {
			const struct region_mark *o = &s->marks[m];

			if (o->inode == r->inode && o->dev_major == r->dev_major &&
			    o->dev_minor == r->dev_minor)
				old = o;
			else
				ng++;	/* replaced by another mapping */
			m++;
		}
		nm->start = r->start;
		nm->end = r->end;
		nm->inode = r->inode;
		nm->dev_major = r->dev_major;
		nm->dev_minor = r->dev_minor;
		nm->rss = rss;
		nm->rss_known = known;
		nm->perms = r->perms;
		nm->kind = r->kind;
		if (old) {
			nm->base_rss = old->base_rss;
			/* a change beyond what int64_t holds (only a capture
			 * has such counters) is unknown; a size's saturates */
			c->known = known && old->rss_known &&
				   !__builtin_sub_overflow(rss, old->rss, &c->d_last) &&
				   !__builtin_sub_overflow(rss, old->base_rss, &c->d_start);
			if (__builtin_sub_overflow(region_size(r), old->end - old->start, &c->d_size))
				c->d_size = region_size(r) > old->end - old->start ? INT64_MAX : INT64_MIN;
			if (c->d_size > 0 || (c->known && c->d_last > 0))
				c->state = CHANGE_GREW;
			else if (c->d_size < 0 || (c->known && c->d_last < 0))
				c->state = CHANGE_SHRANK;
			if (!c->known) {
				c->d_last = 0;
				c->d_start = 0;
			}
		} else {
			nm->base_rss = first ? rss : 0;
			c->known = known;
			c->d_last = first ? 0 : rss > INT64_MAX ? INT64_MAX : (int64_t)rss;
			c->d_start = c->d_last;
			c->d_size = first ? 0 : region_size(r) > INT64_MAX ? INT64_MAX :
				    (int64_t)region_size(r);
			c->state = first ? CHANGE_NONE : CHANGE_NEW;
		}
	}
	if (!first)
		ng += s->nmarks - m;

	if (ng) {
		size_t k = 0;

		ghosts = calloc(ng, sizeof(*ghosts));
		if (!ghosts) {
			free(changes);
			free(marks);
			return -ENOMEM;
		}
		/* the second pass finds the same marks: those without a region
		 * of the same start and identity in next */
		for (m = 0; m < s->nmarks && k < ng; m++) {
			const struct region_mark *o = &s->marks[m];
			long at = snapshot_find_region(next, o->start);
			const struct region *r = at >= 0 ? &next->regions[at] : NULL;
			const struct snapshot *prev = s->have_snap ? &s->snap : NULL;
			long pat;

			if (r && r->start == o->start && r->inode == o->inode &&
			    r->dev_major == o->dev_major && r->dev_minor == o->dev_minor)
				continue;
			ghosts[k].start = o->start;
			ghosts[k].end = o->end;
			ghosts[k].rss = o->rss;
			ghosts[k].rss_known = o->rss_known;
			ghosts[k].perms = o->perms;
			ghosts[k].kind = o->kind;
			pat = prev ? snapshot_find_region(prev, o->start) : -1;
			if (pat >= 0 && prev->regions[pat].start == o->start) {
				const char *p = region_path(prev, &prev->regions[pat]);

				ghosts[k].path = p ? strdup(p) : NULL;
			}
			k++;
		}
		ng = k;
	}
	free(s->changes);
	free(s->marks);
	ghosts_release(s);
	s->changes = changes;
	s->marks = marks;
	s->nmarks = next->nregions;
	s->ghosts = ghosts;
	s->nghosts = ng;
	/* regions are sorted by start already; keep the invariant explicit */
	if (s->nmarks > 1 && marks[0].start > marks[s->nmarks - 1].start)
		qsort(s->marks, s->nmarks, sizeof(*s->marks), cmp_mark_start);
	return 0;
}

/* Reload the snapshot. Returns 0, -ESRCH when the process is gone, or
 * another -errno (the old snapshot stays, a warning says why). */
static int full_sample(struct sampler *s, struct load_error *err)
{
	struct snapshot next;
	double t0 = sample_now();
	bool first = !s->have_snap;
	size_t i;
	int rc;

	rc = snapshot_load(s->src, s->pid, &(struct load_request){ .cache = s->cache }, &next, err);
	if (rc) {
		if (err->kind == LOAD_NOT_FOUND || rc == -ESRCH || rc == -ENOENT)
			return -ESRCH;
		return rc;
	}
	if (next.stat.starttime != s->starttime) {
		/* the pid was reused */
		snapshot_release(&next);
		err->kind = LOAD_NOT_FOUND;
		snprintf(err->msg, sizeof(err->msg), "process %d not found", (int)s->pid);
		return -ESRCH;
	}
	rc = compare(s, &next, first);
	if (rc) {
		snapshot_release(&next);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return rc;
	}
	for (i = 0; i < next.nwarnings; i++)
		note_warning(s, next.warnings[i]);
	if (first) {
		struct region_filter all = { 0 };
		struct selection sel;

		if (selection_build(&sel, &next, &all, -1) == 0) {
			summary_compute(&s->first_summary, &next, &sel);
			selection_release(&sel);
		}
	}
	if (s->have_snap)
		snapshot_release(&s->snap);
	s->snap = next;
	s->have_snap = true;
	s->generation++;
	s->full_at = sample_now();
	s->full_cost = s->full_at - t0;
	s->full_vsize = s->stat.vsize;
	s->full_threads = s->stat.num_threads;
	s->ticks_since_full = 0;
	return 0;
}

int sampler_open(struct sampler *s, const struct source *src, pid_t pid,
		 struct elf_cache *cache, struct load_error *err)
{
	struct smaps_counters rollup;
	bool rollup_known;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(err, 0, sizeof(*err));
	s->src = src;
	s->pid = pid;
	s->cache = cache;
	s->h.dir_fd = -1;
	rc = proc_open(&src->proc, pid, &s->h);
	if (!rc)
		rc = stat_read_at(&s->h, "stat", &s->stat);
	if (rc) {
		err->kind = rc == -ENOENT || rc == -ESRCH ? LOAD_NOT_FOUND : LOAD_FAILED;
		err->err = rc;
		if (err->kind == LOAD_NOT_FOUND)
			snprintf(err->msg, sizeof(err->msg), "process %d not found", (int)pid);
		else
			snprintf(err->msg, sizeof(err->msg), "cannot open %s: %s",
				 s->h.path, errno_text(rc));
		proc_close(&s->h);
		return rc;
	}
	s->starttime = s->stat.starttime;
	rc = full_sample(s, err);
	if (rc) {
		sampler_close(s);
		return rc;
	}
	if (!read_totals(s, &rollup, &rollup_known)) {
		err->kind = LOAD_FAILED;
		snprintf(err->msg, sizeof(err->msg), "process %d exited while being read", (int)pid);
		sampler_close(s);
		return -ESRCH;
	}
	s->full_rollup = rollup;
	s->full_rollup_known = rollup_known;
	return 0;
}

void sampler_close(struct sampler *s)
{
	size_t i;

	if (s->have_snap)
		snapshot_release(&s->snap);
	s->have_snap = false;
	proc_close(&s->h);
	free(s->changes);
	free(s->marks);
	ghosts_release(s);
	for (i = 0; i < s->nseen; i++)
		free(s->seen[i]);
	free(s->seen);
	s->changes = NULL;
	s->marks = NULL;
	s->seen = NULL;
	s->nseen = s->seen_cap = 0;
	s->nmarks = 0;
}

static bool rollup_differs(const struct smaps_counters *a, const struct smaps_counters *b)
{
	return a->present != b->present || memcmp(a->v, b->v, sizeof(a->v)) != 0;
}

int sampler_tick(struct sampler *s, bool force_full)
{
	struct smaps_counters rollup;
	struct load_error err;
	bool rollup_known, changed, due, allowed;
	int rc;

	if (s->exited)
		return SAMPLE_EXITED;
	if (!read_totals(s, &rollup, &rollup_known))
		return SAMPLE_EXITED;
	s->ticks_since_full++;
	changed = rollup_known != s->full_rollup_known ||
		  (rollup_known && rollup_differs(&rollup, &s->full_rollup)) ||
		  s->stat.vsize != s->full_vsize ||
		  s->stat.num_threads != s->full_threads;
	due = s->ticks_since_full >= FULL_EVERY_TICKS;
	allowed = sample_now() - s->full_at >= FULL_COST_FACTOR * s->full_cost;
	if (!force_full && !((changed || due) && allowed))
		return 0;

	rc = full_sample(s, &err);
	if (rc == -ENOMEM)
		return rc;
	if (rc == -ESRCH) {
		char msg[200];

		snprintf(msg, sizeof(msg), "process %d exited", (int)s->pid);
		mark_exited(s, msg);
		return SAMPLE_EXITED;
	}
	if (rc) {
		note_warning(s, err.msg);
		return 0;
	}
	s->full_rollup = rollup;
	s->full_rollup_known = rollup_known;
	return SAMPLE_FULL;
}

int sampler_load_pages(struct sampler *s)
{
	double t0;
	size_t i;
	int rc;

	if (!s->have_snap || s->snap.pages)
		return 0;
	if (s->snap.stat.vsize > SAMPLE_PAGES_MAX_VSIZE)
		return -EFBIG;
	t0 = sample_now();
	rc = snapshot_load_pages(s->src, &s->snap);
	s->pages_cost = sample_now() - t0;
	for (i = 0; i < s->snap.nwarnings; i++)
		note_warning(s, s->snap.warnings[i]);
	return rc;
}

bool sample_sleep(double seconds)
{
	double end = sample_now() + seconds;

	while (!watch_stop_requested()) {
		double left = end - sample_now();
		struct timespec ts;

		if (left <= 0)
			return true;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
	return false;
}

int sampler_set_baseline(struct sampler *s, const struct snapshot *base)
{
	static const struct {
		enum total_field t;
		enum sum_field f;
	} map[] = {
		{ TOTAL_RSS, SUM_RSS }, { TOTAL_PSS, SUM_PSS }, { TOTAL_USS, SUM_USS },
		{ TOTAL_DIRTY, SUM_DIRTY }, { TOTAL_SWAP, SUM_SWAP },
	};
	struct region_filter all = { 0 };
	struct selection sel;
	size_t i;
	int rc = selection_build(&sel, base, &all, -1);

	if (rc)
		return rc;
	summary_compute(&s->first_summary, base, &sel);
	selection_release(&sel);
	memset(&s->first, 0, sizeof(s->first));
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct sum *v = &s->first_summary.totals.s[map[i].f];

		if (v->known) {
			s->first.v[map[i].t] = v->v;
			s->first.known |= 1u << map[i].t;
		}
	}
	/* each region's growth: since the region at its start in base, all
	 * of it when base had none there */
	for (i = 0; i < s->nmarks; i++) {
		struct region_mark *m = &s->marks[i];
		long b = snapshot_find_region(base, m->start);
		uint64_t rss = 0;
		bool known = b >= 0 && base->regions[b].start == m->start &&
			     region_field_number(base, &base->regions[b], F_RSS, &rss);

		m->base_rss = known ? rss : 0;
		if (s->changes && i < s->snap.nregions && s->changes[i].known)
			s->changes[i].d_start = m->rss > INT64_MAX || m->base_rss > INT64_MAX ? 0 :
						(int64_t)m->rss - (int64_t)m->base_rss;
	}
	s->baseline = true;
	return 0;
}
