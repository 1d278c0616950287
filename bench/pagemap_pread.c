/* pagemap_pread.c: the --pages reference. Reads the pagemap entries of
 * every mapping of PID (as /proc/PID/maps lists them, [vsyscall] aside)
 * with plain pread() in batches of 4096 entries, and counts the present
 * ones: what any tool must at least do to learn each page's state.
 *
 *   pagemap_pread PID
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	enum { BATCH = 4096 };
	static uint64_t buf[BATCH];
	char path[64], line[4096];
	uint64_t present = 0, pages = 0;
	long ps = sysconf(_SC_PAGESIZE);
	FILE *maps;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: pagemap_pread PID\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/pagemap", argv[1]);
	fd = open(path, O_RDONLY);
	if (!maps || fd < 0) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), maps)) {
		uint64_t start, end;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &start, &end) != 2 ||
		    strstr(line, "[vsyscall]"))
			continue;
		for (uint64_t a = start; a < end;) {
			uint64_t n = (end - a) / (uint64_t)ps;
			ssize_t got;

			if (n > BATCH)
				n = BATCH;
			got = pread(fd, buf, n * 8, (off_t)(a / (uint64_t)ps * 8));
			if (got <= 0)
				break;
			for (ssize_t i = 0; i < got / 8; i++)
				present += buf[i] >> 63;
			pages += (uint64_t)got / 8;
			a += (uint64_t)got / 8 * (uint64_t)ps;
		}
	}
	printf("%" PRIu64 " of %" PRIu64 " pages present\n", present, pages);
	return 0;
}
