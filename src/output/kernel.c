/* kernel.c: --kernel, the machine's side: the kernel half for this paging
 * mode, physical memory from /proc/iomem, and the memory zones. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libsmartcols.h>

#include "model/kernel.h"
#include "output/fit.h"
#include "output/format.h"
#include "output/output.h"
#include "util/text.h"

static struct libscols_table *table(FILE *out, const struct output_options *o,
				    const char *const *cols, const int *flags, size_t n)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		return NULL;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	/* names from /proc come escaped (format_escape_name()), as in every
	 * other view; the rest is vmmap's own text */
	scols_table_enable_noencoding(tb, 1);
	/* fitted by fit_table(), never by libsmartcols */
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	for (i = 0; i < n; i++)
		if (!scols_table_new_column(tb, cols[i], 0, flags[i])) {
			scols_unref_table(tb);
			return NULL;
		}
	return tb;
}

static int cell(struct libscols_line *ln, size_t c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cell(struct libscols_line *ln, size_t c, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return scols_line_set_data(ln, c, buf);
}

static void size_of(uint64_t start, uint64_t last, const struct output_options *o,
		    char *buf, size_t n)
{
	if (start == 0 && last == UINT64_MAX)
		snprintf(buf, n, "16E");
	else
		format_size(last - start + 1, o->bytes, buf, n);
}

static int print_areas(FILE *out, const struct kernel_view *kv,
		       const struct output_options *o)
{
	static const char *const cols[] = { "START", "END", "SIZE", "AREA", "NOTE" };
	static const int flags[] = { 0, 0, SCOLS_FL_RIGHT, 0, 0 };
	static const struct fit_spec fit[] = {
		{ FIT_FIXED, 0 }, { FIT_FIXED, 2 }, { FIT_FIXED, 1 }, { FIT_FIXED, 0 },
		{ FIT_TRUNC, 0 },
	};
	struct libscols_table *tb;
	size_t i;
	int rc;

	if (!kv->nareas) {
		fprintf(out, "kernel half: unknown paging mode (no cpu flags to read)\n");
		return 0;
	}
	fprintf(out, "Kernel half, %d-level paging:\n", kv->paging_levels);
	tb = table(out, o, cols, flags, 5);
	if (!tb)
		return -ENOMEM;
	for (i = kv->nareas; i-- > 0;) {
		const struct kernel_area *a = &kv->areas[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char sz[32];

		if (!ln) {
			scols_unref_table(tb);
			return -ENOMEM;
		}
		size_of(a->start, a->last, o, sz, sizeof(sz));
		cell(ln, 0, "%016" PRIx64, a->start);
		cell(ln, 1, "%016" PRIx64, a->last);
		cell(ln, 2, "%s", sz);
		cell(ln, 3, "%s", a->name);
		cell(ln, 4, "%s", a->note);
	}
	rc = fit_table(tb, o->width, fit);
	if (!rc)
		rc = scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}

static int print_iomem(FILE *out, const struct kernel_view *kv,
		       const struct output_options *o)
{
	static const char *const cols[] = { "RESOURCE", "START", "END", "SIZE" };
	static const int flags[] = { SCOLS_FL_TREE, 0, 0, SCOLS_FL_RIGHT };
	static const struct fit_spec fit[] = {
		{ FIT_TRUNC, 0 }, { FIT_FIXED, 0 }, { FIT_FIXED, 2 }, { FIT_FIXED, 1 },
	};
	const struct iomem *io = &kv->iomem;
	struct libscols_line **lines;
	struct libscols_table *tb;
	size_t i;
	int rc;

	fputs("\nPhysical memory (/proc/iomem):\n", out);
	if (kv->iomem_err) {
		fprintf(out, "unknown: cannot read /proc/iomem: %s\n", errno_text(kv->iomem_err));
		return 0;
	}
	if (io->addresses_hidden)
		fputs("addresses hidden: the kernel shows them only with CAP_SYS_ADMIN\n", out);
	tb = table(out, o, cols, flags, 4);
	lines = calloc(io->count ? io->count : 1, sizeof(*lines));
	if (!tb || !lines) {
		free(lines);
		scols_unref_table(tb);
		return -ENOMEM;
	}
	for (i = 0; i < io->count; i++) {
		const struct iomem_resource *r = &io->res[i];
		struct libscols_line *parent = r->parent >= 0 ? lines[r->parent] : NULL;
		char sz[32], *esc;

		lines[i] = scols_table_new_line(tb, parent);
		if (!lines[i]) {
			free(lines);
			scols_unref_table(tb);
			return -ENOMEM;
		}
		esc = format_escape_name_dup(r->name);
		if (!esc || scols_line_refer_data(lines[i], 0, esc)) {
			free(esc);
			free(lines);
			scols_unref_table(tb);
			return -ENOMEM;
		}
		if (io->addresses_hidden) {
			cell(lines[i], 1, "-");
			cell(lines[i], 2, "-");
			cell(lines[i], 3, "-");
			continue;
		}
		size_of(r->start, r->end, o, sz, sizeof(sz));
		cell(lines[i], 1, "%" PRIx64, r->start);
		cell(lines[i], 2, "%" PRIx64, r->end);
		cell(lines[i], 3, "%s", sz);
	}
	rc = fit_table(tb, o->width, fit);
	if (!rc)
		rc = scols_print_table(tb);
	free(lines);
	scols_unref_table(tb);
	if (!rc && !io->addresses_hidden) {
		char ram[32];

		format_size(iomem_system_ram_bytes(io), o->bytes, ram, sizeof(ram));
		fprintf(out, "System RAM: %s\n", ram);
	}
	return rc;
}

static int print_zones(FILE *out, const struct kernel_view *kv,
		       const struct output_options *o)
{
	static const char *const cols[] = { "NODE", "ZONE", "START", "END", "SPANNED",
					    "PRESENT", "MANAGED", "FREE" };
	static const int flags[] = { SCOLS_FL_RIGHT, 0, 0, 0, SCOLS_FL_RIGHT,
				     SCOLS_FL_RIGHT, SCOLS_FL_RIGHT, SCOLS_FL_RIGHT };
	static const struct fit_spec fit[] = {
		{ FIT_FIXED, 0 }, { FIT_FIXED, 0 }, { FIT_FIXED, 5 }, { FIT_FIXED, 4 },
		{ FIT_FIXED, 3 }, { FIT_FIXED, 2 }, { FIT_FIXED, 1 }, { FIT_FIXED, 0 },
	};
	struct libscols_table *tb;
	size_t i;
	int rc;

	fputs("\nMemory zones (/proc/zoneinfo):\n", out);
	if (kv->zones_err) {
		fprintf(out, "unknown: cannot read /proc/zoneinfo: %s\n", errno_text(kv->zones_err));
		return 0;
	}
	tb = table(out, o, cols, flags, 8);
	if (!tb)
		return -ENOMEM;
	for (i = 0; i < kv->zones.count; i++) {
		const struct zone_info *z = &kv->zones.zones[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char a[32], b[32], c[32], d[32];

		if (!ln) {
			scols_unref_table(tb);
			return -ENOMEM;
		}
		cell(ln, 0, "%d", z->node);
		cell(ln, 1, "%s", z->name);
		if (z->has_start_pfn && z->spanned) {
			cell(ln, 2, "%" PRIx64, z->start_pfn * kv->page_size);
			cell(ln, 3, "%" PRIx64, (z->start_pfn + z->spanned) * kv->page_size - 1);
		} else {
			cell(ln, 2, "-");
			cell(ln, 3, "-");
		}
		format_size(z->spanned * kv->page_size, o->bytes, a, sizeof(a));
		format_size(z->present * kv->page_size, o->bytes, b, sizeof(b));
		format_size(z->managed * kv->page_size, o->bytes, c, sizeof(c));
		format_size(z->free * kv->page_size, o->bytes, d, sizeof(d));
		cell(ln, 4, "%s", a);
		cell(ln, 5, "%s", b);
		cell(ln, 6, "%s", c);
		cell(ln, 7, "%s", d);
	}
	rc = fit_table(tb, o->width, fit);
	if (!rc)
		rc = scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}

int kernel_print(FILE *out, const struct kernel_view *kv, const struct output_options *o)
{
	int rc = print_areas(out, kv, o);

	if (!rc)
		rc = print_iomem(out, kv, o);
	if (!rc)
		rc = print_zones(out, kv, o);
	return rc;
}

static struct json_object *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

int kernel_json_print(FILE *out, const struct kernel_view *kv)
{
	struct json_object *o = json_object_new_object(), *a, *t;
	size_t i;

	json_object_object_add(o, "schema", json_object_new_int(1));
	json_object_object_add(o, "vmmap_version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "paging_levels",
			       kv->paging_levels ? json_object_new_int(kv->paging_levels) : NULL);
	t = json_object_new_object();
	json_object_object_add(t, "text", kv->text.known ? hex(kv->text.text) : NULL);
	json_object_object_add(t, "etext", kv->text.known && kv->text.etext ? hex(kv->text.etext) : NULL);
	json_object_object_add(t, "kaslr_slide", kv->text.known ?
			       json_object_new_int64((int64_t)(kv->text.text - KERNEL_TEXT_DEFAULT)) : NULL);
	json_object_object_add(o, "kernel_text", t);
	a = json_object_new_array();
	for (i = 0; i < kv->nareas; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", json_object_new_string(kv->areas[i].name));
		json_object_object_add(e, "start", hex(kv->areas[i].start));
		json_object_object_add(e, "end", hex(kv->areas[i].last));
		json_object_object_add(e, "note", json_object_new_string(kv->areas[i].note));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "kernel_half", a);
	if (!kv->iomem_err) {
		a = json_object_new_array();
		for (i = 0; i < kv->iomem.count; i++) {
			const struct iomem_resource *r = &kv->iomem.res[i];
			struct json_object *e = json_object_new_object();
			bool h = kv->iomem.addresses_hidden;

			json_object_object_add(e, "name", json_text_obj(r->name));
			json_object_object_add(e, "start", h ? NULL : hex(r->start));
			json_object_object_add(e, "end", h ? NULL : hex(r->end));
			json_object_object_add(e, "depth", json_object_new_int(r->depth));
			json_object_object_add(e, "parent", r->parent >= 0 ?
					       json_object_new_int64(r->parent) : NULL);
			json_object_array_add(a, e);
		}
		json_object_object_add(o, "iomem", a);
	} else {
		json_object_object_add(o, "iomem", NULL);
	}
	if (!kv->zones_err) {
		a = json_object_new_array();
		for (i = 0; i < kv->zones.count; i++) {
			const struct zone_info *z = &kv->zones.zones[i];
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "node", json_object_new_int(z->node));
			json_object_object_add(e, "zone", json_object_new_string(z->name));
			json_object_object_add(e, "start_pfn", z->has_start_pfn ?
					       json_object_new_uint64(z->start_pfn) : NULL);
			json_object_object_add(e, "spanned", json_object_new_uint64(z->spanned));
			json_object_object_add(e, "present", json_object_new_uint64(z->present));
			json_object_object_add(e, "managed", json_object_new_uint64(z->managed));
			json_object_object_add(e, "free", json_object_new_uint64(z->free));
			json_object_array_add(a, e);
		}
		json_object_object_add(o, "zones", a);
	} else {
		json_object_object_add(o, "zones", NULL);
	}
	fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ferror(out) ? -EIO : 0;
}
