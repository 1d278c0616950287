/* openmetrics.c: --openmetrics, the machine view as metrics for
 * Prometheus (node_exporter's textfile collector).
 *
 * The text is the Prometheus exposition format and valid OpenMetrics
 * text as well: HELP and TYPE for every family, each family's samples
 * together, label values escaped, "# EOF" at the end (a comment to
 * Prometheus' parser). A family's samples must not be interleaved with
 * another's, and rows come one process at a time: each family is written
 * into its own memory stream and the streams are joined at the end.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/format.h"
#include "output/output.h"
#include "util/array.h"

enum { M_RSS, M_PSS, M_USS, M_SWAP, M_SIZE, M_REGIONS, M_COUNT };

static const struct {
	const char *name;
	const char *help;
	enum sum_field field;	/* M_REGIONS: the count of regions */
} metrics[M_COUNT] = {
	[M_RSS] = { "vmmap_rss_bytes", "Resident set size of the process's mappings of a kind.", SUM_RSS },
	[M_PSS] = { "vmmap_pss_bytes", "Proportional set size (shared pages divided among their users) of the process's mappings of a kind.", SUM_PSS },
	[M_USS] = { "vmmap_uss_bytes", "Unique set size (private pages) of the process's mappings of a kind.", SUM_USS },
	[M_SWAP] = { "vmmap_swap_bytes", "Swapped-out size of the process's mappings of a kind.", SUM_SWAP },
	[M_SIZE] = { "vmmap_size_bytes", "Virtual size of the process's mappings of a kind.", SUM_SIZE },
	[M_REGIONS] = { "vmmap_regions", "Number of the process's mappings of a kind.", SUM_SIZE },
};

/* --by-comm: the sums of the processes of one command name. */
struct comm_sums {
	char comm[80];
	uint64_t processes;
	struct summary sum;
};

struct openmetrics {
	FILE *out;
	const struct output_options *o;
	FILE *family[M_COUNT];
	char *text[M_COUNT];
	size_t len[M_COUNT];
	struct comm_sums *comms;
	size_t ncomms, capcomms;
};

void openmetrics_escape_label(const char *s, char *out, size_t outsize)
{
	size_t n = strlen(s), o = 0;
	char *fixed = malloc(3 * n + 1);
	const char *p;

	if (!outsize)
		return;
	if (fixed)
		format_utf8_repair(s, fixed, 3 * n + 1);
	for (p = fixed ? fixed : ""; *p; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" :
				  *p == '\n' ? "\\n" : NULL;
		size_t k = esc ? 2 : 1;

		if (o + k >= outsize)
			break;
		if (esc) {
			memcpy(out + o, esc, 2);
		} else {
			/* a UTF-8 sequence cut short is no UTF-8: keep whole ones */
			if ((*p & 0xc0) == 0xc0) {
				size_t len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;

				if (o + len >= outsize)
					break;
			}
			out[o] = *p;
		}
		o += k;
	}
	out[o] = '\0';
	free(fixed);
}

void openmetrics_free(struct openmetrics *m)
{
	int i;

	if (!m)
		return;
	for (i = 0; i < M_COUNT; i++) {
		if (m->family[i])
			fclose(m->family[i]);
		free(m->text[i]);
	}
	free(m->comms);
	free(m);
}

int openmetrics_begin(struct openmetrics **out_m, FILE *out, const struct output_options *o)
{
	struct openmetrics *m = calloc(1, sizeof(*m));
	int i;

	*out_m = NULL;
	if (!m)
		return -ENOMEM;
	m->out = out;
	m->o = o;
	for (i = 0; i < M_COUNT; i++) {
		m->family[i] = open_memstream(&m->text[i], &m->len[i]);
		if (!m->family[i]) {
			openmetrics_free(m);
			return -ENOMEM;
		}
	}
	*out_m = m;
	return 0;
}

/* The samples of one process (pid > 0) or command name (pid 0). */
static void samples(struct openmetrics *m, pid_t pid, const char *comm,
		    const struct summary *sum)
{
	char label[3 * 80 * 2 + 8];
	int k, i;

	openmetrics_escape_label(comm, label, sizeof(label));
	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_summary *ks = &sum->kinds[k];

		if (!ks->regions)
			continue;
		for (i = 0; i < M_COUNT; i++) {
			const struct sum *v = &ks->s[metrics[i].field];

			/* unknown is no sample, never 0 */
			if (i != M_REGIONS && !v->known)
				continue;
			fputs(metrics[i].name, m->family[i]);
			if (pid)
				fprintf(m->family[i], "{pid=\"%d\",", (int)pid);
			else
				fputc('{', m->family[i]);
			fprintf(m->family[i], "comm=\"%s\",kind=\"%s\"} %llu\n", label,
				region_kind_name(k),
				(unsigned long long)(i == M_REGIONS ? ks->regions : v->v));
		}
	}
}

static struct comm_sums *comm_sums_of(struct openmetrics *m, const char *comm)
{
	struct comm_sums *c;
	size_t i;
	int k, f;

	for (i = 0; i < m->ncomms; i++)
		if (strcmp(m->comms[i].comm, comm) == 0)
			return &m->comms[i];
	if (ARRAY_GROW(&m->comms, &m->capcomms, m->ncomms + 1, 64))
		return NULL;
	c = &m->comms[m->ncomms++];
	memset(c, 0, sizeof(*c));
	snprintf(c->comm, sizeof(c->comm), "%s", comm);
	for (k = 0; k < KIND_COUNT; k++)
		for (f = 0; f < SUM_NFIELDS; f++)
			sum_init(&c->sum.kinds[k].s[f]);
	return c;
}

int openmetrics_row(struct openmetrics *m, const struct census_row *row)
{
	struct comm_sums *c;
	int k, f;

	if (!row->readable)
		return 0;	/* counted in vmmap_processes_unreadable */
	if (!m->o->by_comm) {
		samples(m, row->pid, row->comm, &row->sum);
		return 0;
	}
	c = comm_sums_of(m, row->comm);
	if (!c)
		return -ENOMEM;
	c->processes++;
	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_summary *from = &row->sum.kinds[k];

		c->sum.kinds[k].regions += from->regions;
		if (from->regions)
			for (f = 0; f < SUM_NFIELDS; f++)
				sum_add(&c->sum.kinds[k].s[f], from->s[f].known, from->s[f].v);
	}
	return 0;
}

static int cmp_comm(const void *a, const void *b)
{
	return strcmp(((const struct comm_sums *)a)->comm, ((const struct comm_sums *)b)->comm);
}

static void gauge(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

int openmetrics_end(struct openmetrics *m, const struct census *c)
{
	FILE *out = m->out;
	char label[3 * 80 * 2 + 8];
	unsigned long long us;
	size_t i;
	int f, rc;

	if (m->o->by_comm) {
		qsort(m->comms, m->ncomms, sizeof(*m->comms), cmp_comm);
		for (i = 0; i < m->ncomms; i++)
			samples(m, 0, m->comms[i].comm, &m->comms[i].sum);
	}
	for (f = 0; f < M_COUNT; f++) {
		if (fclose(m->family[f])) {
			m->family[f] = NULL;
			openmetrics_free(m);
			return -ENOMEM;
		}
		m->family[f] = NULL;
		gauge(out, metrics[f].name, metrics[f].help);
		fwrite(m->text[f], 1, m->len[f], out);
	}
	if (m->o->by_comm) {
		gauge(out, "vmmap_processes", "Number of processes of a command name that were read.");
		for (i = 0; i < m->ncomms; i++) {
			openmetrics_escape_label(m->comms[i].comm, label, sizeof(label));
			fprintf(out, "vmmap_processes{comm=\"%s\"} %llu\n", label,
				(unsigned long long)m->comms[i].processes);
		}
	}
	gauge(out, "vmmap_processes_read", "Number of processes whose mappings were read.");
	fprintf(out, "vmmap_processes_read %llu\n", (unsigned long long)c->read);
	gauge(out, "vmmap_processes_unreadable",
	      "Number of processes that could not be read (permission, gone while read).");
	fprintf(out, "vmmap_processes_unreadable %llu\n", (unsigned long long)c->unreadable);
	gauge(out, "vmmap_scrape_duration_seconds", "Time vmmap took to read the processes.");
	/* not printf's %f: the locale's decimal point may be a comma */
	us = c->seconds > 0 ? (unsigned long long)(c->seconds * 1e6 + 0.5) : 0;
	fprintf(out, "vmmap_scrape_duration_seconds %llu.%06llu\n", us / 1000000, us % 1000000);
	fputs("# EOF\n", out);
	rc = ferror(out) ? -EIO : 0;
	openmetrics_free(m);
	return rc;
}
