/* keys.c: the table of the live view's keys, and the help written from
 * it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/keys.h"

#define CTRL(c) ((c) & 0x1f)
#define ESC 27

#define VIEW KEYS_VIEW
#define PICK KEYS_PICKER
#define BOTH (KEYS_VIEW | KEYS_PICKER)

/* In the help's order. A key in several places with different actions
 * (Enter, Esc) has one binding per action. */
static const struct key_binding table[] = {
	{ KEY_UP, "Up", ACT_MOVE, BOTH },
	{ KEY_DOWN, "Down", ACT_MOVE, BOTH },
	{ KEY_PPAGE, "PgUp", ACT_MOVE, BOTH },
	{ KEY_NPAGE, "PgDn", ACT_MOVE, BOTH },
	{ KEY_HOME, "Home", ACT_MOVE, BOTH },
	{ KEY_END, "End", ACT_MOVE, BOTH },
	{ '\n', "Enter", ACT_DETAIL, VIEW },
	{ '\r', "Enter", ACT_DETAIL, VIEW },
	{ KEY_ENTER, "Enter", ACT_DETAIL, VIEW },
	{ ESC, "Esc", ACT_BACK, BOTH },
	{ KEY_LEFT, "Left", ACT_BACK, VIEW },
	{ KEY_BACKSPACE, "Backspace", ACT_BACK, VIEW },
	{ '\t', "Tab", ACT_SUMMARY, VIEW },
	{ '/', "/", ACT_SEARCH, BOTH },
	{ 'n', "n", ACT_NEXT, BOTH },
	{ 's', "s", ACT_SORT, VIEW },
	{ KEY_F(6), "F6", ACT_SORT, VIEW },
	{ 'r', "r", ACT_REVERSE, VIEW },
	{ 'k', "k", ACT_KINDS, VIEW },
	{ 'g', "g", ACT_GROUP, VIEW },
	{ 'p', "p", ACT_PAUSE, VIEW },
	{ ' ', "Space", ACT_PAUSE, VIEW },
	{ '+', "+", ACT_SLOWER, VIEW },
	{ '=', "=", ACT_SLOWER, VIEW },
	{ '-', "-", ACT_FASTER, VIEW },
	{ '_', "_", ACT_FASTER, VIEW },
	{ 'R', "R", ACT_SAMPLE, VIEW },
	{ CTRL('L'), "^L", ACT_REDRAW, BOTH },
	{ 'o', "o", ACT_PICK, VIEW },
	{ '\n', "Enter", ACT_WATCH, PICK },
	{ '\r', "Enter", ACT_WATCH, PICK },
	{ KEY_ENTER, "Enter", ACT_WATCH, PICK },
	{ '?', "?", ACT_HELP, BOTH },
	{ KEY_F(1), "F1", ACT_HELP, BOTH },
	{ 'h', "h", ACT_HELP, BOTH },
	{ 'q', "q", ACT_QUIT, BOTH },
	{ KEY_F(10), "F10", ACT_QUIT, KEYS_ALL },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

/* The help, line by line: an action, and those joined to its line. */
static const struct key_help {
	enum key_action action;
	const char *text;
	bool join;		/* on the line before, after "; " */
} help[] = {
	{ ACT_MOVE, "move", false },
	{ ACT_DETAIL, "the selected region in detail", false },
	{ ACT_BACK, "back", true },
	{ ACT_SUMMARY, "the summary by kind / the region list", false },
	{ ACT_SEARCH, "search paths, kinds and details", false },
	{ ACT_NEXT, "next", true },
	{ ACT_SORT, "sort by a column (a menu)", false },
	{ ACT_REVERSE, "reverse", true },
	{ ACT_KINDS, "show only some kinds (a menu)", false },
	{ ACT_GROUP, "group by image, by kind, or not", false },
	{ ACT_PAUSE, "pause / resume sampling", false },
	{ ACT_SLOWER, "sample less often", false },
	{ ACT_FASTER, "more often", true },
	{ ACT_SAMPLE, "sample now", false },
	{ ACT_REDRAW, "redraw", true },
	{ ACT_PICK, "pick another process", false },
	{ ACT_WATCH, "watch it", true },
	{ ACT_HELP, "this help", false },
	{ ACT_QUIT, "quit", false },
};

#define NHELP (sizeof(help) / sizeof(help[0]))

const struct key_binding *keys_table(size_t *n)
{
	*n = NTABLE;
	return table;
}

enum key_action keys_lookup(unsigned int where, int key)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (table[i].key == key && (table[i].where & where))
			return table[i].action;
	return ACT_NONE;
}

const char *keys_action_help(enum key_action action)
{
	size_t i;

	for (i = 0; i < NHELP; i++)
		if (help[i].action == action)
			return help[i].text;
	return NULL;
}

/* Append s to buf (which holds *len bytes), truncating at size. */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
	int n = snprintf(buf + *len, size - *len, "%s", s);

	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* The names of action's keys, each once, in the table's order. */
static void key_names(enum key_action action, char *buf, size_t size, size_t *len)
{
	size_t i, j;
	bool first = true;

	for (i = 0; i < NTABLE; i++) {
		if (table[i].action != action)
			continue;
		for (j = 0; j < i; j++)
			if (table[j].action == action && strcmp(table[j].name, table[i].name) == 0)
				break;
		if (j < i)
			continue;
		if (!first)
			append(buf, size, len, ", ");
		append(buf, size, len, table[i].name);
		first = false;
	}
}

bool keys_help_line(size_t line, char *buf, size_t size)
{
	size_t i, at = 0, len = 0;
	bool wide;

	if (!size)
		return false;
	buf[0] = '\0';
	/* the first entry of the line */
	for (i = 0; i < NHELP; i++) {
		if (!help[i].join && at++ == line)
			break;
	}
	if (i == NHELP)
		return false;
	key_names(help[i].action, buf, size, &len);
	/* the text in a column of its own, unless the keys are too wide */
	wide = len >= 10;
	while (len < 10 && len + 1 < size)
		buf[len++] = ' ';
	buf[len] = '\0';
	append(buf, size, &len, wide ? "  " : " ");
	append(buf, size, &len, help[i].text);
	for (i++; i < NHELP && help[i].join; i++) {
		append(buf, size, &len, "; ");
		key_names(help[i].action, buf, size, &len);
		append(buf, size, &len, ": ");
		append(buf, size, &len, help[i].text);
	}
	return true;
}
