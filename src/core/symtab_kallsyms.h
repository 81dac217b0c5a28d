/*
 * The kernel's symbol table from /proc/kallsyms (text symbols: T, W, w,
 * t; one per address, T over W/w over t, then the shorter name).
 */
#ifndef RS_SYMTAB_KALLSYMS_H
#define RS_SYMTAB_KALLSYMS_H

#define SYMTAB_KALLSYMS	"/proc/kallsyms"

struct symtab;

/* Fill t from path, a file in /proc/kallsyms' format; nothing where it
 * cannot be read. */
void symtab_kallsyms_load(struct symtab *t, const char *path);

#endif
