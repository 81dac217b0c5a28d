/* libcg: the shared library that the callgraph target calls through.
 * lib_work runs one unit of the target's hot loop (CG_SPIN, the same cost
 * per iteration as in the executable) and then calls back into the
 * executable, so that a stack has a frame of this library both as the
 * leaf (main;via_lib;lib_work) and in the middle
 * (main;via_lib;lib_work;lib_callback).  Built twice: libcg_fp.so with
 * frame pointers (for callgraph_fp), libcg.so without (for callgraph_nofp
 * and callgraph_stripped). */
#include "libcg.h"

static volatile unsigned long lib_sink;
static volatile unsigned long lib_calls;

/* N iterations here, then CALLBACK(N); not a tail call. */
CG_KEEP void
lib_work(unsigned long n, void (*callback)(unsigned long))
{
	CG_SPIN(n, lib_sink);
	callback(n);
	lib_calls++;
}
