/* layout.c: --layout, the address space drawn top to bottom like the
 * classic diagrams, with real addresses. Row heights follow a compressed
 * scale: one line below 1 GiB, two below 1 TiB, three above. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/layout.h"
#include "model/snapshot.h"
#include "output/fit.h"
#include "output/format.h"
#include "output/output.h"

enum {
	BOX = 44,		/* inner width of the box */
	BOX_LINE = 16 + 3 + BOX,	/* an address, the box and its edges */
};

static void boundary(FILE *out, uint64_t addr, int width)
{
	char a[24];

	format_addr(addr, width, a, sizeof(a));
	fprintf(out, "%16s +", a);
	for (int i = 0; i < BOX; i++)
		fputc('-', out);
	fputs("+\n", out);
}

static int row_height(uint64_t size)
{
	if (size >= (1ULL << 40))
		return 3;
	if (size >= (1ULL << 30))
		return 2;
	return 1;
}

static void size_text(const struct layout_row *row, const struct output_options *o,
		      char *buf, size_t n)
{
	uint64_t size = row->last - row->start + 1;

	/* the top row ends at 2^64 - 1: its size is 2^64 - start */
	if (row->last == UINT64_MAX && row->start == 0)
		snprintf(buf, n, "16E");
	else
		format_size(size, o->bytes, buf, n);
}

/* A line of the box, and the note right of it: the box keeps its width
 * whatever the width asked for, the note is cut to fit. */
static void line(FILE *out, char edge, const char *left, const char *right,
		 const char *note, const char *color, const struct output_options *o)
{
	int pad = BOX - 2 - (int)strlen(left) - (int)strlen(right);
	size_t room = o->width > BOX_LINE + 2 ? o->width - BOX_LINE - 2 : 0;
	char *cut = NULL;

	if (pad < 1)
		pad = 1;
	fprintf(out, "%16s %c ", "", edge);
	if (color && o->color)
		fprintf(out, "\033[%sm", color);
	fprintf(out, "%s%*s%s", left, pad, "", right);
	if (color && o->color)
		fputs("\033[0m", out);
	if (note && *note && o->width && format_text_width(note) > room) {
		/* cut, or left out when there is no room at all */
		cut = room ? strdup(note) : NULL;
		if (cut)
			format_text_truncate(cut, room);
		note = cut;
	}
	fprintf(out, " %c%s%s\n", edge, note && *note ? "  " : "", note ? note : "");
	free(cut);
}

static const char *ansi_for_kind(int kind)
{
	switch (kind) {
	case KIND_CODE: return "31";
	case KIND_RODATA: return "33";
	case KIND_RELRO: return "33";
	case KIND_DATA:
	case KIND_BSS: return "32";
	case KIND_HEAP: return "35";
	case KIND_STACK: return "34";
	default: return NULL;
	}
}

int layout_print(FILE *out, const struct snapshot *s, const struct output_options *o)
{
	const struct address_space *as = &s->as;
	int width = s->elf_class == 32 ? 8 : 16;
	char comm[FORMAT_ESCAPED_SIZE(sizeof(s->stat.comm))], *exe = NULL;
	char who[sizeof(comm) + 24], bits[24], paging[24], user[48];
	const char *items[6], *seps[6];
	struct layout l;
	size_t i, n = 0;
	int rc;

	/* room for the ':' after it */
	if (s->exe && !(exe = malloc(FORMAT_ESCAPED_SIZE(strlen(s->exe)) + 1)))
		return -ENOMEM;
	if (exe)
		format_escape_name(s->exe, exe, FORMAT_ESCAPED_SIZE(strlen(s->exe)));
	rc = layout_compute(&l, s);
	if (rc) {
		free(exe);
		return rc;
	}
	format_escape_name(s->stat.comm, comm, sizeof(comm));
	snprintf(who, sizeof(who), "%d (%s)%s", (int)s->pid, comm, exe ? "" : ":");
	seps[n] = "";
	items[n++] = who;
	if (exe) {
		strcat(exe, ":");
		seps[n] = " ";
		items[n++] = exe;
	}
	if (s->arch) {
		seps[n] = " ";
		items[n++] = s->arch;
	}
	snprintf(bits, sizeof(bits), "%d-bit process", s->elf_class ? s->elf_class : 64);
	seps[n] = s->arch ? ", " : " ";
	items[n++] = bits;
	if (as->paging_levels) {
		snprintf(paging, sizeof(paging), "%d-level paging", as->paging_levels);
		seps[n] = ", ";
		items[n++] = paging;
	}
	if (as->task_size_known) {
		snprintf(user, sizeof(user), "user space 0-0x%" PRIx64, as->task_size);
		seps[n] = ", ";
		items[n++] = user;
	}
	/* broken between its items to fit a width */
	fit_print_items(out, items, seps, n, o->width);
	free(exe);
	fputc('\n', out);

	for (i = 0; i < l.nrows; i++) {
		const struct layout_row *row = &l.rows[i];
		char left[96], right[96], sz[32], rss[32];
		bool gap = row->type == LROW_GAP || row->type == LROW_LOW ||
			   row->type == LROW_BEYOND;
		char edge = gap ? ':' : (row->type == LROW_HOLE ? '#' : '|');
		int h, k;

		if (i == 0)
			boundary(out, row->last, width);
		size_text(row, o, sz, sizeof(sz));
		snprintf(left, sizeof(left), "%s", row->label);
		if (gap || row->type == LROW_HOLE || row->type == LROW_KERNEL) {
			snprintf(right, sizeof(right), "%s", sz);
		} else {
			if (row->rss.known)
				format_size(row->rss.v, o->bytes, rss, sizeof(rss));
			else
				snprintf(rss, sizeof(rss), "-");
			snprintf(right, sizeof(right), "%s  rss %s", sz, rss);
		}
		line(out, edge, left, right, row->notes,
		     row->kind >= 0 ? ansi_for_kind(row->kind) : NULL, o);
		/* what the mmap area holds, one kind per line */
		if (row->type == LROW_MMAP) {
			for (k = 0; k < KIND_COUNT; k++) {
				const struct kind_summary *ks = &row->kinds[k];
				char ksz[32], krss[32], kl[96];

				if (!ks->regions)
					continue;
				format_size(ks->s[SUM_SIZE].v, o->bytes, ksz, sizeof(ksz));
				if (ks->s[SUM_RSS].known)
					format_size(ks->s[SUM_RSS].v, o->bytes, krss, sizeof(krss));
				else
					snprintf(krss, sizeof(krss), "-");
				snprintf(kl, sizeof(kl), "  %-12s %5" PRIu64 " %7s  rss %6s",
					 region_kind_name(k), ks->regions, ksz, krss);
				line(out, edge, kl, "", NULL, NULL, o);
			}
		}
		for (h = row_height(row->last - row->start + 1); h > 1; h--)
			line(out, edge, "", "", NULL, NULL, o);
		boundary(out, row->start, width);
	}
	layout_release(&l);
	return ferror(out) ? -EIO : 0;
}
