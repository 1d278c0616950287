/* lookup.c: --addr as a table: one tree per address. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "model/lookup.h"
#include "model/snapshot.h"
#include "output/fit.h"
#include "output/format.h"
#include "output/output.h"

static int add(struct libscols_table *tb, struct libscols_line *parent,
	       const char *field, const char *value)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);
	char *esc = format_escape_name_dup(value);
	int rc = 0;

	if (!ln || !esc || scols_line_set_data(ln, 0, field) ||
	    scols_line_refer_data(ln, 1, esc)) {
		free(esc);
		rc = -ENOMEM;
	}
	return rc;
}

static void describe_region(const struct snapshot *s, long i, char *buf, size_t n)
{
	const struct region *r;
	const char *path, *detail;
	char perms[5];

	if (i < 0) {
		snprintf(buf, n, "-");
		return;
	}
	r = &s->regions[i];
	path = region_path(s, r);
	detail = region_detail(s, r);
	region_perms_text(r->perms, perms);
	snprintf(buf, n, "%" PRIx64 "-%" PRIx64 " %s %s%s%s%s%s", r->start, r->end,
		 perms, region_kind_name(r->kind), detail ? " (" : "",
		 detail ? detail : "", detail ? ")" : "", "");
	if (path && *path) {
		size_t len = strlen(buf);

		snprintf(buf + len, n - len, " %s", path);
	}
}

int lookup_print(FILE *out, const struct snapshot *s, const struct output_options *o)
{
	static const struct fit_spec fit[] = { { FIT_FIXED, 0 }, { FIT_WRAP, 0 } };
	struct libscols_table *tb = scols_new_table();
	size_t i;
	int rc = 0;

	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	/* the values come escaped (add()): encoding them again would turn
	 * the backslash of each escape into another */
	scols_table_enable_noencoding(tb, 1);
	/* fitted by fit_table(): what an address is goes on over lines */
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	if (!scols_table_new_column(tb, "ADDRESS", 0, SCOLS_FL_TREE) ||
	    !scols_table_new_column(tb, "WHAT", 0, SCOLS_FL_NOEXTREMES)) {
		scols_unref_table(tb);
		return -ENOMEM;
	}
	for (i = 0; i < o->nlookups && !rc; i++) {
		const struct lookup *l = &o->lookups[i];
		struct libscols_line *top = scols_table_new_line(tb, NULL);
		char a[32], buf[768], tmp[512];

		if (!top) {
			rc = -ENOMEM;
			break;
		}
		snprintf(a, sizeof(a), "0x%" PRIx64, l->addr);
		scols_line_set_data(top, 0, a);
		if (l->region >= 0) {
			const struct region *r = &s->regions[l->region];

			snprintf(buf, sizeof(buf), "%s, offset 0x%" PRIx64 " in its region",
				 region_kind_name(r->kind), l->offset);
		} else {
			snprintf(buf, sizeof(buf), "%s", l->why ? l->why : "not mapped");
		}
		scols_line_set_data(top, 1, buf);
		rc = add(tb, top, "canonical", l->canonical ? "yes" :
			 s->as.hole_known ? "no" : "unknown");
		if (!rc && l->why && l->region >= 0)
			rc = add(tb, top, "note", l->why);
		describe_region(s, l->region, buf, sizeof(buf));
		if (!rc && l->region >= 0)
			rc = add(tb, top, "region", buf);
		describe_region(s, l->prev, tmp, sizeof(tmp));
		if (!rc)
			rc = add(tb, top, "before", tmp);
		describe_region(s, l->next, tmp, sizeof(tmp));
		if (!rc)
			rc = add(tb, top, "after", tmp);
		if (rc || l->region < 0)
			continue;
		{
			const char *img = region_image(s, &s->regions[l->region]);

			if (img)
				rc = add(tb, top, "image", img);
		}
		if (!rc && l->section[0])
			rc = add(tb, top, "section", l->section);
		if (!rc && l->symbol[0]) {
			snprintf(buf, sizeof(buf), "%s+0x%" PRIx64, l->symbol, l->symbol_offset);
			rc = add(tb, top, "symbol", buf);
		}
		if (!rc && l->file_offset_known) {
			snprintf(buf, sizeof(buf), "0x%" PRIx64, l->file_offset);
			rc = add(tb, top, "file offset", buf);
		}
		if (!rc && l->tid) {
			snprintf(buf, sizeof(buf), "stack of thread %d", (int)l->tid);
			rc = add(tb, top, "thread", buf);
		}
		if (!rc) {
			if (!l->page_known)
				snprintf(buf, sizeof(buf), "-");
			else
				snprintf(buf, sizeof(buf), "%s%s%s%s",
					 l->page.present ? "present" : l->page.swapped ? "swapped" :
					 l->page.guard ? "guard" : "not present",
					 l->page.present ? (l->page.file ? ", file" : ", anonymous") : "",
					 l->page.present && l->page.exclusive ? ", exclusive" : "",
					 l->huge_known && l->huge ? ", huge page" : "");
			rc = add(tb, top, "page", buf);
		}
		if (!rc) {
			if (l->phys_known)
				snprintf(buf, sizeof(buf), "0x%" PRIx64 "%s%s%s%s", l->phys_addr,
					 l->iomem[0] ? "  " : "", l->iomem,
					 l->zone[0] ? ", zone " : "", l->zone);
			else
				snprintf(buf, sizeof(buf), "-");
			rc = add(tb, top, "physical", buf);
		}
	}
	if (!rc)
		rc = fit_table(tb, o->width, fit);
	if (!rc)
		rc = scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}
