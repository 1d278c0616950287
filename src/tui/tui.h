/* tui.h: vmmap --watch, the live view of one process (ncursesw), and its
 * JSON Lines form for pipes (--watch --json).
 *
 * Both sample the process every interval: the totals from smaps_rollup
 * each time, the full region list only when something changed (see
 * sample.h). Nothing here is written to stderr while the screen is in
 * curses mode: warnings go to the status line.
 */
#ifndef VMMAP_TUI_TUI_H
#define VMMAP_TUI_TUI_H

#include <stdbool.h>
#include <sys/types.h>

struct source;
struct snapshot;

struct tui_options {
	double interval;	/* seconds between samples, default 1 */
	long iterations;	/* samples to take before exiting; 0 = until quit */
	int color;		/* -1 auto (a terminal and no non-empty NO_COLOR), 0, 1 */
	/* --diff: changes are measured since this snapshot, not the start
	 * (for the process given; borrowed) */
	const struct snapshot *baseline;
};

/* Exit statuses besides 0 (quit) and 1 (failure). */
enum { TUI_EXIT_NOT_FOUND = 32 };

/* Run the live view on the terminal until the user quits, a stop signal
 * (SIGINT, SIGTERM, SIGHUP) arrives, or o->iterations samples were shown.
 * pid 0 starts with the process picker. Errors before the screen is set up
 * (no terminal, no such process) are printed to stderr. The terminal is
 * restored on every way out, a crash included.
 * Returns the exit status: 0 when quit or stopped, 1 on failure,
 * TUI_EXIT_NOT_FOUND when pid does not exist. */
int tui_run(const struct source *src, pid_t pid, const struct tui_options *o);

#endif
