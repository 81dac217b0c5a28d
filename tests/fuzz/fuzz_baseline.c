/* Fuzz the --baseline path: the JSON reader over the whole input, then
 * each event's diff side read from the tree and diffed against itself
 * (its text, csv and json written to /dev/null). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "diff.h"
#include "events.h"
#include "fuzz.h"
#include "json.h"

/* Parse data as a snapshot and diff each event it holds. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct diff_opts o = { .sort = DIFF_SORT_DELTA, .group = true };
	struct diff_side s;
	struct diff d = { 0 };
	struct json root;
	char *cause = NULL;
	unsigned e;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	if (json_parse((const char *)data, size, &root, &cause) < 0) {
		free(cause);
		return 0;
	}
	for (e = 0; e < EVENT_COUNT; e++) {
		cause = NULL;
		if (diff_side_from_json(&s, &root, events_table[e].name,
		    &cause) != 0) {
			free(cause);
			continue;
		}
		diff_build(&d, &s, &s, &o);
		diff_write_text(null, &d);
		diff_write_csv(null, &d, events_table[e].name, true);
		diff_write_json(null, &d, events_table[e].name);
		diff_side_free(&s);
	}
	diff_free(&d);
	json_free(&root);
	return 0;
}
