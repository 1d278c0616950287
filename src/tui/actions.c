/* actions.c: what each key does (keys.c says which key does what, and
 * where). One handler per action; the mode decides what an action means
 * where it has more than one sense (moving scrolls the detail pane). */
#include "config.h"

#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/screen.h"

static void move_cursor(size_t *cursor, size_t n, int ch, int page)
{
	if (!n)
		return;
	if (page < 1)
		page = 1;
	switch (ch) {
	case KEY_UP:
		if (*cursor)
			(*cursor)--;
		break;
	case KEY_DOWN:
		if (*cursor + 1 < n)
			(*cursor)++;
		break;
	case KEY_PPAGE:
		*cursor = *cursor > (size_t)page ? *cursor - (size_t)page : 0;
		break;
	case KEY_NPAGE:
		*cursor = *cursor + (size_t)page < n ? *cursor + (size_t)page : n - 1;
		break;
	case KEY_HOME:
		*cursor = 0;
		break;
	case KEY_END:
		*cursor = n - 1;
		break;
	}
}

static void scroll_detail(struct tui *t, int ch)
{
	int page = LINES - 8;

	switch (ch) {
	case KEY_UP:
		t->detail_scroll--;
		break;
	case KEY_DOWN:
		t->detail_scroll++;
		break;
	case KEY_PPAGE:
		t->detail_scroll -= page;
		break;
	case KEY_NPAGE:
		t->detail_scroll += page;
		break;
	case KEY_HOME:
		t->detail_scroll = 0;
		break;
	case KEY_END:
		t->detail_scroll = 1 << 20;	/* detail_draw() stops at the end */
		break;
	}
}

static void act_move(struct tui *t, int ch)
{
	if (t->mode == MODE_PICKER)
		move_cursor(&t->pcursor, t->procs.n, ch, LINES - 4);
	else if (t->mode == MODE_DETAIL)
		scroll_detail(t, ch);
	else if (t->mode == MODE_LIST)
		move_cursor(&t->rows.cursor, t->rows.n, ch, LINES - 8);
}

static void act_detail(struct tui *t, int ch)
{
	if (t->mode == MODE_DETAIL)
		t->mode = MODE_LIST;
	else
		screen_open_detail(t);
}

static void act_back(struct tui *t, int ch)
{
	if (t->mode == MODE_PICKER) {
		/* only to a process being watched */
		if (t->have_smp) {
			t->mode = t->back_mode;
			status_set(t, false, "%s", "");
		}
	} else if (t->mode == MODE_DETAIL || t->mode == MODE_SUMMARY) {
		t->mode = MODE_LIST;
	}
}

static void act_summary(struct tui *t, int ch)
{
	t->mode = t->mode == MODE_SUMMARY ? MODE_LIST : MODE_SUMMARY;
}

static void act_search(struct tui *t, int ch)
{
	search_start(t);
	/* what is found is shown in the list */
	if (t->mode != MODE_PICKER)
		t->mode = MODE_LIST;
}

static void act_next(struct tui *t, int ch)
{
	search_next(t);
}

static void act_sort(struct tui *t, int ch)
{
	t->overlay = OVERLAY_SORT;
	t->menu_cursor = t->rows.sort;
}

static void act_reverse(struct tui *t, int ch)
{
	t->rows.reverse = !t->rows.reverse;
	t->rows.stale = true;
	status_set(t, false, "sorted by %s, %s", row_sorts[t->rows.sort].label,
		   t->rows.reverse ? "reversed" : "normal order");
}

static void act_kinds(struct tui *t, int ch)
{
	t->overlay = OVERLAY_KINDS;
	t->menu_cursor = 0;
}

static void act_group(struct tui *t, int ch)
{
	t->rows.group = (enum group_mode)((t->rows.group + 1) % GROUP_COUNT);
	t->rows.stale = true;
	status_set(t, false, "%s", t->rows.group == GROUP_IMAGE ? "grouped by image" :
		   t->rows.group == GROUP_KIND ? "grouped by kind" : "not grouped");
}

static void act_pause(struct tui *t, int ch)
{
	t->paused = !t->paused;
	status_set(t, false, "%s", t->paused ? "paused: p resumes" : "resumed");
}

static void act_slower(struct tui *t, int ch)
{
	screen_change_interval(t, 1);
}

static void act_faster(struct tui *t, int ch)
{
	screen_change_interval(t, -1);
}

static void act_sample(struct tui *t, int ch)
{
	if (!t->smp.exited) {
		int rc = sampler_tick(&t->smp, true);

		if (rc > 0 && (rc & SAMPLE_FULL))
			t->rows.stale = true;
	}
	clearok(curscr, TRUE);
}

static void act_redraw(struct tui *t, int ch)
{
	clearok(curscr, TRUE);
}

static void act_pick(struct tui *t, int ch)
{
	if (t->mode != MODE_PICKER)
		screen_open_picker(t);
}

static void act_watch(struct tui *t, int ch)
{
	if (t->pcursor < t->procs.n)
		screen_watch(t, t->procs.v[t->pcursor].pid);
}

static void act_help(struct tui *t, int ch)
{
	t->overlay = OVERLAY_HELP;
}

static void act_quit(struct tui *t, int ch)
{
	t->quit = true;
}

static void (*const handlers[ACT_COUNT])(struct tui *t, int ch) = {
	[ACT_MOVE] = act_move,
	[ACT_DETAIL] = act_detail,
	[ACT_BACK] = act_back,
	[ACT_SUMMARY] = act_summary,
	[ACT_SEARCH] = act_search,
	[ACT_NEXT] = act_next,
	[ACT_SORT] = act_sort,
	[ACT_REVERSE] = act_reverse,
	[ACT_KINDS] = act_kinds,
	[ACT_GROUP] = act_group,
	[ACT_PAUSE] = act_pause,
	[ACT_SLOWER] = act_slower,
	[ACT_FASTER] = act_faster,
	[ACT_SAMPLE] = act_sample,
	[ACT_REDRAW] = act_redraw,
	[ACT_PICK] = act_pick,
	[ACT_WATCH] = act_watch,
	[ACT_HELP] = act_help,
	[ACT_QUIT] = act_quit,
};

void actions_key(struct tui *t, int ch)
{
	enum key_action a;

	if (t->searching) {
		search_key(t, ch);
		return;
	}
	if (ch == KEY_RESIZE) {
		clearok(curscr, TRUE);
		return;
	}
	if (t->overlay != OVERLAY_NONE) {
		a = keys_lookup(KEYS_OVERLAY, ch);
		if (a != ACT_NONE && handlers[a])
			handlers[a](t, ch);
		else
			overlay_key(t, ch);
		return;
	}
	if (t->mode == MODE_PICKER)
		a = keys_lookup(KEYS_PICKER, ch);
	else if (t->have_smp)
		a = keys_lookup(KEYS_VIEW, ch);
	else
		return;
	if (a != ACT_NONE && handlers[a])
		handlers[a](t, ch);
}
