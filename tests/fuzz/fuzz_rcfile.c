/* Fuzz the settings file: the input read as rrstat-toprc (from a
 * temporary file, as at start), its settings applied to the options of a
 * command line, and the file updated with a setting of its own keys. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "options.h"
#include "rcfile.h"

/* Read data as a settings file; apply it; update it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *argv[] = { (char *)"rrstat-top", (char *)"-p", (char *)"1",
	    NULL };
	struct rcfile_entry set[] = {
		{ .key = (char *)"sort", .value = (char *)"function" },
		{ .key = (char *)"event", .value = (char *)"cpu-clock" },
	};
	struct options o;
	struct rcfile rc;
	const char *path;
	char *cause = NULL, **warn = NULL;
	size_t nwarn = 0, i;

	path = fuzz_file("rrstat-toprc", data, size);
	if (rcfile_read(path, &rc, &cause) < 0) {
		free(cause);
		return 0;
	}
	if (options_parse(&o, 3, argv, &cause) == OPTIONS_RUN)
		options_settings(&o, &rc, path, &warn, &nwarn);
	free(cause);
	for (i = 0; i < nwarn; i++)
		free(warn[i]);
	free(warn);
	rcfile_free(&rc);
	cause = NULL;
	if (rcfile_update(path, set, 2, &cause) < 0)
		free(cause);
	return 0;
}
