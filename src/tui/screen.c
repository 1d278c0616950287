/* screen.c: vmmap --watch, the live view: the screen manager.
 *
 * Samples the process every interval (load/sample.h does the reading),
 * keeps the rows in display order (rows.h), has the panels draw the
 * screen and reads keys with a short timeout, so a process with 60,000
 * regions stays responsive. The terminal is taken and given back by
 * terminal.c, on every way out.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/format.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/terminal.h"
#include "tui/tui.h"

static const double intervals[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60 };
#define NINTERVALS ((int)(sizeof(intervals) / sizeof(intervals[0])))

int screen_rebuild_rows(struct tui *t)
{
	return t->have_smp ? rows_build(&t->rows, &t->smp) : 0;
}

void screen_draw(struct tui *t)
{
	int body;

	erase();
	if (LINES < 8 || COLS < 40) {
		put_text(0, 0, COLS, "vmmap: the terminal is too small", A_BOLD);
		refresh();
		return;
	}
	if (t->mode == MODE_PICKER) {
		picker_draw(t);
	} else if (t->have_smp) {
		header_draw(t);
		bar_draw(t, 4);
		body = LINES - 6;
		switch (t->mode) {
		case MODE_SUMMARY:
			summary_draw(t, 5, body);
			break;
		case MODE_DETAIL:
			detail_draw(t, 5, body);
			break;
		default:
			table_draw(t, 5, body);
			break;
		}
	}
	overlay_draw(t);
	status_draw(t);
	refresh();
}

void screen_open_detail(struct tui *t)
{
	if (!t->rows.n || t->rows.v[t->rows.cursor].type == ROW_GROUP)
		return;
	t->mode = MODE_DETAIL;
	t->detail_scroll = 0;
	/* the residency strip needs the page tables: read them now, once
	 * per sample, unless the address space is huge */
	if (!t->smp.snap.pages && t->smp.snap.stat.vsize <= SAMPLE_PAGES_MAX_VSIZE &&
	    !t->smp.exited) {
		status_set(t, false, "reading the page tables...");
		screen_draw(t);
		if (sampler_load_pages(&t->smp) == 0)
			status_set(t, false, "page tables read in %.0f ms", t->smp.pages_cost * 1000);
		else
			status_set(t, true, "cannot read the page tables");
	}
}

int screen_watch(struct tui *t, pid_t pid)
{
	struct load_error err;
	struct sampler next;
	int rc;

	rc = sampler_open(&next, t->src, pid, t->cache, &err);
	if (rc) {
		status_set_quoting(t, true, "", err.msg);
		return rc;
	}
	rows_release(&t->rows);
	t->top = 0;
	if (t->have_smp)
		sampler_close(&t->smp);
	t->smp = next;
	t->have_smp = true;
	t->warning_seq = 0;
	t->exit_seen = false;
	t->mode = MODE_LIST;
	t->rows.stale = true;
	status_set(t, false, "watching process %d", (int)pid);
	return screen_rebuild_rows(t);
}

void screen_change_interval(struct tui *t, int dir)
{
	int i, k = 0;

	for (i = 0; i < NINTERVALS; i++)
		if (intervals[i] <= t->interval + 1e-9)
			k = i;
	k += dir;
	if (k < 0)
		k = 0;
	if (k >= NINTERVALS)
		k = NINTERVALS - 1;
	t->interval = intervals[k];
	status_set(t, false, "sampling every %gs", t->interval);
}

void screen_open_picker(struct tui *t)
{
	t->back_mode = t->mode == MODE_DETAIL ? MODE_LIST : t->mode;
	t->mode = MODE_PICKER;
	picker_refresh(t);
}

/* After a sample: new rows, the newest warning, the exit. */
static void after_sample(struct tui *t, int rc)
{
	if (rc < 0) {
		status_set(t, true, "out of memory");
		return;
	}
	if (rc & SAMPLE_FULL)
		t->rows.stale = true;
	if (t->smp.exited && !t->exit_seen) {
		t->exit_seen = true;
		status_set(t, true, "%s: showing its last state (o picks another process, q quits)",
			   t->smp.exit_msg);
	} else if (t->smp.warning_seq != t->warning_seq) {
		t->warning_seq = t->smp.warning_seq;
		status_set_quoting(t, false, "warning: ", t->smp.warning);
	}
}

static void run_loop(struct tui *t)
{
	double next = sample_now() + t->interval;

	while (!t->quit && !watch_stop_requested()) {
		double now = sample_now(), wait;
		int ch, k;

		if (now >= next) {
			if (t->opt->iterations && t->samples >= t->opt->iterations)
				break;
			if (t->mode == MODE_PICKER && now - t->procs_at >= 2.0)
				picker_refresh(t);
			/* a process that exited counts on, so --iterations ends */
			if (t->have_smp && !t->paused) {
				if (!t->smp.exited)
					after_sample(t, sampler_tick(&t->smp, false));
				t->samples++;
			}
			next = now + t->interval;
		}
		if (t->have_smp && t->mode != MODE_PICKER && t->rows.stale &&
		    screen_rebuild_rows(t) != 0)
			status_set(t, true, "out of memory");
		terminal_resume();
		if (t->mode == MODE_DETAIL && t->smp.snap.pages == NULL &&
		    t->smp.pages_cost > 0 && t->smp.pages_cost < 0.05 && !t->smp.exited)
			sampler_load_pages(&t->smp);	/* cheap: keep the strip live */
		screen_draw(t);

		wait = next - sample_now();
		if (wait > 0.25)
			wait = 0.25;
		if (wait < 0.01)
			wait = 0.01;
		timeout((int)(wait * 1000));
		ch = getch();
		/* every key already typed, then one redraw */
		for (k = 0; ch != ERR && k < 64 && !t->quit; k++) {
			actions_key(t, ch);
			if (t->rows.stale && t->have_smp && t->mode != MODE_PICKER &&
			    screen_rebuild_rows(t) != 0)
				status_set(t, true, "out of memory");
			timeout(0);
			ch = getch();
		}
	}
}

int tui_run(const struct source *src, pid_t pid, const struct tui_options *o)
{
	struct terminal term;
	struct tui t;
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmmap: --watch needs a terminal (--watch --json prints JSON Lines to a pipe)\n");
		return 1;
	}
	memset(&t, 0, sizeof(t));
	t.src = src;
	t.opt = o;
	t.interval = o->interval > 0 ? o->interval : 1.0;
	t.cache = sample_cache_new();
	if (pid > 0) {
		struct load_error err;

		/* errors before the screen goes up are ordinary messages */
		rc = sampler_open(&t.smp, src, pid, t.cache, &err);
		if (!rc && o->baseline && sampler_set_baseline(&t.smp, o->baseline)) {
			sampler_close(&t.smp);
			snprintf(err.msg, sizeof(err.msg), "out of memory");
			rc = -ENOMEM;
		}
		if (rc) {
			char esc[FORMAT_ESCAPED_SIZE(sizeof(err.msg))];

			format_escape_name(err.msg, esc, sizeof(esc));
			fprintf(stderr, "vmmap: %s\n", esc);
			sample_cache_free(t.cache);
			return err.kind == LOAD_NOT_FOUND ? TUI_EXIT_NOT_FOUND : 1;
		}
		t.have_smp = true;
		t.samples = 1;
		t.mode = MODE_LIST;
	} else {
		t.mode = MODE_PICKER;
	}

	if (terminal_open(&term, o->color) != 0) {
		if (t.have_smp)
			sampler_close(&t.smp);
		sample_cache_free(t.cache);
		return 1;
	}
	if (t.have_smp) {
		if (screen_rebuild_rows(&t) != 0)
			status_set(&t, true, "out of memory");
		after_sample(&t, 0);
	} else {
		picker_refresh(&t);
	}
	run_loop(&t);
	terminal_close(&term);

	rows_release(&t.rows);
	if (t.have_smp)
		sampler_close(&t.smp);
	process_list_release(&t.procs);
	sample_cache_free(t.cache);
	return 0;
}
