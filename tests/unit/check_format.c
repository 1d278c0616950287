/* check_format.c: sizes, addresses and names for people
 * (src/output/format.c). */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "output/fit.h"
#include "output/format.h"
#include "unit_util.h"

#define K 1024ULL
#define M (1024ULL * 1024)
#define G (1024ULL * 1024 * 1024)

static void assert_human(uint64_t bytes, const char *want)
{
	char out[32];

	format_size_human(bytes, out, sizeof(out));
	ck_assert_msg(strcmp(out, want) == 0, "format_size_human(%llu) = \"%s\", want \"%s\"",
		      (unsigned long long)bytes, out, want);
}

START_TEST(test_human_small)
{
	assert_human(0, "0");
	assert_human(1, "1B");
	assert_human(512, "512B");
	assert_human(1023, "1023B");
}
END_TEST

START_TEST(test_human_units)
{
	assert_human(1 * K, "1K");
	assert_human(4 * K, "4K");
	assert_human(132 * K, "132K");
	assert_human(1023 * K, "1023K");
	assert_human(1 * M, "1M");
	assert_human(10 * M, "10M");
	assert_human(2 * G, "2G");
	assert_human(3 * G * 1024, "3T");
	assert_human(5 * G * 1024 * 1024, "5P");
	assert_human(7 * G * G, "7E");
}
END_TEST

START_TEST(test_human_decimals)
{
	/* one decimal below 10, rounded */
	assert_human(1536 * K, "1.5M");
	assert_human(1536, "1.5K");
	assert_human(1075, "1K");	/* 1.05 rounds to 1.0, shown without the .0 */
	assert_human(1127, "1.1K");
	assert_human(9 * K + 972, "9.9K");
	/* 9.96K rounds up to 10K, not "10.0K" */
	assert_human(10199, "10K");
	assert_human(2 * G + 512 * M, "2.5G");
}
END_TEST

START_TEST(test_human_rounding_above_ten)
{
	assert_human(10 * M + 511 * K, "10M");
	assert_human(10 * M + 512 * K, "11M");
	assert_human(100 * K + 600, "101K");
}
END_TEST

/* Just under a unit boundary: 1023.5K rounds to 1024K, which is 1M. */
START_TEST(test_human_unit_boundary)
{
	assert_human(1 * M - 1, "1M");
	assert_human(1023 * K + 512, "1M");
	assert_human(1 * G - 1, "1G");
}
END_TEST

START_TEST(test_human_largest)
{
	char out[32];

	format_size_human(UINT64_MAX, out, sizeof(out));
	ck_assert_str_eq(out, "16E");
}
END_TEST

START_TEST(test_human_truncates)
{
	char out[4];

	memset(out, 'X', sizeof(out));
	format_size_human(1536 * K, out, 3);
	ck_assert_str_eq(out, "1.");
	ck_assert_int_eq(out[3], 'X');
}
END_TEST

START_TEST(test_size_raw)
{
	char out[32];

	format_size(123456789, true, out, sizeof(out));
	ck_assert_str_eq(out, "123456789");
	format_size(0, true, out, sizeof(out));
	ck_assert_str_eq(out, "0");
	format_size(UINT64_MAX, true, out, sizeof(out));
	ck_assert_str_eq(out, "18446744073709551615");
	format_size(4096, false, out, sizeof(out));
	ck_assert_str_eq(out, "4K");
}
END_TEST

START_TEST(test_number_hex)
{
	char out[32];

	format_number(0, out, sizeof(out));
	ck_assert_str_eq(out, "0");
	format_number(1234567, out, sizeof(out));
	ck_assert_str_eq(out, "1234567");
	format_number(UINT64_MAX, out, sizeof(out));
	ck_assert_str_eq(out, "18446744073709551615");
	format_hex(0, out, sizeof(out));
	ck_assert_str_eq(out, "0");
	format_hex(0x1c000, out, sizeof(out));
	ck_assert_str_eq(out, "1c000");
	format_hex(UINT64_MAX, out, sizeof(out));
	ck_assert_str_eq(out, "ffffffffffffffff");
	format_number(98765, out, 3);
	ck_assert_str_eq(out, "98");
	memset(out, 'X', sizeof(out));
	format_hex(0xabc, out, 0);	/* nothing written */
	ck_assert_int_eq(out[0], 'X');
}
END_TEST

START_TEST(test_utf8)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "/usr/lib/libc.so.6", "/usr/lib/libc.so.6" },
		{ "caf\xc3\xa9 \xe5\x90\x8d \xf0\x9f\x98\x80", NULL },	/* valid: kept */
		{ "\xc2\x85", NULL },				/* C1 control: valid UTF-8 */
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },		/* never a UTF-8 byte */
		{ "\xc3", "\xef\xbf\xbd" },			/* cut before its end */
		{ "\xc3(", "\xef\xbf\xbd(" },			/* bad continuation */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },	/* overlong '/' */
		{ "\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },	/* surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\x80x", "\xef\xbf\xbdx" },			/* lone continuation */
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i].want ? cases[i].want : cases[i].in;

		ck_assert_msg(format_utf8_valid(cases[i].in) == (strcmp(want, cases[i].in) == 0),
			      "format_utf8_valid, case %zu", i);
		format_utf8_repair(cases[i].in, out, sizeof(out));
		ck_assert_msg(strcmp(out, want) == 0, "format_utf8_repair, case %zu: \"%s\"", i, out);
		ck_assert(format_utf8_valid(out));
	}
	/* a short buffer gets whole sequences only */
	format_utf8_repair("ab\xff", out, 5);
	ck_assert_str_eq(out, "ab");
	format_utf8_repair("\xe5\x90\x8d", out, 3);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_addr)
{
	char out[32];

	format_addr(0x400000, 12, out, sizeof(out));
	ck_assert_str_eq(out, "000000400000");
	format_addr(0x55939bbd2000ULL, 12, out, sizeof(out));
	ck_assert_str_eq(out, "55939bbd2000");
	format_addr(0, 12, out, sizeof(out));
	ck_assert_str_eq(out, "000000000000");
	/* 32-bit processes: 8 digits */
	format_addr(0x56555000ULL, 8, out, sizeof(out));
	ck_assert_str_eq(out, "56555000");
	format_addr(0x400000, 8, out, sizeof(out));
	ck_assert_str_eq(out, "00400000");
	/* longer values are not cut */
	format_addr(0xffffffffff600000ULL, 12, out, sizeof(out));
	ck_assert_str_eq(out, "ffffffffff600000");
	format_addr(0x7ffd98b4c000ULL, 8, out, sizeof(out));
	ck_assert_str_eq(out, "7ffd98b4c000");
	format_addr(UINT64_MAX, 12, out, sizeof(out));
	ck_assert_str_eq(out, "ffffffffffffffff");
	format_addr(0xabc, 20, out, sizeof(out));
	ck_assert_str_eq(out, "00000000000000000abc");
	/* cut as snprintf cuts: what fits, NUL-terminated */
	format_addr(0x400000, 12, out, 5);
	ck_assert_str_eq(out, "0000");
}
END_TEST

START_TEST(test_escape_name)
{
	char out[64];

	format_escape_name("a\nb", out, sizeof(out));
	ck_assert_str_eq(out, "a\\012b");
	format_escape_name("/usr/lib/libc.so.6", out, sizeof(out));
	ck_assert_str_eq(out, "/usr/lib/libc.so.6");
	format_escape_name("tab\there", out, sizeof(out));
	ck_assert_str_eq(out, "tab\\011here");
	format_escape_name("del\x7f", out, sizeof(out));
	ck_assert_str_eq(out, "del\\177");
	format_escape_name("\x1b[31m", out, sizeof(out));
	ck_assert_str_eq(out, "\\033[31m");
	/* spaces and backslashes are printable as they are, but the
	 * backslash of a "\x" is escaped: every \x written is an escape */
	format_escape_name("my file \\ \\x", out, sizeof(out));
	ck_assert_str_eq(out, "my file \\ \\x5cx");
	/* the C locale prints no byte above 127: C1 controls (CSI as a byte
	 * and as UTF-8), UTF-8 and bytes that are not UTF-8 alike */
	format_escape_name("\x9b" "2J\xc2\x9b\xc3\xa9\xff", out, sizeof(out));
	ck_assert_str_eq(out, "\\x9b2J\\xc2\\x9b\\xc3\\xa9\\xff");
	format_escape_name("", out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

/* In a UTF-8 locale what it prints is left alone: wide characters too. */
START_TEST(test_escape_name_utf8)
{
	char out[128];

	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8"))
		return;		/* no UTF-8 locale on this machine */
	format_escape_name("caf\xc3\xa9 \xe5\x90\x8d\xe5\x89\x8d", out, sizeof(out));
	ck_assert_str_eq(out, "caf\xc3\xa9 \xe5\x90\x8d\xe5\x89\x8d");
	ck_assert_uint_eq(format_text_width(out), 9);
	/* C1 controls are not: CSI (U+009B), NEL (U+0085); nor what is not
	 * UTF-8: a lone CSI byte, 0xff, a sequence cut short, a surrogate */
	format_escape_name("\xc2\x9b" "2J\xc2\x85\x9b\xff\xe5\x90 \xed\xa0\x80", out, sizeof(out));
	ck_assert_str_eq(out, "\\xc2\\x9b2J\\xc2\\x85\\x9b\\xff\\xe5\\x90 \\xed\\xa0\\x80");
	ck_assert_uint_eq(format_text_width(out), strlen(out));
	/* controls are octal in every locale */
	format_escape_name("\x1b]0;PWN\x07\r\b\x7f", out, sizeof(out));
	ck_assert_str_eq(out, "\\033]0;PWN\\007\\015\\010\\177");
	/* a character is written whole or not at all */
	format_escape_name("ab\xe5\x90\x8d", out, 5);
	ck_assert_str_eq(out, "ab");
	setlocale(LC_CTYPE, "C");
}
END_TEST

START_TEST(test_escape_small_buffer)
{
	char out[16];
	size_t n;

	memset(out, 'X', sizeof(out));
	format_escape_name("\n\n\n\n\n\n", out, 10);
	n = strlen(out);
	ck_assert_uint_lt(n, 10);
	ck_assert_uint_eq(n % 4, 0);	/* never half an escape */
	ck_assert(strncmp(out, "\\012\\012", n) == 0);
	ck_assert_int_eq(out[10], 'X');

	format_escape_name("abcdefghijklmnop", out, 8);
	ck_assert_uint_lt(strlen(out), 8);
	ck_assert(strncmp(out, "abcdefg", strlen(out)) == 0);

	/* a zero size writes nothing */
	out[0] = 'Y';
	format_escape_name("abc", out, 0);
	ck_assert_int_eq(out[0], 'Y');
}
END_TEST

/* Cut to a width: never half an escape or half a character. */
START_TEST(test_truncate)
{
	char s[64];

	strcpy(s, "/usr/lib/libc.so.6");
	ck_assert_uint_eq(format_text_truncate(s, 8), 8);
	ck_assert_str_eq(s, "/usr/lib");
	strcpy(s, "short");
	ck_assert_uint_eq(format_text_truncate(s, 8), 5);
	ck_assert_str_eq(s, "short");
	/* an escape goes whole or not at all */
	strcpy(s, "a\\x5cxb\\012");
	ck_assert_uint_eq(format_text_truncate(s, 4), 1);
	ck_assert_str_eq(s, "a");
	strcpy(s, "a\\x5cxb\\012");
	ck_assert_uint_eq(format_text_truncate(s, 9), 7);
	ck_assert_str_eq(s, "a\\x5cxb");
	strcpy(s, "abc");
	ck_assert_uint_eq(format_text_truncate(s, 0), 0);
	ck_assert_str_eq(s, "");
}
END_TEST

/* A path keeps its end, after a mark. */
START_TEST(test_keep_end)
{
	char s[64];

	strcpy(s, "/usr/lib/libc.so.6 (deleted)");
	ck_assert_uint_eq(format_text_keep_end(s, 16), 16);
	ck_assert_str_eq(s, "...o.6 (deleted)");
	strcpy(s, "/usr/lib/libc.so.6");
	ck_assert_uint_eq(format_text_keep_end(s, 18), 18);
	ck_assert_str_eq(s, "/usr/lib/libc.so.6");
	/* an escape goes whole or not at all */
	strcpy(s, "/tmp/\\xffname");
	ck_assert_uint_eq(format_text_keep_end(s, 10), 7);
	ck_assert_str_eq(s, "...name");
	/* too narrow for the mark: the start, as format_text_truncate() */
	strcpy(s, "/usr/lib");
	ck_assert_uint_eq(format_text_keep_end(s, 3), 3);
	ck_assert_str_eq(s, "/us");
}
END_TEST

START_TEST(test_truncate_utf8)
{
	char s[64];

	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8"))
		return;		/* no UTF-8 locale on this machine */
	/* a double-width character that would straddle the edge goes */
	strcpy(s, "ab\xe5\x90\x8d\xe5\x89\x8d");
	ck_assert_uint_eq(format_text_truncate(s, 5), 4);
	ck_assert_str_eq(s, "ab\xe5\x90\x8d");
	strcpy(s, "\xe5\x90\x8d\xe5\x89\x8d" "ab");
	ck_assert_uint_eq(format_text_keep_end(s, 5), 5);
	ck_assert_str_eq(s, "...ab");
	strcpy(s, "xy\xe5\x90\x8d\xe5\x89\x8d" "ab");
	ck_assert_uint_eq(format_text_keep_end(s, 7), 7);
	ck_assert_str_eq(s, "...\xe5\x89\x8d" "ab");
	setlocale(LC_CTYPE, "C");
}
END_TEST

static void fit_set(struct fit_column *c, enum fit_kind kind, unsigned int drop,
		    size_t natural, size_t heading)
{
	memset(c, 0, sizeof(*c));
	c->spec.kind = kind;
	c->spec.drop = drop;
	c->natural = natural;
	c->heading = heading;
}

static size_t fit_total(const struct fit_column *c, size_t n)
{
	size_t i, w = 0, shown = 0;

	for (i = 0; i < n; i++)
		if (!c[i].hidden) {
			w += c[i].width;
			shown++;
		}
	return shown ? w + shown - 1 : 0;
}

/* Free text gives way first, the widest first; numbers are never cut. */
START_TEST(test_fit_text_first)
{
	struct fit_column c[4];

	fit_set(&c[0], FIT_FIXED, 0, 12, 5);
	fit_set(&c[1], FIT_FIXED, 1, 5, 4);
	fit_set(&c[2], FIT_TRUNC, 2, 30, 6);
	fit_set(&c[3], FIT_KEEP_END, 0, 50, 4);
	fit_columns(c, 4, 0);
	ck_assert(!c[0].hidden && !c[1].hidden && !c[2].hidden && !c[3].hidden);
	ck_assert_uint_eq(c[3].width, 50);
	fit_columns(c, 4, 200);
	ck_assert_uint_eq(fit_total(c, 4), 100);
	/* 80: 19 cells of 80 text go, all from the widest */
	fit_columns(c, 4, 80);
	ck_assert(!c[0].hidden && !c[1].hidden && !c[2].hidden && !c[3].hidden);
	ck_assert_uint_eq(c[0].width, 12);
	ck_assert_uint_eq(c[1].width, 5);
	ck_assert_uint_eq(c[2].width, 30);
	ck_assert_uint_eq(c[3].width, 30);
	/* 60: both text columns shrink alike */
	fit_columns(c, 4, 60);
	ck_assert_uint_eq(fit_total(c, 4), 60);
	ck_assert_uint_eq(c[2].width + c[3].width, 40);
	ck_assert_uint_le(c[2].width > c[3].width ? c[2].width - c[3].width :
			  c[3].width - c[2].width, 1);
}
END_TEST

/* Then columns go, in their drop order, before text gets unreadable;
 * last, from the right, all but the first. */
START_TEST(test_fit_drop)
{
	struct fit_column c[4];

	fit_set(&c[0], FIT_FIXED, 0, 12, 5);
	fit_set(&c[1], FIT_FIXED, 1, 5, 4);
	fit_set(&c[2], FIT_TRUNC, 2, 30, 6);
	fit_set(&c[3], FIT_KEEP_END, 0, 50, 4);
	/* 12 + 5 + 16 + 16 + 3 = 52 */
	fit_columns(c, 4, 52);
	ck_assert(!c[1].hidden && !c[2].hidden);
	ck_assert_uint_eq(fit_total(c, 4), 52);
	fit_columns(c, 4, 51);
	ck_assert(c[1].hidden && !c[2].hidden);
	ck_assert_uint_eq(fit_total(c, 4), 51);
	/* 12 + 16 + 16 + 2 = 46 */
	fit_columns(c, 4, 45);
	ck_assert(c[1].hidden && c[2].hidden && !c[3].hidden);
	ck_assert_uint_eq(c[3].width, 32);
	/* 12 + 4 + 1: the text down to its heading */
	fit_columns(c, 4, 17);
	ck_assert(!c[0].hidden && !c[3].hidden);
	ck_assert_uint_eq(c[3].width, 4);
	fit_columns(c, 4, 16);
	ck_assert(!c[0].hidden && c[3].hidden);
	ck_assert_uint_eq(c[0].width, 12);
	/* the first column stays, whole, however narrow */
	fit_columns(c, 4, 5);
	ck_assert(!c[0].hidden && c[1].hidden && c[2].hidden && c[3].hidden);
	ck_assert_uint_eq(c[0].width, 12);
}
END_TEST

/* Tree art is not text: a tree column keeps it and a cell of text. */
START_TEST(test_fit_tree)
{
	struct fit_column c[2];

	fit_set(&c[0], FIT_FIXED, 0, 10, 5);
	fit_set(&c[1], FIT_KEEP_END, 0, 40, 4);
	c[1].art = 6;
	fit_columns(c, 2, 18);
	ck_assert(!c[1].hidden);
	ck_assert_uint_eq(c[1].width, 7);
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("sizes");

	tcase_add_test(tc, test_human_small);
	tcase_add_test(tc, test_human_units);
	tcase_add_test(tc, test_human_decimals);
	tcase_add_test(tc, test_human_rounding_above_ten);
	tcase_add_test(tc, test_human_unit_boundary);
	tcase_add_test(tc, test_human_largest);
	tcase_add_test(tc, test_human_truncates);
	tcase_add_test(tc, test_size_raw);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, test_number_hex);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_addr);
	tcase_add_test(tc, test_escape_name);
	tcase_add_test(tc, test_escape_name_utf8);
	tcase_add_test(tc, test_escape_small_buffer);
	tcase_add_test(tc, test_truncate);
	tcase_add_test(tc, test_keep_end);
	tcase_add_test(tc, test_truncate_utf8);
	suite_add_tcase(s, tc);

	tc = tcase_create("fit");
	tcase_add_test(tc, test_fit_text_first);
	tcase_add_test(tc, test_fit_drop);
	tcase_add_test(tc, test_fit_tree);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(format_suite());
}
