/* Fuzz the /proc/PID/task/TID text parsers: stat, schedstat, syscall and
 * status (its context-switch lines), each given the whole input. */
#include "config.h"

#include <stdint.h>

#include "fuzz.h"
#include "procstat.h"

/* Run every procstat parser over data. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct procstat_stat st;
	struct procstat_sched sc;
	struct procstat_syscall sy;
	uint64_t vol, invol;

	procstat_parse_stat(text, size, &st);
	procstat_parse_sched(text, size, &sc);
	if (procstat_parse_syscall(text, size, &sy) == 0 &&
	    sy.where == PROCSTAT_SYSCALL)
		procstat_syscall_name(sy.nr);
	procstat_parse_ctxt(text, size, &vol, &invol);
	return 0;
}
