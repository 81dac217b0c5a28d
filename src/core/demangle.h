/* C++ and Rust (legacy and v0) symbol demangling through libiberty. */
#ifndef RS_DEMANGLE_H
#define RS_DEMANGLE_H

/* The demangled form of name as a new string (caller frees), or NULL when
 * name is not mangled or cannot be demangled. Rust hashes are dropped. */
char *demangle(const char *name);

#endif
