/* vmmap.c: the command line. Parses options, turns each argument into
 * processes, loads a snapshot of each and hands it to a view. This is the
 * only place that prints errors and chooses the exit status. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/capture.h"
#include "load/load.h"
#include "options.h"
#include "model/census.h"
#include "model/diff.h"
#include "model/kernel.h"
#include "model/lookup.h"
#include "model/snapshot.h"
#include "output/format.h"
#include "output/json_lines.h"
#include "output/streamed.h"
#include "output/textfile.h"
#include "output/output.h"
#include "proc/pids.h"
#include "proc/procfs.h"
#include "tui/tui.h"



static bool write_error_reported;

/* Say why stdout could not be written, once. err is an errno. */
static void report_write_error(int err)
{
	if (write_error_reported)
		return;
	write_error_reported = true;
	fprintf(stderr, "vmmap: write error: %s\n", errno_text(err ? err : EIO));
}

/* Flush stdout; on failure say why (with the errno of the failed write,
 * not a later one). Returns 0 or -1. */
static int flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	report_write_error(errno);
	return -1;
}

/* At exit, whichever path printed (--help, --version, a table): output
 * that could not be written is a failure, as util-linux's close_stdout.
 * A closed pipe is the reader's choice, not an error. */
static void close_stdout(void)
{
	bool failed = ferror(stdout) != 0;
	int err = errno;

	if (fclose(stdout) != 0) {
		failed = true;
		err = errno;
	}
	if (failed && err != EPIPE) {
		report_write_error(err);	/* unless a path said it already */
		_exit(EXIT_FAIL);
	}
}

/* --watch [PID|NAME]: one process, or none for the picker. */
/* The one process arg names: a PID (or /proc/PID), or a name only one
 * process has. Returns 0 with *pid, or an exit status having said why
 * (EXIT_NONE_FOUND when no process has the name). */
static int resolve_one(const struct proc_source *src, const char *arg, pid_t *pid)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int rc;

	if (proc_parse_pid_arg(arg, pid) == 0)
		return 0;
	rc = pids_find_by_name(src, arg, &pids, &n);
	if (!rc && n == 1)
		*pid = pids[0];
	else if (rc)
		fprintf(stderr, "vmmap: cannot look up processes named %s: %s\n",
			arg, errno_text(rc));
	else if (!n)
		fprintf(stderr, "vmmap: no process named %s\n", arg);
	else
		fprintf(stderr, "vmmap: %zu processes are named %s: give a PID\n", n, arg);
	free(pids);
	if (!rc && n == 1)
		return 0;
	return rc || n ? EXIT_FAIL : EXIT_NONE_FOUND;
}

static int load_side(const char *arg, const struct options *opt, struct source *src,
		     struct snapshot *snap);

static int watch(const struct options *opt, int nargs, char **args)
{
	struct tui_options to = opt->tui;
	struct source src, bsrc;
	struct snapshot base;
	pid_t pid = 0;
	int rc;

	if (nargs > 1)
		errx_usage("%s", "--watch follows one process: give one PID or name");
	if (opt->kernel || opt->layout || opt->naddrs || opt->pages)
		errx_usage("%s", "--watch cannot be combined with --kernel, --layout, --addr or --pages");
	if (!nargs && opt->json)
		errx_usage("%s", "--watch --json needs a process");
	if (nargs && proc_parse_pid_arg(args[0], &pid) != 0 && source_is_core_file(args[0]) == 1)
		errx_usage("%s", "--watch follows a live process: a core file does not change");
	if (opt->diff && (opt->json || !nargs))
		errx_usage("%s", "--watch --diff needs a process, and draws the live view: "
			   "for a document, --diff --json");
	pid = 0;
	if (opt->diff) {
		rc = load_side(opt->diff, opt, &bsrc, &base);
		if (rc)
			return rc;
		to.baseline = &base;
	}
	rc = source_open_proc(&src, opt->sysroot);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
			opt->sysroot ? opt->sysroot : "", errno_text(rc));
		rc = EXIT_FAIL;
		goto out_baseline;
	}
	if (nargs && (rc = resolve_one(&src.proc, args[0], &pid))) {
		/* resolve_one() said why */
	} else if (to.baseline && base.pid != pid && !opt->force) {
		fprintf(stderr, "vmmap: %s is process %d, not %d: give --force to compare two "
			"processes\n", opt->diff, (int)base.pid, (int)pid);
		rc = EXIT_FAIL;
	} else {
		rc = opt->json ? watch_json_lines(&src, pid, opt->tui.interval, opt->tui.iterations) :
				 tui_run(&src, pid, &to);
	}
	source_close(&src);
out_baseline:
	if (to.baseline) {
		snapshot_release(&base);
		source_close(&bsrc);
	}
	/* the JSON lines writer names its own write errors */
	if (rc && ferror(stdout))
		write_error_reported = true;
	return rc;
}

/* Write "vmmap: PREFIX TEXT" to stderr, text escaped: warnings and errors
 * quote names the process chose (its comm, paths), and they are shown as
 * every view shows them (format_escape_name()). */
static void message(const char *prefix, const char *text)
{
	char *esc = format_escape_name_dup(text), cut[1024];

	if (!esc)
		format_escape_name(text, cut, sizeof(cut));
	fprintf(stderr, "vmmap: %s%s\n", prefix, esc ? esc : cut);
	free(esc);
}

/* How one requested process went. */
struct tally {
	unsigned int ok;
	unsigned int not_found;
	unsigned int failed;
	unsigned int reports;	/* documents or tables printed so far */
};

/* Which reports can be printed before the counters are all in: regions in
 * address order, all of them, and nothing that needs more than the load
 * (--addr). The page states (--pages) are read during it. A table fitted
 * to a width is too: its columns are sized from the regions alone. */
static bool can_stream(const struct source *src, const struct options *opt)
{
	const struct output_options *o = &opt->out;

	return source_is_live(src) && !opt->naddrs && !opt->numa &&
	       !opt->layout && !o->summary_only && o->sort_field < 0 &&
	       !o->filter.kinds && !o->filter.has_range;
}

/* Load pid, and its page states with --pages, streaming its report into a
 * spool when the options allow. Returns as snapshot_load(); *sr is then
 * the spooled report, to be finished, or NULL when the report is to be
 * printed from *snap. */
static int load(const struct source *src, pid_t pid, const struct options *opt,
		const struct output_options *out, struct snapshot *snap,
		struct load_error *err, struct streamed_report **sr)
{
	struct load_request rq = { .pages = opt->pages, .numa = opt->numa };
	int rc;

	*sr = can_stream(src, opt) ? streamed_report_new(opt->json, out) : NULL;
	if (*sr)
		rq.consumer = streamed_report_consumer(*sr);
	rc = snapshot_load(src, pid, &rq, snap, err);
	if (*sr && (rc || !streamed_report_complete(*sr))) {
		streamed_report_free(*sr);
		*sr = NULL;
	}
	return rc;
}

/* One process's report, printed with the output options base (the
 * addresses looked up are added to a copy). */
static void report(const struct source *src, pid_t pid, const struct options *opt,
		   const struct output_options *base, struct tally *t)
{
	struct output_options out = *base;
	struct streamed_report *sr;
	struct lookup *lookups = NULL;
	struct snapshot snap;
	struct load_error err;
	bool write_failed = false;
	char prefix[48];
	size_t i;
	int rc;

	fflush(stdout);
	rc = load(src, pid, opt, &out, &snap, &err, &sr);
	if (rc) {
		message("", err.msg);
		if (err.kind == LOAD_NOT_FOUND)
			t->not_found++;
		else
			t->failed++;
		return;
	}
	if (opt->naddrs) {
		if (lookup_addresses(src, &snap, opt->addrs, opt->naddrs, &lookups)) {
			fprintf(stderr, "vmmap: out of memory\n");
			t->failed++;
			snapshot_release(&snap);
			return;
		}
		out.lookups = lookups;
		out.nlookups = opt->naddrs;
	}
	snprintf(prefix, sizeof(prefix), "warning: %d: ", (int)snap.pid);
	for (i = 0; i < snap.nwarnings; i++)
		message(prefix, snap.warnings[i]);

	if (sr) {
		fputs(t->reports ? (opt->json ? ",\n" : "\n") : "", stdout);
		rc = streamed_report_finish(sr, &snap, stdout, &write_failed);
		if (write_failed)
			report_write_error(-rc);
		streamed_report_free(sr);
	} else if (opt->json) {
		fputs(t->reports ? ",\n" : "", stdout);
		rc = json_print(stdout, &snap, &out);
	} else {
		if (t->reports)
			fputc('\n', stdout);
		if (opt->naddrs)
			rc = lookup_print(stdout, &snap, &out);
		else if (opt->layout)
			rc = layout_print(stdout, &snap, &out);
		else
			rc = table_print(stdout, &snap, &out);
	}
	t->reports++;
	if (rc) {
		if (!write_error_reported && ferror(stdout))
			flush_stdout();		/* says why the write failed */
		if (!write_error_reported)
			fprintf(stderr, "vmmap: cannot print the report of %d: %s\n",
				(int)snap.pid, errno_text(rc));
		t->failed++;
	} else {
		t->ok++;
	}
	free(lookups);
	snapshot_release(&snap);
}

/* A core file: the process that dumped it, as if it were live. */
static void report_core(const char *path, const struct options *opt, struct tally *t)
{
	/* a core has no counters: show what it holds instead */
	static const int core_columns[] = {
		F_START, F_END, F_PERMS, F_SIZE, F_DUMPED, F_KIND, F_DETAIL, F_PATH,
	};
	struct output_options out = opt->out;
	struct source src;
	size_t i;
	int rc = source_open_core(&src, path, opt->sysroot);

	if (rc) {
		fprintf(stderr, "vmmap: cannot read the core %s: %s\n", path,
			rc == -ENOEXEC ? "not an ELF core file vmmap can read" : errno_text(rc));
		t->failed++;
		return;
	}
	if (!opt->columns_given) {
		out.ncolumns = 0;
		for (i = 0; i < sizeof(core_columns) / sizeof(core_columns[0]); i++)
			out.columns[out.ncolumns++] = core_columns[i];
	}
	report(&src, 0, opt, &out, t);
	source_close(&src);
}

/* Count the processes an argument names (1 for a PID), so JSON knows
 * whether to open an array before printing the first document. */
static int resolve(const struct proc_source *src, const char *arg,
		   pid_t **pids, size_t *n)
{
	pid_t pid;

	if (proc_parse_pid_arg(arg, &pid) == 0) {
		*pids = malloc(sizeof(pid_t));
		if (!*pids)
			return -ENOMEM;
		(*pids)[0] = pid;
		*n = 1;
		return 0;
	}
	return pids_find_by_name(src, arg, pids, n);
}

/* Say why --output-file failed. */
static void output_file_error(const struct output_file *of, int rc)
{
	fprintf(stderr, "vmmap: cannot %s %s: %s\n", of->failed_step ? of->failed_step : "write",
		of->failed_file, errno_text(rc));
}

/* Rows go straight to the view, or are kept for an order or a top N. */
struct machine_sink {
	bool say_unreadable;	/* the view has no place for the reason */
	struct all_view *view;
	struct census_keep keep;
	bool keeping;
};

static int machine_emit(void *ctx, const struct census_row *row)
{
	struct machine_sink *ms = ctx;

	if (ms->say_unreadable && !row->readable) {
		char prefix[128];

		snprintf(prefix, sizeof(prefix), "warning: %d: ", (int)row->pid);
		message(prefix, row->reason);
	}
	return ms->keeping ? census_keep_add(&ms->keep, row) : all_view_row(ms->view, row);
}

/* --all, --openmetrics: every process (or those named) as rows. */
static int machine(const struct options *opt, int nargs, char **args)
{
	struct census_request req = { .filter = opt->out.filter, .names = args,
				      .nnames = (size_t)nargs, .accurate = opt->accurate,
				      .numa = opt->numa };
	struct machine_sink ms = { 0 };
	struct output_file of = { 0 };
	struct source src;
	struct census c = { 0 };
	FILE *out = stdout;
	size_t i;
	int rc;

	if (opt->watch || opt->kernel || opt->layout || opt->naddrs || opt->pages ||
	    opt->out.summary_only || opt->out.by_image || opt->out.filter.has_range)
		errx_usage("%s", "--all and --openmetrics cannot be combined with --watch, --kernel, --layout, --addr, --pages, --summary, --by-image or --range");
	if (opt->json && opt->openmetrics)
		errx_usage("%s", "--json and --openmetrics are two formats: choose one");
	if (!opt->all && !nargs)
		errx_usage("%s", "--openmetrics needs --all or a process");
	if (opt->out.by_comm && !opt->openmetrics)
		errx_usage("%s", "--by-comm goes with --openmetrics");
	if (opt->user) {
		const struct passwd *pw = getpwnam(opt->user);
		char *e;
		unsigned long uid;

		errno = 0;
		uid = strtoul(opt->user, &e, 10);
		if (pw) {
			req.uid = pw->pw_uid;
		} else if (!errno && !*e && e != opt->user && *opt->user != '-' &&
			   uid < (uid_t)-1) {
			req.uid = (uid_t)uid;
		} else {
			fprintf(stderr, "vmmap: no such user: %s\n", opt->user);
			return EXIT_FAIL;
		}
		req.has_uid = true;
	}
	rc = source_open_proc(&src, opt->sysroot);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
			opt->sysroot ? opt->sysroot : "", errno_text(rc));
		return EXIT_FAIL;
	}
	if (opt->output_file) {
		rc = output_file_open(&of, opt->output_file);
		if (rc) {
			output_file_error(&of, rc);
			output_file_close(&of, false);
			source_close(&src);
			return EXIT_FAIL;
		}
		out = of.f;
	}
	ms.say_unreadable = opt->openmetrics;
	ms.keeping = opt->out.sort_field >= 0 || opt->top;
	ms.keep.sort_field = opt->out.sort_field;
	ms.keep.top = opt->top;
	rc = all_view_begin(&ms.view, out, opt->openmetrics ? ALL_OPENMETRICS :
			    opt->json ? ALL_JSON : ALL_TABLE, &opt->out);
	if (!rc)
		rc = census_run(&src, &req, &c, machine_emit, &ms);
	if (!rc && ms.keeping) {
		census_keep_sort(&ms.keep);
		for (i = 0; i < ms.keep.n && !rc; i++)
			rc = all_view_row(ms.view, &ms.keep.rows[i]);
	}
	if (!rc) {
		/* the warnings go to stderr when the view does not carry them */
		for (i = 0; !opt->json && i < c.nwarnings; i++)
			message("warning: ", c.warnings[i]);
		rc = all_view_end(ms.view, &c);
		ms.view = NULL;
	}
	all_view_free(ms.view);
	census_keep_release(&ms.keep);
	source_close(&src);
	if (rc) {
		if (out == stdout && ferror(stdout))
			flush_stdout();		/* says why the write failed */
		else
			fprintf(stderr, "vmmap: cannot read the processes: %s\n", errno_text(rc));
		census_release(&c);
		output_file_close(&of, false);
		return EXIT_FAIL;
	}
	rc = output_file_close(&of, true);
	if (rc)
		output_file_error(&of, rc);
	if (rc || flush_stdout()) {
		census_release(&c);
		return EXIT_FAIL;
	}
	census_release(&c);
	/* named processes: found or not, as for a report; --all alone shows
	 * what it could not read as rows and is a success */
	if (!nargs)
		return EXIT_ALL_OK;
	if (!c.listed)
		return EXIT_NONE_FOUND;
	if (c.unreadable)
		return c.read ? EXIT_SOME_FOUND : EXIT_FAIL;
	return EXIT_ALL_OK;
}

/* --kernel: the machine's side, no process. */
static int kernel_mode(const struct options *opt, int nargs)
{
	struct kernel_view kv;
	struct source src;
	long ps = sysconf(_SC_PAGESIZE);
	int rc;

	if (nargs > 0)
		errx_usage("%s", "--kernel shows the machine, not a process: give no process");
	rc = source_open_proc(&src, opt->sysroot);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
			opt->sysroot ? opt->sysroot : "", errno_text(rc));
		return EXIT_FAIL;
	}
	kernel_view_load(&src.proc, ps > 0 ? (uint64_t)ps : 4096, &kv);
	if (kv.iomem.addresses_hidden)
		fprintf(stderr, "vmmap: warning: physical addresses unknown: /proc/iomem shows them only with CAP_SYS_ADMIN\n");
	if (kv.text.hidden || kv.text_err)
		fprintf(stderr, "vmmap: warning: kernel text address unknown: %s\n",
			kv.text_err ? errno_text(kv.text_err) :
			"/proc/kallsyms hides it from this user (kptr_restrict, CAP_SYSLOG)");
	rc = opt->json ? kernel_json_print(stdout, &kv) : kernel_print(stdout, &kv, &opt->out);
	kernel_view_release(&kv);
	source_close(&src);
	if (rc && !ferror(stdout)) {
		fprintf(stderr, "vmmap: cannot print the kernel view: %s\n", errno_text(rc));
		return EXIT_FAIL;
	}
	return flush_stdout() ? EXIT_FAIL : EXIT_ALL_OK;
}

/* What one operand names: processes (a PID, /proc/PID, a name) or a core. */
struct operand {
	const char *arg;
	bool core;
	pid_t *pids;
	size_t npids;
};

/* Resolve every operand; say what names nothing. Returns how many
 * reports they make. */
static size_t resolve_operands(const struct source *src, struct operand *ops, int n,
			       struct tally *t)
{
	size_t total = 0;
	int i, rc;

	for (i = 0; i < n; i++) {
		struct operand *o = &ops[i];
		bool is_pid = proc_parse_pid_arg(o->arg, &(pid_t){ 0 }) == 0;

		rc = is_pid ? 0 : source_is_core_file(o->arg);
		if (rc == 1) {
			o->core = true;
			total++;
			continue;
		}
		if (rc < 0 || (!is_pid && strchr(o->arg, '/') && access(o->arg, F_OK) == 0)) {
			fprintf(stderr, "vmmap: %s: %s\n", o->arg,
				rc < 0 ? errno_text(rc) : "not an ELF core file");
			t->failed++;
			continue;
		}
		rc = resolve(&src->proc, o->arg, &o->pids, &o->npids);
		if (rc) {
			fprintf(stderr, "vmmap: cannot look up processes named %s: %s\n",
				o->arg, errno_text(rc));
			t->failed++;
		} else if (!o->npids && access(o->arg, F_OK) == 0) {
			fprintf(stderr, "vmmap: %s is not an ELF core file, and no process is named so\n",
				o->arg);
			t->failed++;
		} else if (!o->npids) {
			fprintf(stderr, "vmmap: no process named %s\n", o->arg);
			t->not_found++;
		}
		total += o->npids;
	}
	return total;
}

/* vmmap PID|NAME|CORE...: one report each (a JSON array of them when
 * there are several). */
static int processes_mode(const struct options *opt, int nargs, char **args)
{
	struct source src;
	struct operand *ops;
	struct tally t = { 0 };
	size_t total, k;
	int i, rc;

	if (nargs <= 0)
		errx_usage("%s", "no process given");
	rc = source_open_proc(&src, opt->sysroot);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
			opt->sysroot ? opt->sysroot : "", errno_text(rc));
		return EXIT_FAIL;
	}
	ops = calloc((size_t)nargs, sizeof(*ops));
	if (!ops) {
		fprintf(stderr, "vmmap: out of memory\n");
		source_close(&src);
		return EXIT_FAIL;
	}
	for (i = 0; i < nargs; i++)
		ops[i].arg = args[i];
	total = resolve_operands(&src, ops, nargs, &t);

	/* Several processes make a JSON array of documents. */
	if (opt->json && total > 1)
		fputs("[\n", stdout);
	for (i = 0; i < nargs; i++) {
		if (ops[i].core)
			report_core(ops[i].arg, opt, &t);
		for (k = 0; k < ops[i].npids; k++)
			report(&src, ops[i].pids[k], opt, &opt->out, &t);
		free(ops[i].pids);
	}
	if (opt->json && total > 1)
		fputs("\n]", stdout);
	if (opt->json && t.reports)
		fputc('\n', stdout);
	free(ops);
	source_close(&src);

	if (flush_stdout())
		return EXIT_FAIL;
	if (!t.not_found && !t.failed)
		return EXIT_ALL_OK;
	if (!t.ok && !t.failed)
		return EXIT_NONE_FOUND;
	if (t.ok)
		return EXIT_SOME_FOUND;
	return EXIT_FAIL;
}

/* One side of --diff: a saved document, a core, or a process (live or
 * under --sysroot). Opens *src and loads it into *snap. Returns 0, or an
 * exit status having said why. */
static int load_side(const char *arg, const struct options *opt, struct source *src,
		     struct snapshot *snap)
{
	struct load_error err;
	char why[256];
	pid_t pid = 0;
	int rc;

	if (proc_parse_pid_arg(arg, &pid) == 0 || access(arg, F_OK) != 0) {
		rc = source_open_proc(src, opt->sysroot);
		if (rc) {
			fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
				opt->sysroot ? opt->sysroot : "", errno_text(rc));
			return EXIT_FAIL;
		}
		rc = resolve_one(&src->proc, arg, &pid);
		if (rc) {
			source_close(src);
			return rc;
		}
	} else if (source_is_core_file(arg) == 1) {
		rc = source_open_core(src, arg, opt->sysroot);
		if (rc) {
			fprintf(stderr, "vmmap: cannot read the core %s: %s\n", arg, errno_text(rc));
			return EXIT_FAIL;
		}
	} else {
		rc = source_open_saved(src, arg, why, sizeof(why));
		if (rc) {
			fprintf(stderr, "vmmap: %s: %s\n", arg, why[0] ? why : errno_text(rc));
			return EXIT_FAIL;
		}
	}
	rc = snapshot_load(src, pid, NULL, snap, &err);
	if (rc) {
		message("", err.msg);
		source_close(src);
		return err.kind == LOAD_NOT_FOUND ? EXIT_NONE_FOUND : EXIT_FAIL;
	}
	return 0;
}

/* --diff BEFORE AFTER: what changed; exit 0 when nothing did, 2 when
 * something did (1 is a failure, as always). */
enum { EXIT_DIFF_CHANGED = 2 };

static int diff_mode(const struct options *opt, int nargs, char **args)
{
	struct source sa, sb;
	struct snapshot a, b;
	struct diff d;
	size_t i;
	int rc;

	if (nargs != 1)
		errx_usage("%s", "--diff compares with one process, saved snapshot or core: give one");
	rc = load_side(opt->diff, opt, &sa, &a);
	if (rc)
		return rc;
	rc = load_side(args[0], opt, &sb, &b);
	if (rc) {
		snapshot_release(&a);
		source_close(&sa);
		return rc;
	}
	if (!opt->force && (a.pid != b.pid ||
			    strcmp(a.exe ? a.exe : "", b.exe ? b.exe : "") != 0)) {
		char *ea = format_escape_name_dup(a.exe ? a.exe : "?");
		char *eb = format_escape_name_dup(b.exe ? b.exe : "?");

		fprintf(stderr, "vmmap: %s is process %d (%s), %s is process %d (%s): "
			"give --force to compare two processes\n", opt->diff, (int)a.pid,
			ea ? ea : "", args[0], (int)b.pid, eb ? eb : "");
		free(ea);
		free(eb);
		rc = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < a.nwarnings; i++)
		message("warning: before: ", a.warnings[i]);
	for (i = 0; i < b.nwarnings; i++)
		message("warning: after: ", b.warnings[i]);
	if (diff_compute(&a, &b, &d)) {
		fprintf(stderr, "vmmap: out of memory\n");
		rc = EXIT_FAIL;
		goto out;
	}
	rc = opt->json ? json_diff_print(stdout, &a, &b, &d, &opt->out) :
			 diff_print(stdout, &a, &b, &d, &opt->out);
	if (rc || flush_stdout()) {
		if (!write_error_reported)
			fprintf(stderr, "vmmap: cannot print the diff: %s\n", errno_text(rc));
		rc = EXIT_FAIL;
	} else {
		rc = d.added || d.removed || d.changed ? EXIT_DIFF_CHANGED : EXIT_ALL_OK;
	}
	diff_release(&d);
out:
	snapshot_release(&a);
	snapshot_release(&b);
	source_close(&sa);
	source_close(&sb);
	return rc;
}

/* --capture DIR PID|NAME: what vmmap reads of one live process, copied
 * into a new DIR that --sysroot DIR replays (a bug report's data). */
static int capture_mode(const struct options *opt, int nargs, char **args)
{
	struct capture_report rep;
	struct source src;
	char why[512], prefix[48];
	pid_t pid = 0;
	size_t i;
	int rc;

	if (nargs != 1)
		errx_usage("%s", "--capture copies one process: give one PID or name");
	if (opt->sysroot || opt->json || opt->watch || opt->all || opt->openmetrics ||
	    opt->kernel || opt->diff || opt->layout || opt->naddrs || opt->pages ||
	    opt->out.summary_only || opt->out.by_image || opt->columns_given)
		errx_usage("%s", "--capture copies a live process and prints no report: "
			   "it goes with no other option");
	rc = source_open_proc(&src, NULL);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open /proc: %s\n", errno_text(rc));
		return EXIT_FAIL;
	}
	rc = resolve_one(&src.proc, args[0], &pid);
	if (rc) {
		source_close(&src);
		return rc;
	}
	rc = capture_process(&src.proc, pid, opt->capture, &rep, why, sizeof(why));
	snprintf(prefix, sizeof(prefix), "warning: %d: ", (int)pid);
	for (i = 0; i < rep.nwarnings; i++)
		message(prefix, rep.warnings[i]);
	if (rc) {
		message("", why);
		if (rep.files)
			fprintf(stderr, "vmmap: the capture left in the directory is incomplete\n");
	} else {
		char *esc = format_escape_name_dup(opt->capture);

		printf("captured %d into %s: %zu files, the ELF headers of %zu files%s\n",
		       (int)pid, esc ? esc : "DIR", rep.files, rep.images,
		       rep.nwarnings ? " (some left out: see the warnings)" : "");
		free(esc);
	}
	capture_report_release(&rep);
	source_close(&src);
	if (rc)
		return rc == -ESRCH ? EXIT_NONE_FOUND : EXIT_FAIL;
	return flush_stdout() ? EXIT_FAIL : EXIT_ALL_OK;
}

int main(int argc, char **argv)
{
	struct options opt;
	int nargs, rc;

	/* names are shown in the user's encoding (libsmartcols escapes what
	 * the locale cannot print), and trees get line-drawing characters */
	setlocale(LC_ALL, "");
	atexit(close_stdout);
	options_parse(argc, argv, &opt);
	nargs = argc - optind;
	if (opt.list_columns) {
		if (opt.all || opt.openmetrics)
			all_list_columns(stdout, opt.out.raw);
		else
			table_list_columns(stdout, opt.out.raw);
		rc = EXIT_ALL_OK;
	} else if (opt.capture) {
		rc = capture_mode(&opt, nargs, argv + optind);
	} else if (opt.all || opt.openmetrics) {
		rc = machine(&opt, nargs, argv + optind);
	} else if (opt.diff && !opt.watch) {
		rc = diff_mode(&opt, nargs, argv + optind);
	} else if (opt.watch) {
		rc = watch(&opt, nargs, argv + optind);
	} else if (opt.kernel) {
		rc = kernel_mode(&opt, nargs);
	} else {
		rc = processes_mode(&opt, nargs, argv + optind);
	}
	free(opt.addrs);
	return rc;
}
