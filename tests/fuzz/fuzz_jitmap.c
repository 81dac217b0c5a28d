/* Fuzz perf-PID.map files: the input's first byte says where to cut the
 * rest; the part before the cut is read, the rest appended and read
 * again (the incremental path), then addresses are looked up. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "jitmap.h"
#include "symtab.h"

/* Read data as a perf map written in two goes. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jitmap *j;
	const char *path;
	size_t cut;
	uint64_t a;

	if (size < 1)
		return 0;
	cut = (size - 1) * data[0] / 255;
	path = fuzz_file("perf-1.map", data + 1, cut);
	j = jitmap_new_file(path, geteuid());
	jitmap_refresh(j, 0);
	fuzz_append(data + 1 + cut, size - 1 - cut);
	jitmap_refresh(j, 1);
	/* Addresses taken from the input itself, and their neighbours. */
	for (size_t i = 1; i + 8 <= size; i += 8) {
		memcpy(&a, data + i, 8);
		jitmap_lookup(j, a);
		jitmap_lookup(j, a - 1);
	}
	for (a = 0; a < 0x100000; a += 0x1000)
		jitmap_lookup(j, a);
	jitmap_nlines(j);
	jitmap_nbad(j);
	jitmap_nfuncs(j);
	jitmap_free(j);
	return 0;
}
