/*
 * What every fuzz harness shares: the libFuzzer entry point each one
 * defines, and a private temporary file for the parsers that read a
 * path (the perf map reader, the ELF symbol loader). Each harness runs
 * under libFuzzer (--enable-fuzzing) or under driver.c, which runs the
 * files of its checked-in corpus once each (make check).
 */
#ifndef RS_FUZZ_H
#define RS_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char fuzz_path[96];

/* Remove the temporary file and its directory (at exit). */
static inline void
fuzz_cleanup(void)
{
	if (fuzz_path[0] != '\0')
		unlink(fuzz_path);
	if (fuzz_dir[0] != '\0')
		rmdir(fuzz_dir);
}

/* Write size bytes of data to fd and close it; exits if it cannot (the
 * harness cannot run at all). */
static inline void
fuzz_write(int fd, const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;

	if (fd == -1) {
		perror(fuzz_path);
		exit(1);
	}
	while (off < size) {
		n = write(fd, data + off, size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror(fuzz_path);
			exit(1);
		}
		off += (size_t)n;
	}
	close(fd);
}

/* Write data to the harness's private file named name (created in a
 * directory of its own on first use) and return its path; exits if
 * it cannot (the harness cannot run at all). */
static inline const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	int fd;

	if (fuzz_dir[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(fuzz_dir, sizeof fuzz_dir, "%s/rrfuzz-XXXXXX",
		    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
		if (mkdtemp(fuzz_dir) == NULL) {
			perror(fuzz_dir);
			exit(1);
		}
		snprintf(fuzz_path, sizeof fuzz_path, "%s/%s", fuzz_dir, name);
		atexit(fuzz_cleanup);
	}
	/* A new file each time: nothing that kept the old one open or
	 * mapped sees it change. */
	unlink(fuzz_path);
	fd = open(fuzz_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	fuzz_write(fd, data, size);
	return fuzz_path;
}

/* Append data to the file fuzz_file made last. */
static inline void
fuzz_append(const uint8_t *data, size_t size)
{
	fuzz_write(open(fuzz_path, O_WRONLY | O_APPEND | O_CLOEXEC), data, size);
}

#endif
