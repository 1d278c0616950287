/* screen.h: the live view's state, which its panels draw, its overlays
 * and keys change and the screen manager (screen.c) runs. Internal to
 * src/tui.
 *
 * The screen, top to bottom: the process and its age; RSS and PSS with
 * their changes and a sparkline; USS, dirty and swap (header.c); the
 * address-space bar (bar.c); the region list (table.c), the summary by
 * kind (summary.c) or one region's detail (detail.c); the status line
 * (status.c). The picker (picker.c) takes the whole screen; the help and
 * the menus (overlay.c) stand over the rest.
 */
#ifndef VMMAP_TUI_SCREEN_H
#define VMMAP_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/processes.h"
#include "load/sample.h"
#include "tui/rows.h"
#include "tui/tui.h"

enum screen_mode {
	MODE_LIST = 0,		/* the regions */
	MODE_SUMMARY,		/* the summary by kind */
	MODE_DETAIL,		/* one region */
	MODE_PICKER,		/* the process list */
};

enum overlay {
	OVERLAY_NONE = 0,
	OVERLAY_HELP,
	OVERLAY_SORT,
	OVERLAY_KINDS,
};

struct tui {
	const struct source *src;
	const struct tui_options *opt;
	struct elf_cache *cache;	/* shared by the samplers */
	struct sampler smp;
	bool have_smp;
	double interval;
	bool paused;
	bool quit;
	long samples;			/* for --iterations */

	enum screen_mode mode;
	enum screen_mode back_mode;	/* where Esc returns from the detail or picker */
	enum overlay overlay;
	int menu_cursor;

	/* the rows of the region list, for this sampler generation */
	struct rows rows;
	size_t top;			/* the first row shown */

	/* the detail pane */
	int detail_scroll;

	/* the search prompt */
	bool searching;
	char search[128];
	size_t search_len;
	char last_search[128];

	/* the status line */
	char status[512];
	bool status_error;
	unsigned long warning_seq;
	bool exit_seen;			/* the exit was announced */

	/* the picker */
	struct process_list procs;
	size_t pcursor;
	size_t ptop;
	double procs_at;
};

/* screen.c: the screen manager */

/* Draw the whole screen now. */
void screen_draw(struct tui *t);

/* Rebuild the rows from the current sample. Returns 0 or -ENOMEM. */
int screen_rebuild_rows(struct tui *t);

/* Watch pid instead of the process watched so far (if any), in the region
 * list. On failure the status line says why and the old process stays.
 * Returns 0 or -errno. */
int screen_watch(struct tui *t, pid_t pid);

/* The detail of the region under the cursor, reading the page tables for
 * its residency strip first (once a sample, unless too large). */
void screen_open_detail(struct tui *t);

/* The picker, over whatever mode Esc is to return to. */
void screen_open_picker(struct tui *t);

/* Sample less (dir 1) or more (dir -1) often, along a fixed ladder. */
void screen_change_interval(struct tui *t, int dir);

/* The panels: each draws its part of the screen from t. */
void header_draw(struct tui *t);			/* lines 0-3 */
void bar_draw(struct tui *t, int y);			/* the address space */
void table_draw(struct tui *t, int y0, int rows);	/* the region list */
void summary_draw(struct tui *t, int y0, int rows);	/* by kind */
void detail_draw(struct tui *t, int y0, int rows);	/* one region */
void status_draw(struct tui *t);			/* the last line */

/* Say something on the status line (error: in red). */
void status_set(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The status line for a message that quotes names from the process (a
 * warning, an error): prefix, then text escaped as every view shows it. */
void status_set_quoting(struct tui *t, bool error, const char *prefix, const char *text);

/* actions.c: do what key ch does where the view is (keys.h says what) */
void actions_key(struct tui *t, int ch);

/* overlay.c: the help and the menus over the screen */
void overlay_draw(struct tui *t);
/* A key while an overlay is up: the help closes on any key, the menus
 * move, choose and close. */
void overlay_key(struct tui *t, int ch);

/* picker.c: the process list */
void picker_refresh(struct tui *t);	/* list the processes again */
void picker_draw(struct tui *t);

/* search.c: the search prompt on the status line */
void search_start(struct tui *t);	/* open the prompt */
void search_key(struct tui *t, int ch);	/* a key typed into it */
/* Move to the next row (or process) that matches the last search. */
void search_next(struct tui *t);

#endif
