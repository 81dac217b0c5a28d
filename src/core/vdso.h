/*
 * The vdso's ELF image: read from a process's memory (the whole image is
 * in its [vdso] mapping), or this process's own, found through the
 * auxiliary vector.
 */
#ifndef RS_VDSO_H
#define RS_VDSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VDSO_MAX	(1U << 20)	/* bytes of an image, at most */

/* Read process pid's vdso mapped at [start, end) into *img (allocated,
 * caller frees) and *len: true, else false (unreadable or too large). */
bool vdso_read(pid_t pid, uint64_t start, uint64_t end, unsigned char **img,
    size_t *len);

/* A copy of this process's own vdso image: true, else false (none). */
bool vdso_own(unsigned char **img, size_t *len);

#endif
