/* options.h: vmmap's command line, parsed once into options that the
 * rest of the front end only reads. */
#ifndef VMMAP_OPTIONS_H
#define VMMAP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/output.h"
#include "tui/tui.h"

/* vmmap's exit statuses (man page, EXIT STATUS). */
enum vmmap_exit {
	EXIT_ALL_OK = 0,
	EXIT_FAIL = 1,
	EXIT_NONE_FOUND = 32,
	EXIT_SOME_FOUND = 64,
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
	const char *diff;	/* --diff FILE: the snapshot (or core) before */
	const char *capture;	/* --capture DIR: copy a live process into DIR */
	bool force;		/* --diff of two different processes */
	bool numa;		/* --numa, or a NUMA column: read numa_maps */
	const char *user;	/* --user */
	size_t top;		/* --top, 0: all */
	const char *output_file;
	const char *column_args[16];
	size_t ncolumn_args;
	const char *sort_arg;
};

/* Parse argv into *opt: every value checked, columns, kinds and widths
 * resolved. Prints the help or the version and exits for -h and -V, and
 * exits with a usage error for what is wrong. The operands start at
 * optind. opt->addrs is allocated (free it). */
void options_parse(int argc, char **argv, struct options *opt);

/* "vmmap: MESSAGE" and the hint to --help on stderr, then exit 1. */
void __attribute__((noreturn, format(printf, 1, 2))) errx_usage(const char *fmt, ...);

#endif
