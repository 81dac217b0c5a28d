/* Fuzz /proc/PID/maps text: maps_parse, then lookups at every mapping's
 * edges and each mapping inserted again as MMAP records insert them. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "maps.h"

/* Parse data as a maps file and use the result. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct maps m = { 0 }, again = { 0 };
	size_t bad = 0;

	maps_parse(&m, (const char *)data, size, &bad);
	for (size_t i = 0; i < m.n; i++) {
		const struct map *one = &m.v[i];

		if (maps_find(&m, one->start) != one)
			__builtin_trap();	/* sorted, non-overlapping, found */
		maps_find(&m, one->end - 1);
		maps_find(&m, one->end);
		/* In reverse order, so that later ones cut earlier ones. */
		maps_insert(&again, &m.v[m.n - 1 - i]);
	}
	for (size_t i = 0; i + 1 < again.n; i++)
		if (again.v[i].end > again.v[i + 1].start)
			__builtin_trap();	/* inserts keep the order */
	maps_clear(&again);
	maps_clear(&m);
	return 0;
}
