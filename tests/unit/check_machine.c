/* check_machine.c: cpu flags and the pagemap task-size probe
 * (src/proc/machine.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/machine.h"
#include "unit_util.h"

#define FLAGS_4LEVEL \
	"flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca " \
	"cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm " \
	"constant_tsc rep_good nopl xtopology cpuid pni pclmulqdq ssse3 fma cx16 " \
	"pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand " \
	"hypervisor lahf_lm abm 3dnowprefetch bmi1 avx2 smep bmi2 erms invpcid " \
	"la57x avx512f rdseed adx smap clflushopt clwb sha_ni xsaveopt arat umip\n"

static int has(const char *text, const char *flag)
{
	return cpuinfo_has_flag(text, strlen(text), flag);
}

START_TEST(test_without_la57)
{
	static const char text[] =
		"processor\t: 0\n"
		"vendor_id\t: AuthenticAMD\n"
		"model name\t: AMD EPYC\n"
		FLAGS_4LEVEL
		"bugs\t\t: sysret_ss_attrs spectre_v1 spectre_v2\n"
		"bogomips\t: 4890.85\n";

	ck_assert_int_eq(has(text, "la57"), 0);
	ck_assert_int_eq(has(text, "la57x"), 1);	/* whole words only */
	ck_assert_int_eq(has(text, "la5"), 0);
	ck_assert_int_eq(has(text, "fpu"), 1);		/* first */
	ck_assert_int_eq(has(text, "umip"), 1);		/* last */
	ck_assert_int_eq(has(text, "lm"), 1);
	ck_assert_int_eq(has(text, "sysret_ss_attrs"), 0);	/* a bug, not a flag */
	ck_assert_int_eq(has(text, "pdpe1gb rdtscp"), 0);
}
END_TEST

START_TEST(test_with_la57)
{
	static const char text[] =
		"processor\t: 0\n"
		"flags\t\t: fpu vme de pse la57 pku ospke\n"
		"\n"
		"processor\t: 1\n"
		"flags\t\t: fpu vme de pse\n";

	ck_assert_int_eq(has(text, "la57"), 1);
	ck_assert_int_eq(has(text, "pku"), 1);
	ck_assert_int_eq(has(text, "ospke"), 1);

	/* only the first flags line counts */
	{
		static const char other[] =
			"processor\t: 0\n"
			"flags\t\t: fpu vme\n"
			"processor\t: 1\n"
			"flags\t\t: fpu vme la57\n";

		ck_assert_int_eq(has(other, "la57"), 0);
	}
}
END_TEST

START_TEST(test_flags_line_forms)
{
	/* the capture tool keeps only the flags line, maybe without '\n' */
	ck_assert_int_eq(has("flags\t\t: fpu la57", "la57"), 1);
	ck_assert_int_eq(has("flags: la57\n", "la57"), 1);
	ck_assert_int_eq(has("flags : la57\n", "la57"), 1);
	ck_assert_int_eq(has("flags\t\t:\n", "la57"), 0);
	/* "vmx flags" is another line */
	ck_assert_int_eq(has("vmx flags\t: la57 vnmi\n", "la57"), -ENOENT);
	/* "flagsfoo" is not "flags" */
	ck_assert_int_eq(has("flagsfoo\t: la57\n", "la57"), -ENOENT);
}
END_TEST

START_TEST(test_no_flags_line)
{
	/* arm64 says "Features" */
	static const char arm[] =
		"processor\t: 0\n"
		"BogoMIPS\t: 50.00\n"
		"Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics\n"
		"CPU implementer\t: 0x41\n";

	ck_assert_int_eq(has(arm, "la57"), -ENOENT);
	ck_assert_int_eq(has(arm, "aes"), -ENOENT);
	ck_assert_int_eq(cpuinfo_has_flag("", 0, "la57"), -ENOENT);
	ck_assert_int_eq(has("\n\n", "la57"), -ENOENT);
}
END_TEST

START_TEST(test_fixture_cpuinfo)
{
	char **cases = util_fixture_cases();
	size_t c;

	for (c = 0; cases[c]; c++) {
		char *root = util_fixture_dir(cases[c]);
		char *path, *text;
		size_t len;
		struct proc_source src;

		ck_assert_int_ge(asprintf(&path, "%s/proc/cpuinfo", root), 0);
		if (access(path, R_OK) != 0) {
			free(path);
			free(root);
			continue;
		}
		text = util_read_file(path, &len);
		/* the capture machine: x86-64 with 4-level paging */
		ck_assert_int_eq(cpuinfo_has_flag(text, len, "la57"), 0);
		ck_assert_int_eq(cpuinfo_has_flag(text, len, "lm"), 1);
		ck_assert_int_eq(proc_source_init(&src, root), 0);
		ck_assert_int_eq(cpuinfo_read_flag(&src, "la57"), 0);
		ck_assert_int_eq(cpuinfo_read_flag(&src, "fpu"), 1);
		proc_source_release(&src);
		free(text);
		free(path);
		free(root);
	}
	util_free_list(cases);
}
END_TEST

START_TEST(test_read_flag_missing_file)
{
	char tmpl[] = "/tmp/check_machine.XXXXXX";
	char path[128];
	struct proc_source src;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/proc", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(proc_source_init(&src, tmpl), 0);
	ck_assert_int_eq(cpuinfo_read_flag(&src, "la57"), -ENOENT);
	proc_source_release(&src);
	rmdir(path);
	rmdir(tmpl);
}
END_TEST

/* The pagemap probe on this process: the answer is one of the x86-64 task
 * sizes (or, elsewhere, at least above our own stack). */
START_TEST(test_probe_self)
{
	struct proc_source src;
	struct proc_handle h;
	uint64_t ts = 0;
	long ps = sysconf(_SC_PAGESIZE);
	int rc, local;

	ck_assert_int_eq(proc_source_init(&src, NULL), 0);
	ck_assert_int_eq(proc_open(&src, getpid(), &h), 0);
	ck_assert_int_eq(pagemap_probe_task_size(&h, 0, &ts), -EINVAL);
	ck_assert_int_eq(pagemap_probe_task_size(&h, 3000, &ts), -EINVAL);
	rc = pagemap_probe_task_size(&h, (uint64_t)ps, &ts);
	if (rc == -EACCES || rc == -EPERM || rc == -ENOENT) {
		/* no pagemap here (hardened kernel, no CONFIG_PROC_PAGE_MONITOR) */
		proc_close(&h);
		proc_source_release(&src);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(ts, (uint64_t)(uintptr_t)&local);
	ck_assert_uint_eq(ts % (uint64_t)ps, 0);
#if defined(__x86_64__) && !defined(__ILP32__)
	ck_assert_msg(ts == 0x7ffffffff000ULL || ts == 0xfffffffffff000ULL,
		      "task size 0x%llx", (unsigned long long)ts);
#endif
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

static Suite *machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *tc = tcase_create("cpuinfo");

	tcase_add_test(tc, test_without_la57);
	tcase_add_test(tc, test_with_la57);
	tcase_add_test(tc, test_flags_line_forms);
	tcase_add_test(tc, test_no_flags_line);
	tcase_add_test(tc, test_fixture_cpuinfo);
	tcase_add_test(tc, test_read_flag_missing_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("pagemap");
	tcase_add_test(tc, test_probe_self);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(machine_suite());
}
