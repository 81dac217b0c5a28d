/*
 * Eviction of what is cold, shared by the tables with a budget (agg.c's
 * addresses, stacks.c's nodes): each entry has an age (ticks since it
 * was last counted); the oldest go first.
 */
#ifndef RS_EVICT_H
#define RS_EVICT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Larger first. */
static inline int
evict_age_cmp(const void *x, const void *y)
{
	uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;

	return p < q ? 1 : p > q ? -1 : 0;
}

/*
 * The age from which entries go, given the ages[0..n) of those that may
 * (each at least min_age; the array is reordered), so that at least need
 * of them go, the oldest first (ties go together); 0 where none may.
 */
static inline uint32_t
evict_age(uint32_t *ages, size_t n, size_t need, uint32_t min_age)
{
	if (n == 0 || need == 0)
		return 0;
	if (n <= need)
		return min_age;
	qsort(ages, n, sizeof *ages, evict_age_cmp);
	return ages[need - 1];
}

#endif
