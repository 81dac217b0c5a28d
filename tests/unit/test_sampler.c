/*
 * The perf sampler against real processes: samples arrive per event,
 * an event added mid-session starts sampling, hardware events fall back
 * where there is no PMU, threads created after attach are sampled,
 * wait-time weighs a blocked thread's wait site by its wall time, and
 * everything is released. Skips (77) where perf_event_open is refused.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "procstat.h"
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

/* A sampler of o on t; NULL (the cause printed, t ended and freed)
 * where it will not open. */
static struct sampler *
test_open(struct target *t, struct ring *r, const struct sampler_opts *o)
{
	struct sampler *s = NULL;
	char *cause = NULL;

	if (sampler_open(&s, t, r, o, &cause) == 0)
		return s;
	fprintf(stderr, "sampler_open: %s\n", cause);
	CHECK(!"sampler_open failed");
	free(cause);
	target_end(t);
	target_free(t);
	return NULL;
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
	if ((s = test_open(&t, r, &o)) == NULL) {
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

/* The threads of this process. */
static size_t
test_nthreads(void)
{
	pid_t *tids;
	size_t n;
	char *cause = NULL;

	if (target_threads(getpid(), &tids, &n, &cause) < 0) {
		free(cause);
		return 0;
	}
	free(tids);
	return n;
}

/* The sampler's thread lives from open to stop: it opens an event added
 * before start; freed unstarted (round 0) or stopped (round 1), it
 * leaves no thread behind, and once stopped it takes no more requests. */
static void
test_lifecycle(void)
{
	char *argv[] = { test_target("work"), (char *)"1", NULL };
	struct ring *r = ring_new(1 << 14);
	size_t before = test_nthreads();
	struct sampler_opts o;
	struct counts c;

	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.events[0] = EVENT_CPU_CLOCK;
	o.nevents = 1;
	o.rate.freq = 1000;
	for (int round = 0; round < 2; round++) {
		struct sampler *s;
		struct target t;
		char *cause = NULL;

		target_init(&t);
		CHECK(target_spawn(&t, argv, &cause) == 0);
		if ((s = test_open(&t, r, &o)) == NULL)
			break;
		CHECK_U64(test_nthreads(), before + 1);
		CHECK(!sampler_has_event(s, EVENT_PAGE_FAULTS));
		CHECK(sampler_add_event(s, EVENT_PAGE_FAULTS, &cause) == 0);
		CHECK(sampler_has_event(s, EVENT_PAGE_FAULTS));
		if (round == 1) {
			CHECK(sampler_start(s, &cause) == 0);
			CHECK(target_go(&t, &cause) == 0);
			test_sleep(0.3);
			sampler_stop(s);
			CHECK_U64(test_nthreads(), before);
			CHECK(sampler_add_event(s, EVENT_CONTEXT_SWITCHES, &cause) < 0);
			CHECK(cause != NULL && strstr(cause, "stopped") != NULL);
			free(cause);
			cause = NULL;
			CHECK(!sampler_has_event(s, EVENT_CONTEXT_SWITCHES));
			sampler_stop(s);
		}
		sampler_free(s);
		CHECK_U64(test_nthreads(), before);
		test_drain(r, &c);
		if (round == 0)
			CHECK_U64(c.samples[EVENT_CPU_CLOCK], 0);
		else
			CHECK(c.samples[EVENT_CPU_CLOCK] > 0);
		target_end(&t);
		target_free(&t);
	}
	ring_free(r);
}

/* wait-time's workload, in a forked child: its main thread asks the
 * writer thread for a byte, blocks in read() ~60 ms until it comes, then
 * burns 40 ms of wall time; over and over. */
static int test_go[2], test_data[2];

/* Sleep 60 ms after each request, then answer it. */
static void *
test_wait_writer(void *arg)
{
	char c;

	(void)arg;
	for (;;) {
		if (read(test_go[0], &c, 1) != 1)
			_exit(0);
		test_sleep(0.06);
		if (write(test_data[1], &c, 1) != 1)
			_exit(0);
	}
	return NULL;
}

/* Burn secs of wall time (not CPU time: on a busy machine part of it is
 * spent runnable, which wait-time counts here too, so the blocked share
 * stays 60 % of the wall time). */
static void __attribute__((noinline))
test_wait_burn(double secs)
{
	struct timespec t0, t;
	double used;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (volatile int i = 0; i < 20000; i++)
			;
		clock_gettime(CLOCK_MONOTONIC, &t);
		used = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
	} while (used < secs);
}

/* The child: never returns. */
static void __attribute__((noreturn))
test_wait_child(void)
{
	pthread_t th;
	char c = 'x';

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (pthread_create(&th, NULL, test_wait_writer, NULL) != 0)
		_exit(1);
	for (;;) {
		if (write(test_go[1], &c, 1) != 1 || read(test_data[0], &c, 1) != 1)
			_exit(0);
		test_wait_burn(0.04);
	}
}

/* Weights of the reading thread (the child's main thread). */
struct wait_counts {
	uint64_t blocked;		/* wait-time, blocked: ns */
	uint64_t blocked_read;		/* ... of which in read() */
	uint64_t running;		/* wait-time, cpu-clock part: ns */
	uint64_t cpu;			/* the cpu-clock event: ns */
	uint64_t cpu_at_read;		/* ... at a read() wait site */
	uint64_t nblocked;		/* blocked samples, every thread */
	uint64_t nother;		/* blocked samples of other threads */
	uint64_t bad;			/* malformed: see test_wait_drain */
	uint64_t wait_samples;		/* wait-time samples of any kind */
	uint64_t sites[16];		/* distinct read() wait sites */
	size_t nsites;
};

/* Pop everything from the ring into c; reader is the reading thread. */
static void
test_wait_drain(struct ring *r, uint32_t reader, struct wait_counts *c)
{
	struct rs_sample buf[256];
	size_t n;

	while ((n = ring_pop(r, buf, 256)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct rs_sample *s = &buf[i];
			bool blocked = (s->flags & RS_SAMPLE_BLOCKED) != 0;

			if (s->kind == RS_REC_MMAP) {
				i += s->arg;
				continue;
			}
			if (s->kind != RS_REC_SAMPLE)
				continue;
			if (s->event == EVENT_WAIT_TIME)
				c->wait_samples++;
			/* Only wait-time's pass marks samples blocked, and
			 * those have a user-space site and a weight. */
			if (blocked && (s->event != EVENT_WAIT_TIME || s->ip == 0 ||
			    s->period == 0 || (s->flags & RS_SAMPLE_KERNEL)))
				c->bad++;
			if (blocked) {
				c->nblocked++;
				if (s->tid != reader)
					c->nother++;
			}
			if (s->tid != reader)
				continue;
			if (s->event == EVENT_WAIT_TIME && blocked) {
				c->blocked += s->period;
				if (s->arg == SYS_read) {
					size_t j;

					c->blocked_read += s->period;
					for (j = 0; j < c->nsites && c->sites[j] != s->ip; j++)
						;
					if (j == c->nsites && j < 16)
						c->sites[c->nsites++] = s->ip;
				}
			} else if (s->event == EVENT_WAIT_TIME) {
				c->running += s->period;
			} else if (s->event == EVENT_CPU_CLOCK) {
				c->cpu += s->period;
				for (size_t j = 0; j < c->nsites; j++)
					if (c->sites[j] == s->ip)
						c->cpu_at_read += s->period;
			}
		}
	}
}

/* Sample the wait workload with wait-time and cpu-clock for secs (with
 * late, cpu-clock alone for a while first and wait-time added then). */
static void
test_wait(bool late, double secs)
{
	struct sampler_opts o;
	struct target t;
	struct sampler *s = NULL;
	struct ring *r = ring_new(1 << 16);
	struct wait_counts c;
	struct sampler_stats st;
	char *cause = NULL;
	double share, cpu_share, ratio, wall, run, rq, blocked_share;
	struct procstat_thread pt;
	struct procstat_sched sc0, sc1;
	struct timespec t0, t1;
	pid_t child;

	memset(&c, 0, sizeof c);
	memset(&o, 0, sizeof o);
	CHECK(r != NULL);
	CHECK(pipe(test_go) == 0 && pipe(test_data) == 0);
	child = fork();
	if (child == 0)
		test_wait_child();
	CHECK(child > 0);
	test_sleep(0.1);
	target_init(&t);
	CHECK(target_attach(&t, &child, 1, &cause) == 0);
	if (late) {
		o.events[o.nevents++] = EVENT_CPU_CLOCK;
	} else {
		o.events[o.nevents++] = EVENT_WAIT_TIME;
		o.events[o.nevents++] = EVENT_CPU_CLOCK;
	}
	o.rate.freq = 1000;
	o.kind = SAMPLER_PERF;
	if (sampler_open(&s, &t, r, &o, &cause) < 0) {
		fprintf(stderr, "sampler_open: %s\n", cause);
		CHECK(!"sampler_open failed");
		free(cause);
		goto out;
	}
	CHECK(sampler_start(s, &cause) == 0);
	if (late) {
		test_sleep(0.3);
		test_wait_drain(r, (uint32_t)child, &c);
		CHECK_U64(c.wait_samples, 0);
		memset(&c, 0, sizeof c);
		CHECK(!sampler_has_event(s, EVENT_WAIT_TIME));
		CHECK(sampler_add_event(s, EVENT_WAIT_TIME, &cause) == 0);
		CHECK(sampler_has_event(s, EVENT_WAIT_TIME));
	}
	procstat_thread_init(&pt, child, child);
	CHECK(procstat_read_sched(&pt, &sc0) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Drain as we go, so the sites are known when cpu-clock samples
	 * are looked at. */
	for (double left = secs; left > 0; left -= 0.2) {
		test_sleep(left < 0.2 ? left : 0.2);
		test_wait_drain(r, (uint32_t)child, &c);
	}
	sampler_stop(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(procstat_read_sched(&pt, &sc1) == 0);
	procstat_thread_close(&pt);
	/* The reader's wall time, and how it was spent: on a CPU, waiting
	 * for one (runnable: counted where it last ran), blocked. */
	wall = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	run = (double)(sc1.run_ns - sc0.run_ns);
	rq = (double)(sc1.wait_ns - sc0.wait_ns);
	test_wait_drain(r, (uint32_t)child, &c);
	sampler_stats(s, &st);
	CHECK(st.samples >= c.nblocked);
	CHECK_U64(st.lost[EVENT_WAIT_TIME], 0);
	sampler_free(s);

	share = (double)c.blocked_read / (double)(c.blocked + c.running + 1);
	cpu_share = (double)c.cpu_at_read / (double)(c.cpu + 1);
	ratio = (double)c.running / (c.cpu + rq + 1);
	blocked_share = (wall - run - rq) / wall;
	fprintf(stderr, "wait-time%s: read() %.1f %% of %.2f s (blocked %.2f s in %" PRIu64
	    " samples, running %.2f s); wall %.2f s: on a CPU %.2f s, runnable %.2f s, "
	    "blocked %.1f %%; cpu-clock %.2f s, %.1f %% at read(); %zu site(s)\n",
	    late ? " (added late)" : "", share * 100, (double)(c.blocked + c.running) / 1e9,
	    (double)c.blocked / 1e9, c.nblocked, (double)c.running / 1e9,
	    wall / 1e9, run / 1e9, rq / 1e9, blocked_share * 100,
	    (double)c.cpu / 1e9, cpu_share * 100, c.nsites);
	CHECK_U64(c.bad, 0);
	CHECK(c.nblocked > 0);
	CHECK(c.nother > 0);			/* the writer thread waits too */
	CHECK(c.nsites > 0);
	/* Nearly all the reader's waiting is in read(). */
	CHECK(c.blocked_read * 100 >= c.blocked * 95);
	/* read() has the reader's blocked share of its wall time (from
	 * schedstat), +-10 points, and that is ~60 % by construction:
	 * time runnable on a busy machine falls in burn's 40 ms. */
	CHECK(share >= blocked_share - 0.10 && share <= blocked_share + 0.10);
	CHECK(share >= 0.50 && share <= 0.70);
	/* cpu-clock < 5 % at the read site. */
	CHECK(cpu_share < 0.05);
	/* The running part weighs what cpu-clock does, plus the time
	 * runnable. */
	CHECK(ratio > 0.7 && ratio < 1.3);
	/* The reader weighs its wall time, within 10 %. */
	CHECK((double)(c.blocked + c.running) <= wall * 1.1);
	CHECK((double)(c.blocked + c.running) >= wall * 0.9);
out:
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	target_free(&t);
	ring_free(r);
	close(test_go[0]);
	close(test_go[1]);
	close(test_data[0]);
	close(test_data[1]);
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

	test_lifecycle();

	/* wait-time from the start, beside cpu-clock; then added late. */
	test_wait(false, 1.6);
	test_wait(true, 1.0);
	return check_exit("test_sampler");
}
