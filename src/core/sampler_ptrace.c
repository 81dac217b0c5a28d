/* The ptrace sampler (being written). */
#include "config.h"

#include "i18n.h"
#include "sampler_int.h"
#include "xmalloc.h"

int
sampler_ptrace_open(struct sampler **sp, struct target *t, struct ring *r,
    const struct sampler_opts *o, char **cause)
{
	(void)t; (void)r; (void)o;
	*sp = NULL;
	*cause = xstrdup(_("the ptrace sampler is not available in this version: use --sampler perf"));
	return -1;
}
