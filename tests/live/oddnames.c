/* oddnames.c: a process whose every name is made of control characters,
 * for the tests that no view passes them to a terminal (tests/live/
 * escapes.sh, tests/tui/escapes.sh).
 *
 * Usage: oddnames READY_FILE DIR
 *
 * It runs again from a copy of itself in DIR whose file name holds control
 * characters (the executable's path), names itself and a thread with
 * them (prctl(PR_SET_NAME), pthread_setname_np()), names an anonymous
 * mapping (PR_SET_VMA_ANON_NAME: the kernel refuses control characters
 * there, so what it accepts is tried next: bytes that are not UTF-8), and
 * maps two files of DIR whose names hold them too: a small ELF image whose
 * section and symbol have such names, and a file that is not ELF, mapped
 * executable, which vmmap warns about (naming it). Then it writes what it
 * did to READY_FILE (through a rename) as KEY=VALUE lines and sleeps in
 * pause() until killed:
 *   elf=ADDR        an address inside the odd section and symbol (hex)
 *   anon=WHAT       "control", "high" (bytes above 127 only) or "refused"
 *   exe=WHAT        "odd" or "plain" (the copy could not be run)
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif
#ifndef PR_SET_VMA_ANON_NAME
#define PR_SET_VMA_ANON_NAME 0
#endif

/* ESC, BEL, an OSC that sets the terminal's title, a clear screen, CSI as
 * one byte (0x9b) and as UTF-8 (U+009B), NEL (U+0085), DEL, CR, LF, TAB,
 * BS and a byte that is never UTF-8. */
#define ODD "\x1b]0;PWN\x07\x1b[2J\x9b" "1m\xc2\x9b" "2J\xc2\x85\x7f\r\n\t\b\xff"
/* 15 bytes each: what comm holds */
#define ODD_COMM "\x1b]0;PWN\x07\x1b[2J\x9b\x7f\n"
#define ODD_THREAD "\x1b]0;PWN\x07\r\t\b\xff\xc2\x9b"
/* what PR_SET_VMA_ANON_NAME accepts: printable bytes, some above 127 */
#define HIGH_ANON "odd \xff\xfe\xa0 name"

enum { PAGE = 4096 };

static void die(const char *what)
{
	fprintf(stderr, "oddnames: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Run again from DIR/exe<ODD>, a copy of this program. Returns only when
 * that cannot be done. */
static void reexec(char **argv)
{
	char path[PATH_MAX], buf[65536];
	char *args[] = { argv[0], argv[1], argv[2], (char *)"again", NULL };
	int in, out;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/exe%s", argv[2], ODD);
	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (in < 0 || out < 0)
		return;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return;
	close(in);
	if (close(out) || n < 0)
		return;
	execv(path, args);
}

static void *thread_main(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void put(char *file, size_t at, const void *data, size_t len)
{
	memcpy(file + at, data, len);
}

/* A one-page ELF file: one PT_LOAD of the whole page, a code section named
 * ODD at 0x100 and a function named ODD over it. */
static void write_elf(const char *path)
{
	static char file[PAGE];
	static const char shstr[] = "\0.symtab\0.strtab\0.shstrtab\0" ODD;
	static const char str[] = "\0" ODD;
	enum { TEXT = 0x100, SYMTAB = 0x200, STRTAB = 0x240, SHSTRTAB = 0x300, SHDRS = 0x400 };
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
			     EV_CURRENT },
		.e_type = ET_DYN,
#if defined(__x86_64__)
		.e_machine = EM_X86_64,
#elif defined(__aarch64__)
		.e_machine = EM_AARCH64,
#endif
		.e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_shoff = SHDRS,
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 1,
		.e_shentsize = sizeof(Elf64_Shdr),
		.e_shnum = 5,
		.e_shstrndx = 4,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0,
		.p_paddr = 0, .p_filesz = PAGE, .p_memsz = PAGE, .p_align = PAGE,
	};
	Elf64_Sym sym[2] = {
		{ 0 },
		{ .st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
		  .st_shndx = 1, .st_value = TEXT, .st_size = 0x100 },
	};
	Elf64_Shdr sh[5] = {
		{ 0 },
		{ .sh_name = 27, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
		  .sh_addr = TEXT, .sh_offset = TEXT, .sh_size = 0x100, .sh_addralign = 16 },
		{ .sh_name = 1, .sh_type = SHT_SYMTAB, .sh_offset = SYMTAB,
		  .sh_size = sizeof(sym), .sh_link = 3, .sh_info = 1, .sh_addralign = 8,
		  .sh_entsize = sizeof(Elf64_Sym) },
		{ .sh_name = 9, .sh_type = SHT_STRTAB, .sh_offset = STRTAB,
		  .sh_size = sizeof(str), .sh_addralign = 1 },
		{ .sh_name = 17, .sh_type = SHT_STRTAB, .sh_offset = SHSTRTAB,
		  .sh_size = sizeof(shstr), .sh_addralign = 1 },
	};
	int fd;

	put(file, 0, &eh, sizeof(eh));
	put(file, sizeof(eh), &ph, sizeof(ph));
	memset(file + TEXT, 0xc3, 0x100);
	put(file, SYMTAB, sym, sizeof(sym));
	put(file, STRTAB, str, sizeof(str));
	put(file, SHSTRTAB, shstr, sizeof(shstr));
	put(file, SHDRS, sh, sizeof(sh));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("create the ELF file");
	if (write(fd, file, sizeof(file)) != (ssize_t)sizeof(file) || close(fd))
		die("write the ELF file");
}

/* Map path privately, readable and executable (readable only where the
 * file system forbids executing). */
static char *map_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;

	if (fd < 0)
		die("open a file to map");
	p = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap a file");
	close(fd);
	return p;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	const char *anon = "refused";
	pthread_t th;
	char *elf, *junk;
	void *a;
	FILE *f;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: oddnames READY_FILE DIR\n");
		return 2;
	}
	if (argc == 3)
		reexec(argv);

	if (prctl(PR_SET_NAME, ODD_COMM, 0, 0, 0))
		die("PR_SET_NAME");
	if (pthread_create(&th, NULL, thread_main, NULL))
		die("pthread_create");
	errno = pthread_setname_np(th, ODD_THREAD);
	if (errno)
		die("pthread_setname_np");

	/* two pages, so the name is on a region of its own */
	a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		die("mmap anonymous");
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)a, 2 * PAGE,
		  (unsigned long)ODD) == 0)
		anon = "control";
	else if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)a, 2 * PAGE,
		       (unsigned long)HIGH_ANON) == 0)
		anon = "high";

	snprintf(path, sizeof(path), "%s/elf%s.so", argv[2], ODD);
	write_elf(path);
	elf = map_file(path);

	snprintf(path, sizeof(path), "%s/junk%s", argv[2], ODD);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, PAGE) || close(fd))
		die("create the file that is not ELF");
	junk = map_file(path);
	(void)junk;

	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	f = fopen(tmp, "w");
	if (!f)
		die("create the ready file");
	fprintf(f, "elf=%lx\nanon=%s\nexe=%s\n", (unsigned long)(elf + 0x180), anon,
		argc > 3 ? "odd" : "plain");
	if (fclose(f) || rename(tmp, argv[1]))
		die("write the ready file");
	for (;;)
		pause();
}
