/* C++ and Rust (legacy and v0) symbol demangling through libiberty. */
#include "config.h"

#include <stddef.h>

/* libiberty's headers declare basename() unless told it already is. */
#define HAVE_DECL_BASENAME 1
#include <libiberty/demangle.h>

#include "demangle.h"

/* Demangle a C++ (_Z...) or Rust (_ZN...17h<hash>E, _R...) name. */
char *
demangle(const char *name)
{
	if (name == NULL || name[0] != '_')
		return NULL;
	if (name[1] != 'Z' && name[1] != 'R')
		return NULL;
	/*
	 * DMGL_AUTO tries Rust first (legacy Rust names are valid C++ names
	 * too) and drops the legacy hash unless DMGL_VERBOSE is given.
	 */
	return cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
}
