/* check_keys.c: the live view's key table (src/tui/keys.c) and the help
 * written from it: every key in the table is in the help, the help names
 * no key the table lacks, every action has a key, and no key means two
 * things in one place. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/keys.h"
#include "unit_util.h"

static const unsigned int places[] = { KEYS_VIEW, KEYS_PICKER, KEYS_OVERLAY };
#define NPLACES (sizeof(places) / sizeof(places[0]))

/* The key names the help lines give: the first column ("s, F6"), and
 * after each "; " the names before ": " ("; r: reverse"). */
struct names {
	char v[64][16];
	size_t n;
};

static void add_names(struct names *nm, const char *list, size_t len)
{
	while (len) {
		const char *comma = memchr(list, ',', len);
		size_t k = comma ? (size_t)(comma - list) : len;

		ck_assert_uint_gt(k, 0);
		ck_assert_uint_lt(k, sizeof(nm->v[0]));
		ck_assert_uint_lt(nm->n, sizeof(nm->v) / sizeof(nm->v[0]));
		memcpy(nm->v[nm->n], list, k);
		nm->v[nm->n++][k] = '\0';
		if (!comma)
			break;
		/* ", " between names */
		ck_assert_uint_ge(len, k + 2);
		ck_assert_int_eq(list[k + 1], ' ');
		list += k + 2;
		len -= k + 2;
	}
}

/* The key column ends at the first two blanks: names hold none, and the
 * text stands after at least two. */
static void help_names(struct names *nm)
{
	char line[256];
	size_t i;

	nm->n = 0;
	for (i = 0; keys_help_line(i, line, sizeof(line)); i++) {
		const char *end = strstr(line, "  ");
		const char *text;

		ck_assert_msg(end && end > line, "no keys in help line \"%s\"", line);
		add_names(nm, line, (size_t)(end - line));
		for (text = strstr(end, "; "); text; text = strstr(text + 2, "; ")) {
			const char *colon = strstr(text + 2, ": ");

			ck_assert_msg(colon, "no keys after \"; \" in \"%s\"", line);
			add_names(nm, text + 2, (size_t)(colon - text - 2));
		}
		ck_assert_msg(strlen(line) <= KEYS_HELP_WIDTH, "help line too wide: \"%s\"", line);
	}
	ck_assert_uint_gt(i, 0);
}

static bool has_name(const struct names *nm, const char *name)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (strcmp(nm->v[i], name) == 0)
			return true;
	return false;
}

START_TEST(test_table_sane)
{
	const struct key_binding *t;
	size_t n, i;

	t = keys_table(&n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		ck_assert_msg(t[i].action > ACT_NONE && t[i].action < ACT_COUNT,
			      "key %s: no action", t[i].name);
		ck_assert_ptr_nonnull(t[i].name);
		ck_assert_uint_gt(strlen(t[i].name), 0);
		ck_assert_msg(t[i].where && !(t[i].where & ~(unsigned int)KEYS_ALL),
			      "key %s: works nowhere", t[i].name);
	}
}
END_TEST

/* One key, one place, one action: and lookup finds it. */
START_TEST(test_lookup)
{
	const struct key_binding *t;
	size_t n, i, j, p;

	t = keys_table(&n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			ck_assert_msg(t[i].key != t[j].key || !(t[i].where & t[j].where) ||
				      t[i].action == t[j].action,
				      "key %s is bound twice in one place", t[i].name);
		for (p = 0; p < NPLACES; p++)
			if (t[i].where & places[p])
				ck_assert_int_eq(keys_lookup(places[p], t[i].key), t[i].action);
	}
	ck_assert_int_eq(keys_lookup(KEYS_VIEW, 'Z'), ACT_NONE);
	ck_assert_int_eq(keys_lookup(KEYS_VIEW, KEY_UP), ACT_MOVE);
	ck_assert_int_eq(keys_lookup(KEYS_VIEW, '\n'), ACT_DETAIL);
	ck_assert_int_eq(keys_lookup(KEYS_PICKER, '\n'), ACT_WATCH);
	ck_assert_int_eq(keys_lookup(KEYS_PICKER, 's'), ACT_NONE);
	/* over a menu only F10 is the table's: q closes the menu */
	ck_assert_int_eq(keys_lookup(KEYS_OVERLAY, KEY_F(10)), ACT_QUIT);
	ck_assert_int_eq(keys_lookup(KEYS_OVERLAY, 'q'), ACT_NONE);
}
END_TEST

/* Every action has a key somewhere, and a line (or part of one) in the
 * help. */
START_TEST(test_every_action_reachable)
{
	const struct key_binding *t;
	size_t n, i;
	int a;

	t = keys_table(&n);
	for (a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		for (i = 0; i < n; i++)
			if (t[i].action == (enum key_action)a && t[i].where)
				break;
		ck_assert_msg(i < n, "action %d has no key", a);
		ck_assert_ptr_nonnull(keys_action_help(a));
		ck_assert_uint_gt(strlen(keys_action_help(a)), 0);
	}
	ck_assert_ptr_null(keys_action_help(ACT_NONE));
	ck_assert_ptr_null(keys_action_help(ACT_COUNT));
}
END_TEST

/* The help names exactly the table's keys. */
START_TEST(test_help_matches_table)
{
	const struct key_binding *t;
	struct names nm;
	size_t n, i;

	help_names(&nm);
	t = keys_table(&n);
	for (i = 0; i < n; i++)
		ck_assert_msg(has_name(&nm, t[i].name), "key %s is not in the help", t[i].name);
	for (i = 0; i < nm.n; i++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (strcmp(nm.v[i], t[j].name) == 0)
				break;
		ck_assert_msg(j < n, "the help names key \"%s\", which the table lacks", nm.v[i]);
	}
}
END_TEST

/* Each action's text on the line of its keys. */
START_TEST(test_help_lines)
{
	char line[256], small[8];
	bool found_sort = false, found_back = false;
	size_t i;

	for (i = 0; keys_help_line(i, line, sizeof(line)); i++) {
		if (strcmp(line, "s, F6      sort by a column (a menu); r: reverse") == 0)
			found_sort = true;
		if (strstr(line, "Esc, Left, Backspace: back"))
			found_back = true;
	}
	ck_assert(found_sort);
	ck_assert(found_back);
	ck_assert(!keys_help_line(i, line, sizeof(line)));
	/* truncated, still terminated */
	ck_assert(keys_help_line(0, small, sizeof(small)));
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert(!keys_help_line(0, small, 0));
}
END_TEST

static Suite *keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_table_sane);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_every_action_reachable);
	tcase_add_test(tc, test_help_matches_table);
	tcase_add_test(tc, test_help_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(keys_suite());
}
