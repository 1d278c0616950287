/* picker.c: the process list the view starts with when given no pid, and
 * that o opens: largest RSS first, refreshed every two seconds. The model
 * lists the processes (model/processes.h). */
#include "config.h"

#include <stdio.h>

#include "output/format.h"
#include "output/output.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "util/text.h"

void picker_refresh(struct tui *t)
{
	struct process_list list;
	pid_t keep = t->pcursor < t->procs.n ? t->procs.v[t->pcursor].pid : 0;
	long at;
	int rc;

	rc = process_list_load(t->src, &list);
	t->procs_at = sample_now();
	if (rc) {
		status_set(t, true, "cannot list the processes: %s", errno_text(rc));
		return;
	}
	process_list_release(&t->procs);
	t->procs = list;
	if (t->pcursor >= list.n)
		t->pcursor = list.n ? list.n - 1 : 0;
	at = keep ? process_list_index(&list, keep) : -1;
	if (at >= 0)
		t->pcursor = (size_t)at;
}

void picker_draw(struct tui *t)
{
	int rows = LINES - 3, i;
	char line[300], rss[32], comm[200];

	put_text(0, 0, COLS, "vmmap --watch: pick a process  (Enter watches it, / searches, q quits)",
		 A_BOLD);
	mvhline(1, 0, ' ' | A_REVERSE, COLS);
	snprintf(line, sizeof(line), "%8s %-12s %7s  %s", "PID", "USER", "RSS", "COMMAND");
	put_text(1, 0, COLS, line, A_REVERSE);
	if (rows <= 0)
		return;
	if (t->pcursor < t->ptop)
		t->ptop = t->pcursor;
	if (t->pcursor >= t->ptop + (size_t)rows)
		t->ptop = t->pcursor - (size_t)rows + 1;
	for (i = 0; i < rows && t->ptop + (size_t)i < t->procs.n; i++) {
		const struct proc_summary *p = &t->procs.v[t->ptop + (size_t)i];
		bool sel = t->ptop + (size_t)i == t->pcursor;

		size_text(p->rss, p->rss_known, rss, sizeof(rss));
		format_escape_name(p->comm, comm, sizeof(comm));
		snprintf(line, sizeof(line), "%8d %-12.12s %7s  %s", (int)p->pid, p->user, rss, comm);
		if (sel)
			mvhline(2 + i, 0, ' ' | A_REVERSE, COLS);
		put_text(2 + i, 0, COLS, line, sel ? A_REVERSE : A_NORMAL);
	}
}
