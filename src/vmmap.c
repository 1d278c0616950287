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

#include "load/load.h"
#include "model/census.h"
#include "model/kernel.h"
#include "model/lookup.h"
#include "model/snapshot.h"
#include "output/format.h"
#include "output/streamed.h"
#include "output/output.h"
#include "proc/pids.h"
#include "proc/procfs.h"
#include "tui/tui.h"

enum {
	EXIT_ALL_OK = 0,
	EXIT_FAIL = 1,
	EXIT_NONE_FOUND = 32,
	EXIT_SOME_FOUND = 64,
};

static const int default_columns[] = {
	F_START, F_END, F_PERMS, F_SIZE, F_RSS, F_PSS, F_DIRTY, F_SWAP,
	F_KIND, F_DETAIL, F_PATH,
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	struct output_options out;
	bool json;
	bool list_columns;
	bool layout;
	bool pages;
	bool kernel;
	uint64_t *addrs;	/* --addr */
	size_t naddrs;
	bool columns_given;
	bool output_all;
	enum color_mode color;
	const char *sysroot;
	bool watch;		/* --watch */
	struct tui_options tui;
	/* the machine view: --all, --openmetrics; -o and --sort are parsed
	 * once it is known which view they name columns of */
	bool all, openmetrics;
	bool accurate;		/* read the ELF images (--all --accurate) */
	const char *user;	/* --user */
	size_t top;		/* --top, 0: all */
	const char *output_file;
	const char *column_args[16];
	size_t ncolumn_args;
	const char *sort_arg;
};

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

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " vmmap [options] <pid|name|/proc/pid|core file>...\n"
	      " vmmap --kernel [--json]\n"
	      " vmmap --watch [options] [<pid|name>]\n"
	      " vmmap --all [options] [<pid|name>...]\n"
	      " vmmap --openmetrics [--all] [options] [<pid|name>...]\n"
	      "\n"
	      "Show what a process's address space holds: every memory region with\n"
	      "its kind, file and memory use, then a summary by kind. A core file\n"
	      "(gcore, coredumpctl dump) shows what the process held when it dumped.\n"
	      "\n"
	      "Options:\n"
	      " -J, --json               print a JSON document (schema 1)\n"
	      " -s, --summary            print only the summary by kind and the totals\n"
	      " -T, --by-image           group regions under the ELF image they belong to\n"
	      " -L, --layout             draw the address space as the textbooks do\n"
	      " -P, --pages              read the page tables: present, swapped, shared pages\n"
	      " -A, --addr <addr,...>    what these addresses are: region, symbol, page, RAM\n"
	      " -K, --kernel             the kernel half, physical memory and zones (no process)\n"
	      " -o, --output <list>      columns to print (see --list-columns)\n"
	      "     --output-all         print all columns\n"
	      " -H, --list-columns       list the columns and exit\n"
	      " -x, --sort <column>      sort regions by a column (sizes largest first)\n"
	      " -k, --kind <list>        only regions of these kinds\n"
	      " -R, --range <start,end>  only regions overlapping this address range\n"
	      " -r, --raw                raw output: no alignment, escaped values\n"
	      " -n, --noheadings         do not print headings\n"
	      " -b, --bytes              print sizes in bytes\n"
	      "     --color[=<when>]     colour by kind: auto, always or never\n"
	      "     --width <n>          fit tables to n columns, also when not a terminal\n"
	      "     --sysroot <dir>      read <dir>/proc instead of /proc (captured data);\n"
	      "                          for a core, look its mapped files up under <dir>\n"
	      "\n"
	      "Watching:\n"
	      " -w, --watch              follow one process live (no process: pick one);\n"
	      "                          with --json print one JSON document per line\n"
	      "     --interval <secs>    seconds between samples (default 1)\n"
	      "     --iterations <n>     stop after n samples (default: until quit)\n"
	      "\n"
	      "Machine:\n"
	      " -a, --all                every process: one row each, and their sums\n"
	      "                          beside /proc/meminfo; names filter\n"
	      "     --user <name|uid>    only processes of this user\n"
	      "     --top <n>            only the first n rows (by --sort, default PSS)\n"
	      "     --accurate           read the ELF images: bss apart from anonymous memory\n"
	      "     --openmetrics        metrics for Prometheus (text format, OpenMetrics)\n"
	      "     --by-comm            metrics summed by command name, not by PID\n"
	      "     --output-file <file> write to a file by rename (textfile collector)\n"
	      "\n"
	      " -h, --help               display this help\n"
	      " -V, --version            display version\n"
	      "\n"
	      "Kinds:\n"
	      " code rodata relro data bss heap stack thread_stack guard anon file shm\n"
	      " device vdso vvar vsyscall other\n"
	      "\n"
	      "Default columns:\n"
	      " START END PERMS SIZE RSS PSS DIRTY SWAP KIND DETAIL PATH\n"
	      "\n"
	      "Exit status: 0 all reported, 1 failure, 32 none of the processes found,\n"
	      "64 some found.\n"
	      "\n"
	      "See vmmap(1) for more.\n", out);
	exit(EXIT_ALL_OK);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
errx_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmmap: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vmmap --help' for more information.\n");
	exit(EXIT_FAIL);
}

/* --color=auto: colour for a terminal that shows it (util-linux's rules):
 * no NO_COLOR (no-color.org: only a non-empty one counts), and a TERM
 * that names a terminal, not "dumb". */
static bool color_wanted(void)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
	       term && *term && strcmp(term, "dumb") != 0;
}

/* --width's bounds: narrower, no table keeps a column worth reading;
 * wider than a terminal's size can say is no width. */
enum { WIDTH_MIN = 40, WIDTH_MAX = 65535 };

/* A number of columns, min to WIDTH_MAX, as text: 0 when it is not one. */
static size_t parse_width(const char *text, long min)
{
	char *e;
	long w;

	errno = 0;
	w = strtol(text, &e, 10);
	return errno || *e || e == text || w < min || w > WIDTH_MAX ? 0 : (size_t)w;
}

/* The width of the terminal on stdout: what it says (TIOCGWINSZ), else
 * COLUMNS when that is a number of columns, else 80, as util-linux. */
static size_t terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	size_t w;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	w = env ? parse_width(env, 1) : 0;
	return w ? w : 80;
}

static void parse_columns(struct options *opt, const char *list)
{
	const char *p = list;
	bool append = *p == '+';

	if (append)
		p++;
	else
		opt->out.ncolumns = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int f = field_parse(p, n);

		if (f < 0) {
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			errx_usage("unknown column: %s", name);
		}
		if (opt->out.ncolumns == F_COUNT)
			errx_usage("too many columns: %s", list);
		opt->out.columns[opt->out.ncolumns++] = f;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!opt->out.ncolumns)
		errx_usage("no columns in: '%s'", list);
}

static void parse_kinds(struct options *opt, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		int k = region_kind_parse(p, n);

		if (k < 0) {
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			errx_usage("unknown kind: %s", name);
		}
		opt->out.filter.kinds |= 1u << k;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!opt->out.filter.kinds)
		errx_usage("no kinds in: '%s'", list);
}

static void parse_range(struct options *opt, const char *arg)
{
	uint64_t *v = NULL;
	const char *bad;
	size_t n = 0;

	/* START,END is a list of two addresses */
	if (lookup_parse_list(arg, &v, &n, &bad) || n != 2 || v[1] < v[0]) {
		free(v);
		errx_usage("invalid range (want START,END in hex): %s", arg);
	}
	opt->out.filter.has_range = true;
	opt->out.filter.range_start = v[0];
	opt->out.filter.range_end = v[1];
	free(v);
}

/* The machine view's -o list (PID,USER,...; "+" appends to the
 * defaults), --sort and --output-all. */
static void machine_columns(struct options *opt)
{
	static const int defaults[] = {
		CF_PID, CF_USER, CF_COMM, CF_RSS, CF_PSS, CF_USS, CF_SWAP, CF_CODE,
		CF_DATA, CF_HEAP, CF_STACK, CF_ANON, CF_FILE, CF_SHM, CF_OTHER, CF_REASON,
	};
	struct output_options *o = &opt->out;
	size_t i;

	o->ncensus_columns = 0;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		o->census_columns[o->ncensus_columns++] = defaults[i];
	for (i = 0; i < opt->ncolumn_args; i++) {
		const char *p = opt->column_args[i];

		if (*p == '+')
			p++;
		else
			o->ncensus_columns = 0;
		while (*p) {
			size_t n = strcspn(p, ",");
			int f = census_field_parse(p, n);

			if (f < 0)
				errx_usage("unknown column: %.*s", (int)(n > 64 ? 64 : n), p);
			if (o->ncensus_columns == CF_COUNT)
				errx_usage("too many columns: %s", opt->column_args[i]);
			o->census_columns[o->ncensus_columns++] = f;
			p += n;
			if (*p == ',')
				p++;
		}
		if (!o->ncensus_columns)
			errx_usage("no columns in: '%s'", opt->column_args[i]);
	}
	if (opt->output_all)
		for (o->ncensus_columns = 0; o->ncensus_columns < CF_COUNT; o->ncensus_columns++)
			o->census_columns[o->ncensus_columns] = (int)o->ncensus_columns;
	o->sort_field = -1;
	if (opt->sort_arg) {
		o->sort_field = census_field_parse(opt->sort_arg, strlen(opt->sort_arg));
		if (o->sort_field < 0)
			errx_usage("unknown sort column: %s", opt->sort_arg);
	} else if (opt->top) {
		o->sort_field = CF_PSS;
	}
}

static void parse_options(int argc, char **argv, struct options *opt)
{
	enum { OPT_OUTPUT_ALL = 0x100, OPT_COLOR, OPT_SYSROOT, OPT_INTERVAL,
	       OPT_ITERATIONS, OPT_WIDTH, OPT_USER, OPT_TOP, OPT_OPENMETRICS,
	       OPT_BY_COMM, OPT_OUTPUT_FILE, OPT_ACCURATE };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "summary", no_argument, NULL, 's' },
		{ "by-image", no_argument, NULL, 'T' },
		{ "layout", no_argument, NULL, 'L' },
		{ "pages", no_argument, NULL, 'P' },
		{ "addr", required_argument, NULL, 'A' },
		{ "kernel", no_argument, NULL, 'K' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "sort", required_argument, NULL, 'x' },
		{ "kind", required_argument, NULL, 'k' },
		{ "range", required_argument, NULL, 'R' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "watch", no_argument, NULL, 'w' },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "iterations", required_argument, NULL, OPT_ITERATIONS },
		{ "all", no_argument, NULL, 'a' },
		{ "user", required_argument, NULL, OPT_USER },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "openmetrics", no_argument, NULL, OPT_OPENMETRICS },
		{ "by-comm", no_argument, NULL, OPT_BY_COMM },
		{ "accurate", no_argument, NULL, OPT_ACCURATE },
		{ "output-file", required_argument, NULL, OPT_OUTPUT_FILE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	memset(opt, 0, sizeof(*opt));
	opt->out.sort_field = -1;
	opt->color = COLOR_AUTO;
	opt->tui.interval = 1.0;
	opt->tui.color = -1;
	for (i = 0; i < sizeof(default_columns) / sizeof(default_columns[0]); i++)
		opt->out.columns[opt->out.ncolumns++] = default_columns[i];

	while ((c = getopt_long(argc, argv, "JsTLPA:Ko:Hx:k:R:rnbwahV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			opt->json = true;
			break;
		case 's':
			opt->out.summary_only = true;
			break;
		case 'T':
			opt->out.by_image = true;
			break;
		case 'L':
			opt->layout = true;
			break;
		case 'P':
			opt->pages = true;
			break;
		case 'K':
			opt->kernel = true;
			break;
		case 'A': {
			const char *bad;

			free(opt->addrs);
			if (lookup_parse_list(optarg, &opt->addrs, &opt->naddrs, &bad))
				errx_usage("invalid address (want hex, comma-separated): %s", bad);
			break;
		}
		case 'o':
			if (opt->ncolumn_args == sizeof(opt->column_args) / sizeof(opt->column_args[0]))
				errx_usage("too many --output options: %s", optarg);
			opt->column_args[opt->ncolumn_args++] = optarg;
			opt->columns_given = true;
			break;
		case OPT_OUTPUT_ALL:
			opt->columns_given = true;
			opt->output_all = true;
			break;
		case 'H':
			opt->list_columns = true;
			break;
		case 'x':
			opt->sort_arg = optarg;
			break;
		case 'k':
			parse_kinds(opt, optarg);
			break;
		case 'R':
			parse_range(opt, optarg);
			break;
		case 'r':
			opt->out.raw = true;
			break;
		case 'n':
			opt->out.noheadings = true;
			break;
		case 'b':
			opt->out.bytes = true;
			break;
		case OPT_COLOR:
			if (!optarg || strcmp(optarg, "auto") == 0)
				opt->color = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				opt->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				opt->color = COLOR_NEVER;
			else
				errx_usage("invalid --color value: %s", optarg);
			break;
		case OPT_WIDTH:
			opt->out.width = parse_width(optarg, WIDTH_MIN);
			if (!opt->out.width)
				errx_usage("invalid --width (columns, %d to %d): %s",
					   WIDTH_MIN, WIDTH_MAX, optarg);
			break;
		case OPT_SYSROOT:
			opt->sysroot = optarg;
			break;
		case 'w':
			opt->watch = true;
			break;
		case OPT_INTERVAL: {
			if (parse_decimal(optarg, strlen(optarg), &opt->tui.interval) ||
			    !(opt->tui.interval >= 0.05 && opt->tui.interval <= 3600))
				errx_usage("invalid --interval (seconds, 0.05 to 3600): %s", optarg);
			break;
		}
		case OPT_ITERATIONS: {
			char *e;

			errno = 0;
			opt->tui.iterations = strtol(optarg, &e, 10);
			if (errno || *e || e == optarg || opt->tui.iterations < 1)
				errx_usage("invalid --iterations (a positive number): %s", optarg);
			break;
		}
		case 'a':
			opt->all = true;
			break;
		case OPT_USER:
			opt->user = optarg;
			break;
		case OPT_TOP: {
			char *e;
			long n;

			errno = 0;
			n = strtol(optarg, &e, 10);
			if (errno || *e || e == optarg || n < 1)
				errx_usage("invalid --top (a positive number): %s", optarg);
			opt->top = (size_t)n;
			break;
		}
		case OPT_OPENMETRICS:
			opt->openmetrics = true;
			break;
		case OPT_BY_COMM:
			opt->out.by_comm = true;
			break;
		case OPT_ACCURATE:
			opt->accurate = true;
			break;
		case OPT_OUTPUT_FILE:
			opt->output_file = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			printf("vmmap %s\n", PACKAGE_VERSION);
			exit(EXIT_ALL_OK);
		default:
			fprintf(stderr, "Try 'vmmap --help' for more information.\n");
			exit(EXIT_FAIL);
		}
	}
	if (opt->all || opt->openmetrics) {
		machine_columns(opt);
	} else {
		for (i = 0; i < opt->ncolumn_args; i++)
			parse_columns(opt, opt->column_args[i]);
		if (opt->sort_arg) {
			opt->out.sort_field = field_parse(opt->sort_arg, strlen(opt->sort_arg));
			if (opt->out.sort_field < 0)
				errx_usage("unknown sort column: %s", opt->sort_arg);
		}
		if (opt->user || opt->top || opt->out.by_comm || opt->output_file || opt->accurate)
			errx_usage("%s", "--user, --top, --by-comm, --output-file and --accurate go with --all or --openmetrics");
	}
	if (opt->output_all && !opt->all && !opt->openmetrics) {
		/* every column; the page columns only when --pages fills them */
		opt->out.ncolumns = 0;
		for (i = 0; i < F_COUNT; i++)
			if (opt->pages || !field_needs_pages((int)i))
				opt->out.columns[opt->out.ncolumns++] = (int)i;
	}
	if (opt->pages && !opt->columns_given) {
		static const int page_columns[] = {
			F_START, F_END, F_PERMS, F_SIZE, F_RSS, F_PRESENT, F_SWAPPED,
			F_EXCLUSIVE, F_PHYS_SHARED, F_RESIDENCY, F_KIND, F_PATH,
		};

		opt->out.ncolumns = 0;
		for (i = 0; i < sizeof(page_columns) / sizeof(page_columns[0]); i++)
			opt->out.columns[opt->out.ncolumns++] = page_columns[i];
	}
	switch (opt->color) {
	case COLOR_ALWAYS:
		opt->out.color = true;
		break;
	case COLOR_NEVER:
		opt->out.color = false;
		break;
	case COLOR_AUTO:
		opt->out.color = color_wanted();
		break;
	}
	if (!opt->out.width && isatty(STDOUT_FILENO))
		opt->out.width = terminal_width();
	opt->tui.color = opt->color == COLOR_AUTO ? -1 : opt->out.color;
	opt->tui.json_lines = opt->json;
}

/* --watch [PID|NAME]: one process, or none for the picker. */
static int watch(struct options *opt, int nargs, char **args)
{
	struct source src;
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
	rc = source_open_proc(&src, opt->sysroot);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
			opt->sysroot ? opt->sysroot : "", errno_text(rc));
		return EXIT_FAIL;
	}
	if (nargs && proc_parse_pid_arg(args[0], &pid) != 0) {
		pid_t *pids = NULL;
		size_t n = 0;

		rc = pids_find_by_name(&src.proc, args[0], &pids, &n);
		if (rc || n != 1) {
			if (rc)
				fprintf(stderr, "vmmap: cannot look up processes named %s: %s\n",
					args[0], errno_text(rc));
			else if (!n)
				fprintf(stderr, "vmmap: no process named %s\n", args[0]);
			else
				fprintf(stderr, "vmmap: %zu processes are named %s: give a PID\n",
					n, args[0]);
			free(pids);
			source_close(&src);
			return rc || n ? EXIT_FAIL : EXIT_NONE_FOUND;
		}
		pid = pids[0];
		free(pids);
	}
	rc = opt->json ? watch_json_lines(&src, pid, &opt->tui) : tui_run(&src, pid, &opt->tui);
	source_close(&src);
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

	return source_is_live(src) && !opt->naddrs &&
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
	struct load_request rq = { .pages = opt->pages };
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

/* --output-file: the text goes to a new file beside FILE, which is
 * renamed over FILE once complete and on disk, so that a reader (the
 * textfile collector) sees the old file or the new one, never a part. */
struct output_file {
	char *path;
	char *tmp;
	FILE *f;
};

static FILE *output_file_open(struct output_file *of, const char *path)
{
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	memset(of, 0, sizeof(*of));
	of->path = strdup(path);
	if (of->path && asprintf(&of->tmp, "%s.tmp.XXXXXX", path) < 0)
		of->tmp = NULL;
	if (!of->path || !of->tmp) {
		fprintf(stderr, "vmmap: out of memory\n");
		return NULL;
	}
	/* a unique name, created by us (O_EXCL): never another's file */
	fd = mkostemp(of->tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vmmap: cannot create %s: %s\n", of->tmp, errno_text(-errno));
		return NULL;
	}
	/* mkostemp() makes it 0600; the collector runs as another user */
	if (fchmod(fd, 0666 & ~mask) || !(of->f = fdopen(fd, "w"))) {
		fprintf(stderr, "vmmap: cannot write %s: %s\n", of->tmp, errno_text(-errno));
		close(fd);
		unlink(of->tmp);
		return NULL;
	}
	return of->f;
}

/* The rename on disk too: fsync the directory of path (best effort: a
 * directory that cannot be opened still has the file). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
	int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Finish the file: flush, fsync, rename over the path (ok false: remove
 * it). Returns 0, or -1 having said why. */
static int output_file_close(struct output_file *of, bool ok)
{
	int rc = 0;

	if (of->f) {
		if (ok && (fflush(of->f) || ferror(of->f) || fsync(fileno(of->f)))) {
			fprintf(stderr, "vmmap: cannot write %s: %s\n", of->tmp, errno_text(-errno));
			ok = false;
		}
		if (fclose(of->f) && ok) {
			fprintf(stderr, "vmmap: cannot write %s: %s\n", of->tmp, errno_text(-errno));
			ok = false;
		}
		if (ok && rename(of->tmp, of->path)) {
			fprintf(stderr, "vmmap: cannot rename %s to %s: %s\n", of->tmp,
				of->path, errno_text(-errno));
			ok = false;
		}
		if (!ok)
			unlink(of->tmp);
		else
			sync_dir(of->path);
		rc = ok ? 0 : -1;
	}
	free(of->path);
	free(of->tmp);
	return rc;
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
static int machine(struct options *opt, int nargs, char **args)
{
	struct census_request req = { .filter = opt->out.filter, .names = args,
				      .nnames = (size_t)nargs, .accurate = opt->accurate };
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
	if (opt->output_file && !(out = output_file_open(&of, opt->output_file))) {
		output_file_close(&of, false);
		source_close(&src);
		return EXIT_FAIL;
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
	if (output_file_close(&of, true) || flush_stdout()) {
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

int main(int argc, char **argv)
{
	struct source src;
	struct options opt;
	struct tally t = { 0 };
	pid_t **lists;
	size_t *counts, total = 0;
	bool *cores, is_pid;
	int i, nargs, rc;

	/* names are shown in the user's encoding (libsmartcols escapes what
	 * the locale cannot print), and trees get line-drawing characters */
	setlocale(LC_ALL, "");
	atexit(close_stdout);
	parse_options(argc, argv, &opt);
	if (opt.list_columns && (opt.all || opt.openmetrics)) {
		all_list_columns(stdout, opt.out.raw);
		return EXIT_ALL_OK;
	}
	if (opt.list_columns) {
		table_list_columns(stdout, opt.out.raw);
		return EXIT_ALL_OK;
	}
	nargs = argc - optind;
	if (opt.all || opt.openmetrics)
		return machine(&opt, nargs, argv + optind);
	if (opt.watch)
		return watch(&opt, nargs, argv + optind);
	if (opt.kernel) {
		struct kernel_view kv;
		long ps = sysconf(_SC_PAGESIZE);

		if (nargs > 0)
			errx_usage("%s", "--kernel shows the machine, not a process: give no process");
		rc = source_open_proc(&src, opt.sysroot);
		if (rc) {
			fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
				opt.sysroot ? opt.sysroot : "", errno_text(rc));
			return EXIT_FAIL;
		}
		kernel_view_load(&src.proc, ps > 0 ? (uint64_t)ps : 4096, &kv);
		if (kv.iomem.addresses_hidden)
			fprintf(stderr, "vmmap: warning: physical addresses unknown: /proc/iomem shows them only with CAP_SYS_ADMIN\n");
		if (kv.text.hidden || kv.text_err)
			fprintf(stderr, "vmmap: warning: kernel text address unknown: %s\n",
				kv.text_err ? errno_text(kv.text_err) :
				"/proc/kallsyms hides it from this user (kptr_restrict, CAP_SYSLOG)");
		rc = opt.json ? kernel_json_print(stdout, &kv) : kernel_print(stdout, &kv, &opt.out);
		kernel_view_release(&kv);
		source_close(&src);
		if (rc && !ferror(stdout)) {
			fprintf(stderr, "vmmap: cannot print the kernel view: %s\n", errno_text(rc));
			return EXIT_FAIL;
		}
		if (flush_stdout())
			return EXIT_FAIL;
		return EXIT_ALL_OK;
	}
	if (nargs <= 0)
		errx_usage("%s", "no process given");

	rc = source_open_proc(&src, opt.sysroot);
	if (rc) {
		fprintf(stderr, "vmmap: cannot open %s/proc: %s\n",
			opt.sysroot ? opt.sysroot : "", errno_text(rc));
		return EXIT_FAIL;
	}
	lists = calloc((size_t)nargs, sizeof(*lists));
	counts = calloc((size_t)nargs, sizeof(*counts));
	cores = calloc((size_t)nargs, sizeof(*cores));
	if (!lists || !counts || !cores) {
		fprintf(stderr, "vmmap: out of memory\n");
		return EXIT_FAIL;
	}
	for (i = 0; i < nargs; i++) {
		const char *arg = argv[optind + i];

		is_pid = proc_parse_pid_arg(arg, &(pid_t){ 0 }) == 0;
		rc = is_pid ? 0 : source_is_core_file(arg);
		if (rc == 1) {
			cores[i] = true;
			counts[i] = 1;
			total++;
			continue;
		}
		if (rc < 0 || (!is_pid && strchr(arg, '/') && access(arg, F_OK) == 0)) {
			fprintf(stderr, "vmmap: %s: %s\n", arg,
				rc < 0 ? errno_text(rc) : "not an ELF core file");
			t.failed++;
			continue;
		}
		rc = resolve(&src.proc, arg, &lists[i], &counts[i]);
		if (rc) {
			fprintf(stderr, "vmmap: cannot look up processes named %s: %s\n",
				arg, errno_text(rc));
			t.failed++;
		} else if (!counts[i] && access(arg, F_OK) == 0) {
			fprintf(stderr, "vmmap: %s is not an ELF core file, and no process is named so\n",
				arg);
			t.failed++;
		} else if (!counts[i]) {
			fprintf(stderr, "vmmap: no process named %s\n", arg);
			t.not_found++;
		}
		total += counts[i];
	}

	/* Several processes make a JSON array of documents. */
	if (opt.json && total > 1)
		fputs("[\n", stdout);
	for (i = 0; i < nargs; i++) {
		size_t k;

		if (cores[i]) {
			report_core(argv[optind + i], &opt, &t);
			continue;
		}
		for (k = 0; k < counts[i]; k++)
			report(&src, lists[i][k], &opt, &opt.out, &t);
		free(lists[i]);
	}
	if (opt.json && total > 1)
		fputs("\n]", stdout);
	if (opt.json && t.reports)
		fputc('\n', stdout);
	free(lists);
	free(counts);
	free(cores);
	free(opt.addrs);
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
