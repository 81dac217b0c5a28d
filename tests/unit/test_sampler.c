/*
 * The perf sampler against real processes: samples arrive per event,
 * an event added mid-session starts sampling, hardware events fall back
 * where there is no PMU, threads created after attach are sampled, and
 * everything is released. Skips (77) where perf_event_open is refused.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "target.h"

/* One sample every test_period occurrences where nonzero, else 1000 Hz.
 * (The kernel's frequency mode ramps erratically for bursty software
 * events such as page faults, perf record's too; a period is exact.) */
static uint64_t test_period;

struct counts {
	uint64_t samples[EVENT_COUNT];
	uint64_t mmaps;
	uint32_t tids[64];
	size_t ntids;
};

/* Sleep for secs seconds. */
static void
test_sleep(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Pop everything from the ring into c. */
static void
test_drain(struct ring *r, struct counts *c)
{
	struct rs_sample buf[256];
	size_t n;

	while ((n = ring_pop(r, buf, 256)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct rs_sample *s = &buf[i];

			if (s->kind == RS_REC_MMAP) {
				c->mmaps++;
				i += s->arg;	/* skip its payload slots */
				continue;
			}
			if (s->kind != RS_REC_SAMPLE || s->event >= EVENT_COUNT)
				continue;
			c->samples[s->event]++;
			for (size_t j = 0; j <= c->ntids; j++) {
				if (j == c->ntids && c->ntids < 64) {
					c->tids[c->ntids++] = s->tid;
					break;
				}
				if (j < c->ntids && c->tids[j] == s->tid)
					break;
			}
		}
	}
}

/* Path of a target program. */
static char *
test_target(const char *name)
{
	const char *dir = getenv("TARGETS");
	static char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir != NULL ? dir : "tests/targets", name);
	return path;
}

/* Spawn argv (or, with attach, start it on its own and attach to it) and
 * sample it with events evs for secs; add add_ev (if not EVENT_COUNT)
 * after half the time. */
static void
test_run(char *const argv[], bool attach, const unsigned *evs, size_t nevs,
    unsigned add_ev, double secs, struct counts *c, char **notice)
{
	pid_t child = -1;
	struct sampler_opts o;
	struct target t;
	struct sampler *s = NULL;
	struct ring *r = ring_new(1 << 16);
	char *cause = NULL;

	memset(c, 0, sizeof *c);
	memset(&o, 0, sizeof o);
	memcpy(o.events, evs, nevs * sizeof *evs);
	o.nevents = nevs;
	o.rate.freq = test_period ? 0 : 1000;
	o.rate.period = test_period;
	target_init(&t);
	CHECK(r != NULL);
	if (attach) {
		child = fork();
		if (child == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		test_sleep(0.2);
		CHECK(target_attach(&t, &child, 1, &cause) == 0);
	} else {
		CHECK(target_spawn(&t, argv, &cause) == 0);
	}
	o.kind = SAMPLER_PERF;
	if (sampler_open(&s, &t, r, &o, &cause) < 0) {
		fprintf(stderr, "sampler_open: %s\n", cause);
		CHECK(!"sampler_open failed");
		free(cause);
		target_end(&t);
		target_free(&t);
		ring_free(r);
		return;
	}
	if (notice != NULL) {
		size_t n;
		const struct sampler_event *se = sampler_events(s, &n);

		*notice = se[0].notice != NULL ? strdup(se[0].notice) : NULL;
	}
	CHECK(strcmp(sampler_name(s), "perf") == 0);
	CHECK(sampler_start(s, &cause) == 0);
	CHECK(target_go(&t, &cause) == 0);
	test_sleep(secs / 2);
	test_drain(r, c);
	if (add_ev != EVENT_COUNT) {
		CHECK(!sampler_has_event(s, add_ev));
		CHECK(sampler_add_event(s, add_ev, &cause) == 0);
		CHECK(sampler_has_event(s, add_ev));
		/* Adding it again is a no-op. */
		CHECK(sampler_add_event(s, add_ev, &cause) == 0);
	}
	test_sleep(secs / 2);
	sampler_stop(s);
	test_drain(r, c);
	{
		struct sampler_stats st;

		sampler_stats(s, &st);
		CHECK(st.samples > 0);
	}
	sampler_free(s);
	target_end(&t);
	target_free(&t);
	ring_free(r);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
}

int
main(void)
{
	struct events_rate rate = { 1000, 0 };
	struct counts c;
	char *reason = NULL, *notice = NULL;

	if (events_probe(EVENT_CPU_CLOCK, 0, &rate, &reason) < 0) {
		fprintf(stderr, "test_sampler: perf events refused here (%s): skipped\n", reason);
		free(reason);
		return 77;
	}

	/* cpu-clock from exec on, then page-faults added half way. */
	{
		char *argv[] = { test_target("faults"), (char *)"2", NULL };
		unsigned evs[] = { EVENT_CPU_CLOCK };

		/* 100 us of cpu-clock, or 1000 faults, per sample. */
		test_period = 100000;
		test_run(argv, false, evs, 1, EVENT_PAGE_FAULTS, 1.6, &c, NULL);
		test_period = 0;
		CHECK(c.samples[EVENT_CPU_CLOCK] > 1000);
		CHECK(c.samples[EVENT_PAGE_FAULTS] > 20);
		CHECK(c.mmaps > 0);	/* the exec'd image was announced */
		CHECK_U64(c.samples[EVENT_TASK_CLOCK], 0);
	}

	/* The same, attached to a running process. */
	{
		char *argv[] = { test_target("faults"), (char *)"3", NULL };
		unsigned evs[] = { EVENT_TASK_CLOCK };

		/* 100 us of task-clock, or 1000 faults, per sample. */
		test_period = 100000;
		test_run(argv, true, evs, 1, EVENT_PAGE_FAULTS, 1.6, &c, NULL);
		test_period = 0;
		CHECK(c.samples[EVENT_TASK_CLOCK] > 1000);
		CHECK(c.samples[EVENT_PAGE_FAULTS] > 20);
	}

	/* A hardware event: sampled where there is a PMU, else cpu-clock
	 * with a notice naming both. */
	{
		char *argv[] = { test_target("work"), (char *)"1", NULL };
		unsigned evs[] = { EVENT_CPU_CYCLES };

		test_run(argv, false, evs, 1, EVENT_COUNT, 0.8, &c, &notice);
		if (events_probe(EVENT_CPU_CYCLES, 0, &rate, &reason) == 0) {
			CHECK(notice == NULL);
			CHECK(c.samples[EVENT_CPU_CYCLES] > 0);
		} else {
			free(reason);
			CHECK(notice != NULL && strstr(notice, "cpu-cycles") != NULL &&
			    strstr(notice, "cpu-clock") != NULL);
			CHECK_U64(c.samples[EVENT_CPU_CYCLES], 0);
			CHECK(c.samples[EVENT_CPU_CLOCK] > 100);
		}
		free(notice);
	}

	/* Threads created (and ended) after exec are all sampled. */
	{
		char *argv[] = { test_target("threads"), (char *)"1", NULL };
		unsigned evs[] = { EVENT_CPU_CLOCK, EVENT_CONTEXT_SWITCHES };

		test_run(argv, false, evs, 2, EVENT_COUNT, 1.0, &c, NULL);
		CHECK(c.samples[EVENT_CPU_CLOCK] > 100);
		CHECK(c.samples[EVENT_CONTEXT_SWITCHES] > 0);
		CHECK(c.ntids >= 3);
	}

	/* Attached after start: threads born later are sampled too. */
	{
		char *argv[] = { test_target("threads"), (char *)"3", NULL };
		unsigned evs[] = { EVENT_CPU_CLOCK };

		test_run(argv, true, evs, 1, EVENT_COUNT, 1.0, &c, NULL);
		CHECK(c.samples[EVENT_CPU_CLOCK] > 100);
		CHECK(c.ntids >= 3);
	}
	return check_exit("test_sampler");
}
