/* numa_maps.c: streaming parser for /proc/PID/numa_maps. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/maps.h"
#include "proc/numa_maps.h"
#include "proc/procfs.h"
#include "util/array.h"

/* Longest first where one name begins another ("prefer (many)", "prefer"). */
static const struct {
	const char *name;
	enum numa_policy_mode mode;
} policy_modes[] = {
	{ "weighted interleave", NUMA_POLICY_WEIGHTED_INTERLEAVE },
	{ "prefer (many)", NUMA_POLICY_PREFERRED_MANY },
	{ "interleave", NUMA_POLICY_INTERLEAVE },
	{ "default", NUMA_POLICY_DEFAULT },
	{ "prefer", NUMA_POLICY_PREFERRED },
	{ "local", NUMA_POLICY_LOCAL },
	{ "bind", NUMA_POLICY_BIND },
	{ "unknown", NUMA_POLICY_UNKNOWN },
};

const char *numa_policy_mode_name(enum numa_policy_mode mode)
{
	size_t i;

	for (i = 0; i < sizeof(policy_modes) / sizeof(policy_modes[0]); i++)
		if (policy_modes[i].mode == mode)
			return policy_modes[i].name;
	return "unknown";
}

static const char *const field_keys[NUMA_NFIELDS] = {
	[NUMA_ANON] = "anon",
	[NUMA_DIRTY] = "dirty",
	[NUMA_MAPPED] = "mapped",
	[NUMA_MAPMAX] = "mapmax",
	[NUMA_SWAPCACHE] = "swapcache",
	[NUMA_ACTIVE] = "active",
	[NUMA_WRITEBACK] = "writeback",
	[NUMA_KERNEL_PAGE_SIZE] = "kernelpagesize_kB",
};

const char *numa_maps_field_key(enum numa_maps_field f)
{
	return (unsigned int)f < NUMA_NFIELDS ? field_keys[f] : NULL;
}

uint64_t numa_maps_pages(const struct numa_maps_entry *e)
{
	uint64_t anon = numa_maps_has(e, NUMA_ANON) ? e->v[NUMA_ANON] : 0;
	uint64_t dirty = numa_maps_has(e, NUMA_DIRTY) ? e->v[NUMA_DIRTY] : 0;

	if (numa_maps_has(e, NUMA_MAPPED))
		return e->v[NUMA_MAPPED];
	return anon > dirty ? anon : dirty;
}

/* Mode flags, between '=' and ':' (or the end), joined by '|'. */
static int parse_policy_flags(const char *s, const char *end, unsigned int *flags)
{
	static const struct {
		const char *name;
		unsigned int flag;
	} known[] = {
		{ "static", NUMA_POLICY_F_STATIC },
		{ "relative", NUMA_POLICY_F_RELATIVE },
		{ "balancing", NUMA_POLICY_F_BALANCING },
	};

	if (s == end)
		return -EINVAL;
	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		const char *w_end = bar ? bar : end;
		size_t n = (size_t)(w_end - s), i;
		unsigned int f = NUMA_POLICY_F_UNKNOWN;

		if (n == 0)
			return -EINVAL;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strlen(known[i].name) == n && memcmp(known[i].name, s, n) == 0)
				f = known[i].flag;
		if (f == NUMA_POLICY_F_UNKNOWN)
			for (i = 0; i < n; i++)
				if (s[i] < 'a' || s[i] > 'z')
					return -EINVAL;
		*flags |= f;
		s = w_end;
		if (bar) {
			s++;
			if (s == end)
				return -EINVAL;
		}
	}
	return 0;
}

/* A node number of the policy's list: decimal, without leading zeros,
 * below NUMA_MAPS_NODE_MAX. */
static int parse_node(const char **p, const char *end, unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0;

	if (s >= end || *s < '0' || *s > '9')
		return -EINVAL;
	if (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9')
		return -EINVAL;
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v >= NUMA_MAPS_NODE_MAX)
			return -EINVAL;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

/* The node list ("%*pbl": "0-3,5,8-9"), ranges ascending. When cut is set
 * the text may have been cut anywhere: the last element is left out, and
 * whatever the cut left of it need not parse. */
static int parse_nodelist(const char *s, const char *end, struct numa_policy *pol, bool cut)
{
	const char *c;
	int have = 0;

	if (cut) {
		/* the last element starts after the last ',' */
		for (c = end; c > s; c--)
			if (c[-1] == ',')
				break;
		end = c > s ? c - 1 : s;
		if (end == s)
			return 0;
	}
	if (s == end)
		return -EINVAL;
	while (s < end) {
		unsigned int a, b, n;

		if (parse_node(&s, end, &a))
			return -EINVAL;
		b = a;
		if (s < end && *s == '-') {
			s++;
			if (parse_node(&s, end, &b) || b < a)
				return -EINVAL;
		}
		if (have && a <= (unsigned int)(have - 1))
			return -EINVAL;	/* not ascending */
		for (n = a; n <= b; n++)
			pol->nodes[n / 64] |= 1ULL << (n % 64);
		have = (int)b + 1;
		if (s < end) {
			if (*s != ',' || s + 1 == end)
				return -EINVAL;
			s++;
		}
	}
	return 0;
}

/*
 * The policy word(s) at *p: a known mode name, or for a mode this parser
 * does not know, everything up to the next blank. Copied into storage as
 * the policy's text; *p is left at the blank or the end after it.
 */
static int parse_policy(const char **p, const char *end, struct numa_policy *pol,
			char *storage)
{
	const char *s = *p, *w_end, *colon, *eq;
	enum numa_policy_mode mode = NUMA_POLICY_UNKNOWN;
	size_t i, n = 0;
	bool cut;

	for (i = 0; i < sizeof(policy_modes) / sizeof(policy_modes[0]); i++) {
		size_t len = strlen(policy_modes[i].name);

		if ((size_t)(end - s) >= len && memcmp(s, policy_modes[i].name, len) == 0 &&
		    (s + len == end || s[len] == ' ' || s[len] == '=' || s[len] == ':')) {
			mode = policy_modes[i].mode;
			n = len;
			break;
		}
	}
	if (!n) {
		/* a newer kernel's mode: one word of lowercase letters */
		while (s + n < end && s[n] != ' ' && s[n] != '=' && s[n] != ':') {
			if (s[n] < 'a' || s[n] > 'z')
				return -EINVAL;
			n++;
		}
		if (!n)
			return -EINVAL;
	}
	w_end = memchr(s + n, ' ', (size_t)(end - s - (ptrdiff_t)n));
	if (!w_end)
		w_end = end;

	memset(pol, 0, sizeof(*pol));
	pol->mode = mode;
	pol->text_len = (size_t)(w_end - s);
	memcpy(storage, s, pol->text_len);
	storage[pol->text_len] = '\0';
	pol->text = storage;
	pol->nodelist = storage + pol->text_len;

	/* mpol_to_str() writes into 64 bytes (50 before), cutting the rest */
	cut = pol->text_len == 63 || pol->text_len == 49;
	colon = memchr(s + n, ':', (size_t)(w_end - s - (ptrdiff_t)n));
	eq = s + n < w_end && s[n] == '=' ? s + n : NULL;
	if (eq && parse_policy_flags(eq + 1, colon ? colon : w_end, &pol->flags))
		return -EINVAL;
	if (!eq && !colon && s + n != w_end)
		return -EINVAL;
	if (colon) {
		pol->nodelist = storage + (colon + 1 - s);
		pol->nodelist_len = (size_t)(w_end - colon - 1);
		if (parse_nodelist(colon + 1, w_end, pol, cut))
			return -EINVAL;
		pol->nodes_incomplete = cut;
	}
	*p = w_end;
	return 0;
}

/* Decimal digits, exactly the span [s, end), into a uint64_t. */
static int parse_u64(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static const char deleted_suffix[] = " (deleted)";

/* Undo seq_path()'s escapes of "\n\t= " (\ooo); a backslash followed by
 * anything else is itself, as the kernel leaves backslashes alone. */
static size_t decode_path(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;

	while (i < len) {
		char c = 0;

		if (s[i] == '\\' && len - i >= 4 && s[i + 1] == '0') {
			if (s[i + 2] == '1' && s[i + 3] == '2')
				c = '\n';
			else if (s[i + 2] == '1' && s[i + 3] == '1')
				c = '\t';
			else if (s[i + 2] == '4' && s[i + 3] == '0')
				c = ' ';
			else if (s[i + 2] == '7' && s[i + 3] == '5')
				c = '=';
		}
		if (c) {
			out[o++] = c;
			i += 4;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return o;
}

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* One word after the policy. */
static int parse_word(struct numa_maps_parser *p, const char *s, const char *end,
		      char *storage)
{
	struct numa_maps_entry *e = &p->cur;
	const char *eq = memchr(s, '=', (size_t)(end - s));
	size_t n = (size_t)((eq ? eq : end) - s), i;
	uint64_t v;

	if (!eq) {
		if (word_is(s, n, "heap") && !e->heap) {
			e->heap = true;
			return 0;
		}
		if (word_is(s, n, "huge") && !e->huge) {
			e->huge = true;
			return 0;
		}
		if (word_is(s, n, "stack") || (n >= 6 && memcmp(s, "stack:", 6) == 0)) {
			if (e->stack)
				return -EINVAL;
			e->stack = true;
			if (n == 5)
				return 0;
			if (parse_u64(s + 6, end, &v) || !v || v > UINT32_MAX)
				return -EINVAL;
			e->stack_tid = (uint32_t)v;
			return 0;
		}
		if (word_is(s, n, "heap") || word_is(s, n, "huge"))
			return -EINVAL;	/* twice */
		/* a word a newer kernel added */
		for (i = 0; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == ':'))
				return -EINVAL;
		e->unknown_keys++;
		return 0;
	}
	if (n == 0)
		return -EINVAL;
	if (word_is(s, n, "file")) {
		size_t len, d = sizeof(deleted_suffix) - 1;

		if (e->file || eq + 1 == end)
			return -EINVAL;
		len = decode_path(eq + 1, (size_t)(end - eq - 1), storage);
		if (len > d && memcmp(storage + len - d, deleted_suffix, d) == 0) {
			len -= d;
			storage[len] = '\0';
			e->deleted = true;
		}
		e->file = storage;
		e->file_len = len;
		return 0;
	}
	if (s[0] == 'N' && n > 1 && s[1] >= '0' && s[1] <= '9') {
		const char *q = s + 1;
		unsigned int node;

		if (parse_node(&q, eq, &node) || q != eq || parse_u64(eq + 1, end, &v))
			return -EINVAL;
		/* the kernel prints nodes in ascending order, each once */
		if (e->n_nodes && node <= p->nodes[e->n_nodes - 1].node)
			return -EINVAL;
		p->nodes[e->n_nodes].node = node;
		p->nodes[e->n_nodes].pages = v;
		e->n_nodes++;
		return 0;
	}
	for (i = 0; i < NUMA_NFIELDS; i++) {
		if (!word_is(s, n, field_keys[i]))
			continue;
		if (numa_maps_has(e, (enum numa_maps_field)i) ||
		    parse_u64(eq + 1, end, &v))
			return -EINVAL;
		if (i == NUMA_KERNEL_PAGE_SIZE && __builtin_mul_overflow(v, 1024, &v))
			return -EINVAL;
		e->v[i] = v;
		e->present |= 1u << i;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return -EINVAL;
	for (s = eq + 1; s < end; s++)
		if (*s <= ' ' || *s > '~')
			return -EINVAL;
	e->unknown_keys++;
	return 0;
}

static int parse_line(struct numa_maps_parser *p, const char *line, size_t len)
{
	struct numa_maps_entry *e = &p->cur;
	const char *s = line, *end = line + len;
	char *storage;
	int digits = 0;

	p->line_no++;
	if (len == 0 || memchr(line, '\0', len))
		return -EINVAL;
	/* the policy and the path, each NUL-terminated, fit in len + 2 */
	if (p->text_cap < len + 2) {
		if (ARRAY_GROW(&p->text, &p->text_cap, len + 2, 256))
			return -ENOMEM;
	}
	memset(e, 0, sizeof(*e));
	e->nodes = p->nodes;

	while (s < end && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) {
		if (++digits > 16)
			return -EINVAL;
		e->start = (e->start << 4) |
			   (uint64_t)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
		s++;
	}
	if (!digits || s >= end || *s != ' ')
		return -EINVAL;
	s++;
	storage = p->text;
	if (parse_policy(&s, end, &e->policy, storage))
		return -EINVAL;
	storage += e->policy.text_len + 1;
	while (s < end) {
		const char *w_end;

		if (*s == ' ') {
			s++;
			continue;
		}
		w_end = memchr(s, ' ', (size_t)(end - s));
		if (!w_end)
			w_end = end;
		if (parse_word(p, s, w_end, storage))
			return -EINVAL;
		s = w_end;
	}
	p->entries++;
	return p->on_entry(p->ctx, e);
}

void numa_maps_parser_init(struct numa_maps_parser *p, numa_maps_entry_cb cb, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->on_entry = cb;
	p->ctx = ctx;
}

void numa_maps_parser_release(struct numa_maps_parser *p)
{
	free(p->text);
	free(p->nodes);
	free(p->carry);
	memset(p, 0, sizeof(*p));
}

static int carry_append(struct numa_maps_parser *p, const char *s, size_t n)
{
	if (p->carry_len + n > MAPS_LINE_MAX) {
		p->line_no++;
		return -EINVAL;
	}
	if (ARRAY_GROW_MAX(&p->carry, &p->carry_cap, p->carry_len + n, 256, MAPS_LINE_MAX))
		return -ENOMEM;
	memcpy(p->carry + p->carry_len, s, n);
	p->carry_len += n;
	return 0;
}

int numa_maps_parser_feed(struct numa_maps_parser *p, const char *data, size_t len)
{
	const char *s = data, *end = data + len, *nl;
	int rc;

	if (!p->nodes) {
		p->nodes = malloc(NUMA_MAPS_NODE_MAX * sizeof(*p->nodes));
		if (!p->nodes)
			return -ENOMEM;
	}
	if (p->carry_len) {
		nl = memchr(s, '\n', len);
		rc = carry_append(p, s, nl ? (size_t)(nl - s) : len);
		if (rc || !nl)
			return rc;
		rc = parse_line(p, p->carry, p->carry_len);
		p->carry_len = 0;
		if (rc)
			return rc;
		s = nl + 1;
	}
	while (s < end && (nl = memchr(s, '\n', (size_t)(end - s)))) {
		if ((size_t)(nl - s) > MAPS_LINE_MAX) {
			p->line_no++;
			return -EINVAL;
		}
		rc = parse_line(p, s, (size_t)(nl - s));
		if (rc)
			return rc;
		s = nl + 1;
	}
	return s < end ? carry_append(p, s, (size_t)(end - s)) : 0;
}

int numa_maps_parser_finish(struct numa_maps_parser *p)
{
	int rc = 0;

	if (p->carry_len) {
		/* only a feed fills carry, and the first one allocates nodes */
		rc = parse_line(p, p->carry, p->carry_len);
		p->carry_len = 0;
	}
	return rc;
}

int numa_maps_parse(const char *text, size_t len, numa_maps_entry_cb cb, void *ctx,
		    unsigned long *bad_line)
{
	struct numa_maps_parser p;
	int rc;

	numa_maps_parser_init(&p, cb, ctx);
	rc = numa_maps_parser_feed(&p, text, len);
	if (!rc)
		rc = numa_maps_parser_finish(&p);
	if (bad_line)
		*bad_line = rc == -EINVAL ? p.line_no : 0;
	numa_maps_parser_release(&p);
	return rc;
}

int numa_maps_read(const struct proc_handle *h, numa_maps_entry_cb cb, void *ctx,
		   unsigned long *bad_line)
{
	enum { CHUNK = 64 * 1024 };
	struct numa_maps_parser p;
	char *chunk;
	int fd, rc = 0;

	if (bad_line)
		*bad_line = 0;
	fd = proc_openat(h, "numa_maps");
	if (fd < 0)
		return fd;
	chunk = malloc(CHUNK);
	if (!chunk) {
		close(fd);
		return -ENOMEM;
	}
	numa_maps_parser_init(&p, cb, ctx);
	for (;;) {
		ssize_t n = read(fd, chunk, CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (n == 0) {
			rc = numa_maps_parser_finish(&p);
			break;
		}
		rc = numa_maps_parser_feed(&p, chunk, (size_t)n);
		if (rc)
			break;
	}
	if (rc == -EINVAL && bad_line)
		*bad_line = p.line_no;
	numa_maps_parser_release(&p);
	free(chunk);
	close(fd);
	return rc;
}

long numa_maps_join(const uint64_t *region_starts, size_t n_regions,
		    const uint64_t *numa_starts, size_t n_numa, size_t *out)
{
	size_t i, j = 0;
	long matched = 0;

	for (j = 1; j < n_numa; j++)
		if (numa_starts[j] <= numa_starts[j - 1])
			return -EINVAL;
	j = 0;
	for (i = 0; i < n_regions; i++) {
		if (i && region_starts[i] <= region_starts[i - 1])
			return -EINVAL;
		while (j < n_numa && numa_starts[j] < region_starts[i])
			j++;
		if (j < n_numa && numa_starts[j] == region_starts[i]) {
			out[i] = j++;
			matched++;
		} else {
			out[i] = SIZE_MAX;
		}
	}
	return matched;
}
