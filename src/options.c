/* options.c: vmmap's command line (options.h). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "model/census.h"
#include "model/fields.h"
#include "model/lookup.h"
#include "options.h"
#include "util/text.h"

static const int default_columns[] = {
	F_START, F_END, F_PERMS, F_SIZE, F_RSS, F_PSS, F_DIRTY, F_SWAP,
	F_KIND, F_DETAIL, F_PATH,
};

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " vmmap [options] <pid|name|/proc/pid|core file>...\n"
	      " vmmap --kernel [--json]\n"
	      " vmmap --watch [options] [<pid|name>]\n"
	      " vmmap --diff <before.json|core> [options] <pid|name|after.json|core>\n"
	      " vmmap --all [options] [<pid|name>...]\n"
	      " vmmap --openmetrics [--all] [options] [<pid|name>...]\n"
	      " vmmap --capture <dir> <pid|name>\n"
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
	      "     --numa               where each region's pages are by NUMA node, and its\n"
	      "                          memory policy (reads numa_maps)\n"
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
	      "     --capture <dir>      copy what vmmap reads of a live process into a new\n"
	      "                          <dir>, which --sysroot <dir> replays (bug reports)\n"
	      "\n"
	      "Watching:\n"
	      " -w, --watch              follow one process live (no process: pick one);\n"
	      "                          with --json print one JSON document per line\n"
	      "     --interval <secs>    seconds between samples (default 1)\n"
	      "     --iterations <n>     stop after n samples (default: until quit)\n"
	      "\n"
	      "Change:\n"
	      "     --diff <file>        what changed since the snapshot in <file> (vmmap\n"
	      "                          --json output, or a core) in the process given,\n"
	      "                          a saved snapshot or a core; exit 0 none, 2 some\n"
	      "                          (with --watch: the live view's deltas since it)\n"
	      "     --all-regions        with --diff: the unchanged regions too\n"
	      "     --force              with --diff: compare two different processes\n"
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

void errx_usage(const char *fmt, ...)
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

/* The one comma-list parser (-o, --kind, the machine view's -o): each
 * name of list looked up by lookup (which returns its index or -1) and
 * appended to out[*n], at most max of them. "+" before the list appends
 * to what out holds; else it replaces it. An unknown name, too many or
 * none is a usage error naming what (a "column", a "kind"). */
static void parse_list(const char *list, const char *what,
		       int (*lookup)(const char *name, size_t len),
		       int *out, size_t *n, size_t max)
{
	const char *p = list;

	if (*p == '+')
		p++;
	else
		*n = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int v = lookup(p, len);

		if (v < 0)
			errx_usage("unknown %s: %.*s", what, (int)(len > 64 ? 64 : len), p);
		if (*n == max)
			errx_usage("too many %ss: %s", what, list);
		out[(*n)++] = v;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*n)
		errx_usage("no %ss in: '%s'", what, list);
}

static void parse_columns(struct options *opt, const char *list)
{
	parse_list(list, "column", field_parse, opt->out.columns, &opt->out.ncolumns, F_COUNT);
}

static void parse_kinds(struct options *opt, const char *list)
{
	int kinds[KIND_COUNT * 4];	/* a kind may be named twice */
	size_t n = 0, i;

	if (*list == '+')
		errx_usage("unknown kind: %s", list);
	parse_list(list, "kind", region_kind_parse, kinds, &n, sizeof(kinds) / sizeof(kinds[0]));
	for (i = 0; i < n; i++)
		opt->out.filter.kinds |= 1u << kinds[i];
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
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (defaults[i] == CF_REASON && opt->numa)
			o->census_columns[o->ncensus_columns++] = CF_NUMA;	/* --numa */
		o->census_columns[o->ncensus_columns++] = defaults[i];
	}
	for (i = 0; i < opt->ncolumn_args; i++)
		parse_list(opt->column_args[i], "column", census_field_parse,
			   o->census_columns, &o->ncensus_columns, CF_COUNT);
	for (i = 0; i < o->ncensus_columns; i++)
		if (o->census_columns[i] == CF_NUMA)
			opt->numa = true;
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

void options_parse(int argc, char **argv, struct options *opt)
{
	enum { OPT_OUTPUT_ALL = 0x100, OPT_COLOR, OPT_SYSROOT, OPT_INTERVAL,
	       OPT_ITERATIONS, OPT_WIDTH, OPT_USER, OPT_TOP, OPT_OPENMETRICS,
	       OPT_BY_COMM, OPT_OUTPUT_FILE, OPT_ACCURATE, OPT_DIFF, OPT_ALL_REGIONS,
	       OPT_FORCE, OPT_NUMA, OPT_CAPTURE };
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
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "all-regions", no_argument, NULL, OPT_ALL_REGIONS },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "numa", no_argument, NULL, OPT_NUMA },
		{ "output-file", required_argument, NULL, OPT_OUTPUT_FILE },
		{ "capture", required_argument, NULL, OPT_CAPTURE },
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
		case OPT_DIFF:
			opt->diff = optarg;
			break;
		case OPT_ALL_REGIONS:
			opt->out.diff_all_regions = true;
			break;
		case OPT_FORCE:
			opt->force = true;
			break;
		case OPT_NUMA:
			opt->numa = true;
			break;
		case OPT_OUTPUT_FILE:
			opt->output_file = optarg;
			break;
		case OPT_CAPTURE:
			opt->capture = optarg;
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
	if ((opt->out.diff_all_regions || opt->force) && !opt->diff)
		errx_usage("%s", "--all-regions and --force go with --diff");
	if (opt->diff && (opt->all || opt->openmetrics || opt->kernel || opt->layout ||
			  opt->naddrs || opt->pages || opt->out.summary_only || opt->out.by_image))
		errx_usage("%s", "--diff cannot be combined with --all, --openmetrics, --kernel, --layout, --addr, --pages, --summary or --by-image");
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
			if ((opt->pages || !field_needs_pages((int)i)) &&
			    (opt->numa || !field_needs_numa((int)i)))
				opt->out.columns[opt->out.ncolumns++] = (int)i;
	}
	/* a NUMA column reads numa_maps, as --numa does */
	for (i = 0; i < opt->out.ncolumns && !opt->all && !opt->openmetrics; i++)
		if (field_needs_numa(opt->out.columns[i]))
			opt->numa = true;
	if (opt->numa && !opt->columns_given && !opt->output_all && !opt->pages) {
		static const int numa_columns[] = {
			F_START, F_END, F_PERMS, F_SIZE, F_RSS, F_NUMA, F_NUMA_POLICY,
			F_KIND, F_PATH,
		};

		opt->out.ncolumns = 0;
		for (i = 0; i < sizeof(numa_columns) / sizeof(numa_columns[0]); i++)
			opt->out.columns[opt->out.ncolumns++] = numa_columns[i];
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
}
