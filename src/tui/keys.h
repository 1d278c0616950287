/* keys.h: the live view's keys, in one table: each key, where it works,
 * the action it does and how the help names it. The help overlay is
 * written from the table, so the help cannot disagree with the keys; the
 * actions themselves are in actions.c.
 *
 * Not in the table: what is typed into the search prompt, the keys of the
 * sort and kinds menus (their titles say them), and KEY_RESIZE, which is
 * no key but the terminal changing size.
 */
#ifndef VMMAP_TUI_KEYS_H
#define VMMAP_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum key_action {
	ACT_NONE = 0,
	ACT_MOVE,		/* the cursor (or the detail) up, down, by pages */
	ACT_DETAIL,		/* the region under the cursor in detail, or back */
	ACT_BACK,		/* to the region list; from the picker, to the process */
	ACT_SUMMARY,		/* the summary by kind, or back */
	ACT_SEARCH,		/* open the search prompt */
	ACT_NEXT,		/* the next match */
	ACT_SORT,		/* the sort menu */
	ACT_REVERSE,		/* reverse the order */
	ACT_KINDS,		/* the kinds menu */
	ACT_GROUP,		/* group by image, by kind, not */
	ACT_PAUSE,		/* pause or resume sampling */
	ACT_SLOWER,		/* sample less often */
	ACT_FASTER,		/* sample more often */
	ACT_SAMPLE,		/* sample now */
	ACT_REDRAW,		/* redraw the whole screen */
	ACT_PICK,		/* the process picker */
	ACT_WATCH,		/* watch the process picked */
	ACT_HELP,		/* the help */
	ACT_QUIT,
	ACT_COUNT
};

/* Where a key works: bits, a binding may name several. */
enum {
	KEYS_VIEW = 1 << 0,	/* the region list, the summary, the detail */
	KEYS_PICKER = 1 << 1,	/* the process picker */
	KEYS_OVERLAY = 1 << 2,	/* while the help or a menu is up */
	KEYS_ALL = KEYS_VIEW | KEYS_PICKER | KEYS_OVERLAY
};

struct key_binding {
	int key;		/* a character, a control code or a curses KEY_ */
	const char *name;	/* as the help writes it: "PgUp", "^L", "Space" */
	enum key_action action;
	unsigned int where;	/* KEYS_* bits */
};

/* The bindings; *n gets their number. */
const struct key_binding *keys_table(size_t *n);

/* The action of key where it is pressed (one KEYS_* bit); ACT_NONE when
 * it does nothing there. */
enum key_action keys_lookup(unsigned int where, int key);

/* What the help says action does ("sort by a column (a menu)"); NULL for
 * ACT_NONE and out of range. */
const char *keys_action_help(enum key_action action);

/* The lines of the keys in the help, in the help's order: the names of
 * an action's keys, then what it does; a related action follows on the
 * same line after "; " as "KEYS: what". Line i (from 0) goes into buf
 * (truncated to size); returns false past the last line. */
bool keys_help_line(size_t i, char *buf, size_t size);

/* The width the help's lines fit in. */
enum { KEYS_HELP_WIDTH = 70 };

#endif
