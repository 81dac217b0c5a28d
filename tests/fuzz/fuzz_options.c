/* Fuzz the command line: the input split at NULs into argv after
 * "rrstat-top", through options_parse (and the call-graph options). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "options.h"
#include "xmalloc.h"

#define FUZZ_MAX_ARGS	256

/* Parse data as a command line. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_ARGS + 2], *copy, *p, *end;
	char prog[] = "rrstat-top";
	struct options o;
	struct sampler_opts so;
	char *cause = NULL;
	int argc = 0;

	/* Each argument its own allocation, NUL-terminated where it ends. */
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = prog;
	for (p = copy, end = copy + size; p <= end && argc <= FUZZ_MAX_ARGS;
	    p += strlen(p) + 1)
		argv[argc++] = xstrdup(p);
	argv[argc] = NULL;
	if (options_parse(&o, argc, argv, &cause) == OPTIONS_RUN) {
		memset(&so, 0, sizeof so);
		options_callgraph(&o, &so);
	}
	free(cause);
	for (int i = 1; i < argc; i++)
		free(argv[i]);
	free(copy);
	return 0;
}
