/*
 * Binary search in arrays of structs sorted by a 64-bit key field: one
 * search for every table of the core (mappings, symbols, unwind-table
 * functions, JIT code, relocations, DWARF ranges, instructions), inline so
 * that the hot lookups pay no call.
 */
#ifndef RS_SORTED_H
#define RS_SORTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The key of element i (size bytes each) of base, at byte off. */
static inline uint64_t
sorted_key(const void *base, size_t size, size_t off, size_t i)
{
	uint64_t k;

	memcpy(&k, (const char *)base + i * size + off, sizeof k);
	return k;
}

/*
 * Binary search: the index of the first element whose key is above key
 * (upper: how many have a key at or below it), or at or above key (not
 * upper: how many have a key below it); n if none.
 */
static inline size_t
sorted_find(const void *base, size_t n, size_t size, size_t off,
    uint64_t key, bool upper)
{
	size_t lo = 0, hi = n, mid;
	uint64_t k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = sorted_key(base, size, off, mid);
		if (k < key || (upper && k == key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* qsort's comparison for structs whose first member is their uint64_t key. */
static inline int
sorted_cmp_first(const void *a, const void *b)
{
	uint64_t x = sorted_key(a, 0, 0, 0), y = sorted_key(b, 0, 0, 0);

	return (x > y) - (x < y);
}

/* The same over an array v of n structs by their field f (uint64_t). */
#define SORTED_UPPER(v, n, f, key) sorted_find((v), (n), sizeof *(v), \
	offsetof(__typeof__(*(v)), f), (key), true)
#define SORTED_LOWER(v, n, f, key) sorted_find((v), (n), sizeof *(v), \
	offsetof(__typeof__(*(v)), f), (key), false)

#endif
