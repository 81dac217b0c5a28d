/*
 * The sampler front: chooses the backend (--sampler) and dispatches the
 * sampler.h calls through its ops table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "events.h"
#include "i18n.h"
#include "sampler.h"
#include "sampler_int.h"
#include "xmalloc.h"

static const char *const sampler_kinds[] = {
	[SAMPLER_AUTO] = "auto",
	[SAMPLER_PERF] = "perf",
	[SAMPLER_PTRACE] = "ptrace",
};

/* Parse a --sampler value. */
int
sampler_kind_parse(const char *name)
{
	for (size_t i = 0; i < sizeof sampler_kinds / sizeof sampler_kinds[0]; i++)
		if (strcmp(name, sampler_kinds[i]) == 0)
			return (int)i;
	return -1;
}

/* What the ptrace sampler can sample: everything but the PMU's events. */
int
sampler_ptrace_supports(unsigned ev, char **reason)
{
	if (ev >= EVENT_COUNT) {
		*reason = xstrdup(_("no such event"));
		return -1;
	}
	if (events_table[ev].kind == EVENT_HARDWARE) {
		*reason = xasprintf(_("%s needs the CPU's performance counters through perf_event_open, which the ptrace sampler cannot read: use cpu-clock"),
		    events_table[ev].name);
		return -1;
	}
	return 0;
}

/* Probe ev for a sampler kind: perf opens it; ptrace knows; auto asks
 * perf, and ptrace where the kernel refuses perf events as a whole. */
int
sampler_kind_probe(enum sampler_kind kind, unsigned ev, pid_t pid,
    const struct events_rate *rate, const char **via, char **reason)
{
	char *why = NULL;

	*via = NULL;
	*reason = NULL;
	if (kind == SAMPLER_PTRACE)
		return sampler_ptrace_supports(ev, reason);
	if (events_probe(ev, pid, rate, &why) == 0)
		return 0;
	if (kind == SAMPLER_PERF) {
		*reason = why;
		return -1;
	}
	/* Refused as a whole: even the plainest software event fails. */
	if (ev != EVENT_CPU_CLOCK) {
		char *why2 = NULL;

		if (events_probe(EVENT_CPU_CLOCK, pid, rate, &why2) == 0) {
			free(why2);
			*reason = why;
			return -1;
		}
		free(why2);
	}
	if (sampler_ptrace_supports(ev, reason) < 0) {
		free(why);
		return -1;
	}
	free(why);
	*via = _("ptrace sampler: perf events are refused here");
	return 0;
}

/* Let this process hold as many descriptors as it is allowed: perf
 * opens one per (thread, event, CPU), ptrace and the wall-clock pass keep
 * a thread's /proc files open. */
static void
sampler_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Open perf, ptrace, or perf falling back to ptrace. */
int
sampler_open(struct sampler **sp, struct target *t, struct ring *r,
    const struct sampler_opts *o, char **cause)
{
	char *perf_cause = NULL, *pt_cause = NULL;
	bool refused = false;

	*sp = NULL;
	sampler_raise_nofile();
	if (o->kind != SAMPLER_PTRACE) {
		if (sampler_perf_open(sp, t, r, o, &refused, &perf_cause) == 0)
			return 0;
		if (o->kind == SAMPLER_PERF || !refused) {
			*cause = perf_cause;
			return -1;
		}
	}
	if (sampler_ptrace_open(sp, t, r, o, &pt_cause) < 0) {
		if (perf_cause != NULL) {
			*cause = xasprintf(_("%s; the ptrace sampler cannot either: %s"),
			    perf_cause, pt_cause);
			free(perf_cause);
			free(pt_cause);
		} else {
			*cause = pt_cause;
		}
		return -1;
	}
	if (perf_cause != NULL) {
		(*sp)->notice = xasprintf(_("sampling with ptrace: perf events are refused here (%s)"),
		    perf_cause);
		free(perf_cause);
	}
	return 0;
}

const char *
sampler_notice(const struct sampler *s)
{
	return s->notice;
}

int
sampler_start(struct sampler *s, char **cause)
{
	return s->ops->start(s, cause);
}

void
sampler_stop(struct sampler *s)
{
	if (s != NULL)
		s->ops->stop(s);
}

int
sampler_add_event(struct sampler *s, unsigned ev, char **cause)
{
	if (ev >= EVENT_COUNT) {
		*cause = xstrdup(_("no such event"));
		return -1;
	}
	return s->ops->add_event(s, ev, cause);
}

bool
sampler_has_event(struct sampler *s, unsigned ev)
{
	return s->ops->has_event(s, ev);
}

int
sampler_probe(struct sampler *s, unsigned ev, pid_t pid,
    const struct events_rate *rate, char **reason)
{
	if (ev >= EVENT_COUNT) {
		*reason = xstrdup(_("no such event"));
		return -1;
	}
	return s->ops->probe(s, ev, pid, rate, reason);
}

void
sampler_stats(struct sampler *s, struct sampler_stats *st)
{
	s->ops->stats(s, st);
}

const struct sampler_event *
sampler_events(struct sampler *s, size_t *n)
{
	*n = s->nevs;
	return s->evs;
}

const char *
sampler_name(const struct sampler *s)
{
	return s->ops->name;
}

bool
sampler_kernel(const struct sampler *s)
{
	return s->ops->kernel(s);
}

/* Free the backend (it frees its events' notices); the notice is the
 * front's. */
void
sampler_free(struct sampler *s)
{
	char *notice;

	if (s == NULL)
		return;
	notice = s->notice;
	s->ops->free(s);
	free(notice);
}
