/* check_iomem.c: /proc/iomem (src/proc/iomem.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/iomem.h"
#include "unit_util.h"

#define MACHINE FIXTURES "/machine"

/* Parse len bytes of text from an exact-size heap copy, so a sanitized
 * build reports any read past len. */
static int parse_n(const char *text, size_t len, struct iomem *io)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	rc = iomem_parse(copy, len, io);
	free(copy);
	return rc;
}

static int parse(const char *text, struct iomem *io)
{
	return parse_n(text, strlen(text), io);
}

static int parse_fixture(const char *path, struct iomem *io)
{
	size_t len;
	char *text = util_read_file(path, &len);
	int rc = parse_n(text, len, io);

	free(text);
	return rc;
}

/* The index of the first resource named name at or after from; -1. */
static long find_name(const struct iomem *io, const char *name, size_t from)
{
	size_t i;

	for (i = from; i < io->count; i++)
		if (strcmp(io->res[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Is d the resource a or one of its descendants? */
static bool is_within(const struct iomem *io, long d, long a)
{
	while (d >= 0 && d != a)
		d = io->res[d].parent;
	return d == a;
}

/* Every resource against its own line, read independently with sscanf. */
static void check_against_text(const struct iomem *io, const char *text)
{
	const char *line = text;
	size_t i;

	for (i = 0; i < io->count; i++) {
		unsigned long long s, e;
		int indent = 0, name_at = 0;

		ck_assert_ptr_nonnull(line);
		while (line[indent] == ' ')
			indent++;
		ck_assert_int_eq(sscanf(line + indent, "%llx-%llx : %n", &s, &e, &name_at), 2);
		ck_assert_uint_eq(io->res[i].start, s);
		ck_assert_uint_eq(io->res[i].end, e);
		ck_assert_int_eq(io->res[i].depth, indent / 2);
		ck_assert_int_eq(strncmp(io->res[i].name, line + indent + name_at,
					 strlen(io->res[i].name)), 0);
		ck_assert_int_eq(line[indent + name_at + (int)strlen(io->res[i].name)], '\n');
		/* the kernel's tree: a child lies inside its parent */
		if (io->res[i].parent >= 0) {
			ck_assert_uint_ge(s, io->res[io->res[i].parent].start);
			ck_assert_uint_le(e, io->res[io->res[i].parent].end);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	ck_assert(line == NULL || *line == '\0');
}

START_TEST(test_root_capture)
{
	size_t len, i, top = 0, lines_top = 0;
	char *text = util_read_file(MACHINE "/root/proc/iomem", &len);
	struct iomem io;
	long code, ram, found;
	const struct iomem_resource *kc;
	const char *p;

	ck_assert_int_eq(parse_n(text, len, &io), 0);
	ck_assert_uint_eq(io.count, util_count_lines(text, len));
	ck_assert(!io.addresses_hidden);
	check_against_text(&io, text);

	/* top-level resources: the lines without indent */
	for (p = text; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (*p && *p != ' ')
			lines_top++;
	}
	for (i = 0; i < io.count; i++) {
		const struct iomem_resource *r = &io.res[i];

		if (r->depth == 0) {
			ck_assert_int_eq(r->parent, -1);
			top++;
		} else {
			/* the kernel's tree: a child lies inside its parent */
			ck_assert_int_lt(r->parent, (long)i);
			ck_assert_int_eq(io.res[r->parent].depth, r->depth - 1);
			ck_assert_uint_ge(r->start, io.res[r->parent].start);
			ck_assert_uint_le(r->end, io.res[r->parent].end);
		}
		ck_assert_uint_le(r->start, r->end);
		/* any resource's first byte leads to it or to a descendant */
		found = iomem_find(&io, r->start);
		ck_assert_msg(is_within(&io, found, (long)i), "%s at 0x%" PRIx64 ": found %ld",
			      r->name, r->start, found);
	}
	ck_assert_uint_eq(top, lines_top);
	ck_assert_uint_eq(top, 9);

	/* Kernel code sits in the System RAM at 00100000-bfffffff */
	code = find_name(&io, "Kernel code", 0);
	ck_assert_int_ge(code, 0);
	kc = &io.res[code];
	ck_assert_int_eq(kc->depth, 1);
	ram = kc->parent;
	ck_assert_int_ge(ram, 0);
	ck_assert_str_eq(io.res[ram].name, "System RAM");
	ck_assert_int_eq(io.res[ram].depth, 0);
	ck_assert_uint_eq(io.res[ram].start, 0x00100000);
	ck_assert_uint_eq(io.res[ram].end, 0xbfffffff);
	ck_assert_uint_eq(kc->start, 0x01000000);
	ck_assert_uint_eq(kc->end, 0x02209987);
	ck_assert_int_eq(iomem_find(&io, kc->start), code);
	ck_assert_int_eq(iomem_find(&io, kc->end), code);
	ck_assert_int_eq(iomem_find(&io, 0x01234567), code);
	/* just past Kernel code: the System RAM itself */
	ck_assert_int_eq(iomem_find(&io, kc->end + 1), ram);
	ck_assert_int_eq(find_name(&io, "Kernel rodata", 0), code + 1);
	ck_assert_int_eq(io.res[code + 1].parent, ram);

	/* names with colons and brackets stay whole */
	ck_assert_int_ge(find_name(&io, "PCI ECAM 0000 [bus 00-00]", 0), 0);
	found = iomem_find(&io, 0xeec00000);
	ck_assert_str_eq(io.res[found].name, "PCI Bus 0000:00");
	ck_assert_int_eq(io.res[found].depth, 2);
	/* 64-bit bars */
	found = iomem_find(&io, 0x4000100010ULL);
	ck_assert_str_eq(io.res[found].name, "virtio-pci-modern");
	ck_assert_str_eq(io.res[io.res[found].parent].name, "0000:00:03.0");
	/* holes */
	ck_assert_int_eq(iomem_find(&io, 0xc0000000), -1);
	ck_assert_int_eq(iomem_find(&io, 0x800000000000ULL), -1);
	ck_assert_int_eq(iomem_find(&io, UINT64_MAX), -1);

	ck_assert_uint_eq(iomem_system_ram_bytes(&io),
			  (0x9fbffULL - 0x1000 + 1) + (0xbfffffffULL - 0x100000 + 1) +
			  (0x63fffffffULL - 0x100000000ULL + 1));
	iomem_release(&io);
	ck_assert_ptr_null(io.res);
	ck_assert_uint_eq(io.count, 0);
	iomem_release(&io);	/* twice is harmless */
	free(text);
}
END_TEST

START_TEST(test_unprivileged_capture)
{
	struct iomem root, user;
	size_t i;
	long code;

	ck_assert_int_eq(parse_fixture(MACHINE "/root/proc/iomem", &root), 0);
	ck_assert_int_eq(parse_fixture(MACHINE "/user/proc/iomem", &user), 0);
	ck_assert(user.addresses_hidden);
	ck_assert(!root.addresses_hidden);
	/* the same tree and names, no addresses */
	ck_assert_uint_eq(user.count, root.count);
	for (i = 0; i < user.count; i++) {
		ck_assert_uint_eq(user.res[i].start, 0);
		ck_assert_uint_eq(user.res[i].end, 0);
		ck_assert_int_eq(user.res[i].depth, root.res[i].depth);
		ck_assert_int_eq(user.res[i].parent, root.res[i].parent);
		ck_assert_str_eq(user.res[i].name, root.res[i].name);
	}
	code = find_name(&user, "Kernel code", 0);
	ck_assert_int_ge(code, 0);
	ck_assert_str_eq(user.res[user.res[code].parent].name, "System RAM");
	/* hidden addresses answer nothing, not the 0-0 ranges */
	ck_assert_int_eq(iomem_find(&user, 0), -1);
	ck_assert_int_eq(iomem_find(&user, 0x01000000), -1);
	ck_assert_int_eq(iomem_system_ram_bytes(&user), 0);
	iomem_release(&user);
	iomem_release(&root);
}
END_TEST

START_TEST(test_read_sysroot)
{
	struct proc_source src;
	struct iomem io, direct;
	char tmpl[] = "/tmp/check_iomem.XXXXXX";
	char path[128];
	size_t i;

	ck_assert_int_eq(proc_source_init(&src, MACHINE "/root"), 0);
	ck_assert_int_eq(iomem_read(&src, &io), 0);
	proc_source_release(&src);
	ck_assert_int_eq(parse_fixture(MACHINE "/root/proc/iomem", &direct), 0);
	ck_assert_uint_eq(io.count, direct.count);
	for (i = 0; i < io.count; i++) {
		ck_assert_uint_eq(io.res[i].start, direct.res[i].start);
		ck_assert_uint_eq(io.res[i].end, direct.res[i].end);
		ck_assert_str_eq(io.res[i].name, direct.res[i].name);
	}
	iomem_release(&io);
	iomem_release(&direct);

	ck_assert_int_eq(proc_source_init(&src, MACHINE "/user"), 0);
	ck_assert_int_eq(iomem_read(&src, &io), 0);
	ck_assert(io.addresses_hidden);
	iomem_release(&io);
	proc_source_release(&src);

	/* a sysroot without the file */
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/proc", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(proc_source_init(&src, tmpl), 0);
	ck_assert_int_eq(iomem_read(&src, &io), -ENOENT);
	ck_assert_uint_eq(io.count, 0);
	ck_assert_ptr_null(io.res);
	iomem_release(&io);
	proc_source_release(&src);
	rmdir(path);
	rmdir(tmpl);
}
END_TEST

START_TEST(test_deep_nesting)
{
	struct iomem io;
	long efifb, amdgpu, dev, nvme, mmcfg, pnp, hpet, bus0;
	size_t i, len;
	char *text = util_read_file(MACHINE "/iomem-deep", &len);
	int maxdepth = 0;

	ck_assert_int_eq(parse_n(text, len, &io), 0);
	check_against_text(&io, text);
	free(text);
	for (i = 0; i < io.count; i++)
		if (io.res[i].depth > maxdepth)
			maxdepth = io.res[i].depth;
	ck_assert_int_eq(maxdepth, 5);

	efifb = find_name(&io, "efifb", 0);
	amdgpu = find_name(&io, "amdgpu", 0);
	dev = find_name(&io, "0000:03:00.0", 0);
	ck_assert_int_eq(io.res[efifb].depth, 5);
	ck_assert_int_eq(io.res[amdgpu].depth, 5);
	/* siblings at the deepest level share their parent */
	ck_assert_int_eq(io.res[efifb].parent, dev);
	ck_assert_int_eq(io.res[amdgpu].parent, dev);
	ck_assert_str_eq(io.res[io.res[dev].parent].name, "PCI Bus 0000:03");
	/* the parent chain up to the top */
	{
		static const char *const chain[] = {
			"efifb", "0000:03:00.0", "PCI Bus 0000:03", "PCI Bus 0000:02",
			"PCI Bus 0000:01", "PCI Bus 0000:00",
		};
		long r = efifb;

		for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
			ck_assert_int_ge(r, 0);
			ck_assert_str_eq(io.res[r].name, chain[i]);
			ck_assert_int_eq(io.res[r].depth, 5 - (int)i);
			r = io.res[r].parent;
		}
		ck_assert_int_eq(r, -1);
	}
	/* back from depth 5 to depth 3: a sibling of PCI Bus 0000:03 */
	nvme = find_name(&io, "nvme", 0);
	ck_assert_str_eq(io.res[io.res[io.res[nvme].parent].parent].name, "PCI Bus 0000:04");
	ck_assert_int_eq(io.res[find_name(&io, "PCI Bus 0000:04", 0)].parent,
			 find_name(&io, "PCI Bus 0000:02", 0));
	/* back from depth 5 to depth 1 */
	mmcfg = find_name(&io, "PCI MMCONFIG 0000 [bus 00-ff]", 0);
	bus0 = find_name(&io, "PCI Bus 0000:00", 3);
	ck_assert_uint_eq(io.res[bus0].start, 0x80000000);
	ck_assert_int_eq(io.res[mmcfg].parent, bus0);
	pnp = find_name(&io, "pnp 00:00", 0);
	ck_assert_int_eq(io.res[pnp].depth, 3);
	/* back from depth 3 to depth 0, then 1 */
	hpet = find_name(&io, "HPET 0", 0);
	ck_assert_int_eq(io.res[hpet].parent, -1);
	ck_assert_int_eq(io.res[find_name(&io, "PNP0103:00", 0)].parent, hpet);

	/* lookups go down to the deepest resource */
	ck_assert_int_eq(iomem_find(&io, 0xc0000000), efifb);
	ck_assert_int_eq(iomem_find(&io, 0xc0ffffff), efifb);
	ck_assert_int_eq(iomem_find(&io, 0xc1000000), amdgpu);
	ck_assert_int_eq(iomem_find(&io, 0xc2000000), dev);
	ck_assert_int_eq(iomem_find(&io, 0xd0000010), nvme);
	ck_assert_int_eq(iomem_find(&io, 0xd0010000), find_name(&io, "PCI Bus 0000:04", 0));
	ck_assert_int_eq(iomem_find(&io, 0xd0200000), bus0);
	ck_assert_int_eq(iomem_find(&io, 0xe8000000), pnp);
	ck_assert_int_eq(iomem_find(&io, 0xf0000000), bus0);
	ck_assert_int_eq(iomem_find(&io, 0xfec00000), -1);
	ck_assert_int_eq(iomem_find(&io, 0x41f37ffffULL), (long)io.count - 1);
	ck_assert_int_eq(iomem_find(&io, 0x41f380000ULL), -1);
	iomem_release(&io);
}
END_TEST

START_TEST(test_32bit)
{
	struct iomem io;
	long last;

	ck_assert_int_eq(parse_fixture(MACHINE "/iomem-32bit", &io), 0);
	ck_assert_uint_eq(io.count, 18);
	ck_assert(!io.addresses_hidden);
	last = (long)io.count - 1;
	ck_assert_uint_eq(io.res[last].start, 0xfffc0000);
	ck_assert_uint_eq(io.res[last].end, 0xffffffff);
	ck_assert_int_eq(iomem_find(&io, 0xffffffff), last);
	ck_assert_int_eq(iomem_find(&io, 0x100000000ULL), -1);
	ck_assert_str_eq(io.res[iomem_find(&io, 0x01000000)].name, "Kernel code");
	ck_assert_str_eq(io.res[iomem_find(&io, 0xfee00000)].name, "Reserved");
	ck_assert_int_eq(io.res[iomem_find(&io, 0xfee00000)].depth, 1);
	ck_assert_uint_eq(iomem_system_ram_bytes(&io),
			  (0x9fbffULL - 0x1000 + 1) + (0x3ffdffffULL - 0x100000 + 1));
	iomem_release(&io);
}
END_TEST

START_TEST(test_line_forms)
{
	struct iomem io;

	/* nothing at all */
	ck_assert_int_eq(parse("", &io), 0);
	ck_assert_uint_eq(io.count, 0);
	ck_assert(!io.addresses_hidden);
	ck_assert_int_eq(iomem_find(&io, 0), -1);
	ck_assert_uint_eq(iomem_system_ram_bytes(&io), 0);
	iomem_release(&io);

	/* a last line without newline; an empty name; " : " inside a name;
	 * 16 digits; upper case; a start above the end */
	ck_assert_int_eq(parse("0000-ffffffffffffffff : all : of it\n"
			       "  00001000-00001fff : \n"
			       "  00002000-00002FFF : upper\n"
			       "  00004000-00003fff : empty\n"
			       "  fffffffffffff000-ffffffffffffffff : top", &io), 0);
	ck_assert_uint_eq(io.count, 5);
	ck_assert_str_eq(io.res[0].name, "all : of it");
	ck_assert_uint_eq(io.res[0].end, UINT64_MAX);
	ck_assert_str_eq(io.res[1].name, "");
	ck_assert_uint_eq(io.res[2].end, 0x2fff);
	ck_assert_str_eq(io.res[4].name, "top");
	ck_assert_int_eq(io.res[4].parent, 0);
	ck_assert_int_eq(iomem_find(&io, UINT64_MAX), 4);
	ck_assert_int_eq(iomem_find(&io, 0x3fff), 0);	/* not in the inverted one */
	ck_assert_int_eq(iomem_find(&io, 0x1000), 1);
	iomem_release(&io);

	/* System RAM: top level only, exact name, saturating */
	ck_assert_int_eq(parse("00000000-ffffffffffffffff : System RAM\n"
			       "  00000000-00000fff : System RAM\n"
			       "00000000-00000fff : System RAM\n", &io), 0);
	ck_assert_uint_eq(iomem_system_ram_bytes(&io), UINT64_MAX);
	iomem_release(&io);
	ck_assert_int_eq(parse("00001000-00001fff : System RAM\n"
			       "  00001000-00001fff : System RAM\n"
			       "00002000-00002fff : System RAM (x)\n"
			       "00003000-00003fff : system ram\n"
			       "00004000-00003fff : System RAM\n"
			       "00010000-0001ffff : System RAM", &io), 0);
	ck_assert_uint_eq(iomem_system_ram_bytes(&io), 0x1000 + 0x10000);
	iomem_release(&io);

	/* one real 0-0 range among others does not hide anything */
	ck_assert_int_eq(parse("00000000-00000000 : a\n00001000-00001fff : b\n", &io), 0);
	ck_assert(!io.addresses_hidden);
	ck_assert_int_eq(iomem_find(&io, 0), 0);
	iomem_release(&io);
	ck_assert_int_eq(parse("00000000-00000000 : a\n  00000000-00000000 : b", &io), 0);
	ck_assert(io.addresses_hidden);
	ck_assert_int_eq(io.res[1].parent, 0);
	iomem_release(&io);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"00100000-bfffffff System RAM\n",		/* no " : " */
		"00100000-bfffffff: System RAM\n",
		"00100000-bfffffff :System RAM\n",
		"00100000-bfffffff  : System RAM\n",
		"00100000 bfffffff : System RAM\n",		/* no '-' */
		"00100000-: System RAM\n",			/* no end */
		"-bfffffff : System RAM\n",			/* no start */
		"0x100000-bfffffff : System RAM\n",
		"00100000-bfffffffg : System RAM\n",
		"00000000000000000-00000000000000001 : x\n",	/* 17 digits */
		"10000000000000000-1ffffffffffffffff : x\n",
		"  00100000-bfffffff : System RAM\n",		/* first line indented */
		"00100000-bfffffff : System RAM\n"
		"    01000000-02209987 : Kernel code\n",	/* two levels at once */
		"00100000-bfffffff : System RAM\n"
		"   01000000-02209987 : Kernel code\n",		/* odd indent */
		"00100000-bfffffff : System RAM\n"
		"\t01000000-02209987 : Kernel code\n",		/* tab */
		"00000000-00000fff : Reserved\n\n00001000-0009fbff : System RAM\n",
		"00000000-00000fff : Reserved\n\n",		/* empty last line */
		"\n",
		" ",
		"x",
		"00000000-00000fff : Reserved\n00001000-0009fbff",
	};
	struct iomem io;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		io.count = 99;
		ck_assert_msg(parse(bad[i], &io) == -EINVAL, "accepted: \"%s\"", bad[i]);
		ck_assert_uint_eq(io.count, 0);
		ck_assert_ptr_null(io.res);
		ck_assert_ptr_null(io.names);
		iomem_release(&io);
	}
	/* a NUL inside a name would cut it short */
	ck_assert_int_eq(parse_n("00000000-00000fff : Res\0erved\n", 31, &io), -EINVAL);
	ck_assert_ptr_null(io.res);
	ck_assert_int_eq(parse_n("00000000-00000fff : Reserved\n\0", 30, &io), -EINVAL);
	ck_assert_int_eq(parse_fixture(MACHINE "/iomem-no-separator", &io), -EINVAL);
	ck_assert_int_eq(parse_fixture(MACHINE "/iomem-truncated", &io), -EINVAL);
}
END_TEST

/* Nothing at or past len is read: a cut inside a number must not take the
 * digits and " : " that follow it in memory. */
START_TEST(test_bounded_len)
{
	static const char text[] =
		"00000000-00000fff : Reserved\n"
		"00100000-bfffffff : System RAM\n"
		"  01000000-02209987 : Kernel code\n";
	const char *second = strstr(text, "00100000");
	const char *code = strstr(text, "  01000000");
	size_t cut;
	struct iomem io;

	/* cut inside the end address of the second line */
	cut = (size_t)(second - text) + strlen("00100000-bfff");
	ck_assert_int_eq(iomem_parse(text, cut, &io), -EINVAL);
	ck_assert_int_eq(parse_n(text, cut, &io), -EINVAL);
	/* inside the start address of the third */
	cut = (size_t)(code - text) + strlen("  010000");
	ck_assert_int_eq(parse_n(text, cut, &io), -EINVAL);
	/* inside a name: the name ends at len */
	cut = (size_t)(code - text) + strlen("  01000000-02209987 : Kern");
	ck_assert_int_eq(parse_n(text, cut, &io), 0);
	ck_assert_uint_eq(io.count, 3);
	ck_assert_str_eq(io.res[2].name, "Kern");
	ck_assert_int_eq(io.res[2].parent, 1);
	iomem_release(&io);
	/* just before the separator's last byte */
	cut = (size_t)(code - text) + strlen("  01000000-02209987 :");
	ck_assert_int_eq(parse_n(text, cut, &io), -EINVAL);
	cut = (size_t)(code - text) + strlen("  01000000-02209987 : ");
	ck_assert_int_eq(parse_n(text, cut, &io), 0);
	ck_assert_str_eq(io.res[2].name, "");
	iomem_release(&io);

	/* every cut of the real capture: a clean answer, and the lines
	 * before the cut as in the whole file */
	{
		size_t flen;
		char *file = util_read_file(MACHINE "/root/proc/iomem", &flen);
		struct iomem whole;

		ck_assert_int_eq(parse_n(file, flen, &whole), 0);
		for (cut = 0; cut <= flen; cut++) {
			int rc = parse_n(file, cut, &io);
			size_t i;

			ck_assert(rc == 0 || rc == -EINVAL);
			if (rc)
				continue;
			ck_assert_uint_eq(io.count, util_count_lines(file, cut));
			for (i = 0; i + 1 < io.count; i++) {
				ck_assert_uint_eq(io.res[i].start, whole.res[i].start);
				ck_assert_uint_eq(io.res[i].end, whole.res[i].end);
				ck_assert_int_eq(io.res[i].parent, whole.res[i].parent);
				ck_assert_str_eq(io.res[i].name, whole.res[i].name);
			}
			iomem_release(&io);
		}
		iomem_release(&whole);
		free(file);
	}
}
END_TEST

static Suite *iomem_suite(void)
{
	Suite *s = suite_create("iomem");
	TCase *tc = tcase_create("captures");

	tcase_add_test(tc, test_root_capture);
	tcase_add_test(tc, test_unprivileged_capture);
	tcase_add_test(tc, test_read_sysroot);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_32bit);
	tcase_add_test(tc, test_line_forms);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_bounded_len);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(iomem_suite());
}
