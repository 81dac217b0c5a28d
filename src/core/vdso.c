/* The vdso's ELF image, read from a process or from our own memory. */
#include "config.h"

#include <sys/auxv.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vdso.h"
#include "xmalloc.h"

/* Read len bytes at addr in process pid: process_vm_readv, else /proc/PID/mem. */
static bool
vdso_read_memory(pid_t pid, uint64_t addr, unsigned char *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	size_t done = 0;
	char path[64];
	ssize_t n;
	int fd;

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return true;
	snprintf(path, sizeof path, "/proc/%ld/mem", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	while (done < len) {
		n = pread(fd, buf + done, len - done, (off_t)(addr + done));
		if (n <= 0 && !(n == -1 && errno == EINTR))
			break;
		if (n > 0)
			done += (size_t)n;
	}
	close(fd);
	return done == len;
}

/* Read process pid's vdso. */
bool
vdso_read(pid_t pid, uint64_t start, uint64_t end, unsigned char **img,
    size_t *len)
{
	unsigned char *buf;
	size_t n;

	if (pid <= 0 || end <= start || end - start > VDSO_MAX)
		return false;
	n = (size_t)(end - start);
	buf = xmalloc(n);
	if (!vdso_read_memory(pid, start, buf, n)) {
		free(buf);
		return false;
	}
	*img = buf;
	*len = n;
	return true;
}

/* The size of an ELF image in memory, from its headers; 0 if not ELF. */
static size_t
vdso_image_size(const unsigned char *p)
{
#if UINTPTR_MAX > 0xffffffffUL
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p;
	const Elf64_Phdr *ph;
	const unsigned char cls = ELFCLASS64;
#else
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)p;
	const Elf32_Phdr *ph;
	const unsigned char cls = ELFCLASS32;
#endif
	uint64_t size, end;
	size_t i;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != cls ||
	    eh->e_phentsize != sizeof *ph)
		return 0;
	size = (uint64_t)eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	ph = (const void *)(p + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		end = (uint64_t)ph[i].p_offset + ph[i].p_filesz;
		if (end > size)
			size = end;
	}
	if (size > VDSO_MAX)
		return 0;
	return (size_t)size;
}

/* A copy of our own vdso image. */
bool
vdso_own(unsigned char **img, size_t *len)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	size_t size;

	if (base == 0 || (size = vdso_image_size((const void *)base)) == 0)
		return false;
	*img = xmalloc(size);
	memcpy(*img, (const void *)base, size);
	*len = size;
	return true;
}
