/* Fuzz ELF files through the symbol loader: the input written to a file
 * and registered as a binary (binary_for_path), whose first lookup reads
 * its .symtab, else its .gnu_debuglink's debug file, else its .dynsym,
 * its PLT stubs through the PLT relocations, its build-id note and the
 * bounds of its unwind tables; then every function and the ends of the
 * unwind-table functions (read lazily) are looked up. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "binary.h"
#include "fuzz.h"
#include "symtab.h"

/* Load data as an ELF binary and look up its functions. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct binary_cache *c = binary_cache_new();
	const struct symtab_func *f;
	struct binary *b;
	uint64_t vaddr;
	size_t n, len;

	b = binary_for_path(c, fuzz_file("bin.so", data, size));
	binary_build_id(b, &len);
	n = binary_nfuncs(b);
	for (size_t i = 0; i < n && i < 4096; i++) {
		if ((f = binary_func_at(b, i)) == NULL)
			__builtin_trap();	/* every index below n has one */
		binary_lookup(b, f->start);
		binary_lookup(b, f->start + (f->size > 0 ? f->size - 1 : 1));
		binary_vaddr(b, f->start, &vaddr);
	}
	binary_nbounds(b);
	/* Offsets throughout the file: unwind-table functions' ends are
	 * read on the first lookup that needs one. */
	for (uint64_t off = 0; off < size; off += 64)
		binary_lookup(b, off);
	binary_cache_free(c);
	return 0;
}
