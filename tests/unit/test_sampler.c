/*
 * The perf sampler against real processes: samples arrive per event,
 * an event added mid-session starts sampling, hardware events fall back
 * where there is no PMU, threads created after attach are sampled,
 * wait-time weighs a blocked thread's wait site by its wall time, call
 * stacks (-g fp, -g dwarf, a blocked thread's) come before their samples
 * as one unit, and everything is released. The sample record reader
 * refuses malformed records. Skips (77) where perf_event_open is
 * refused.
 */
#include "config.h"

#include <errno.h>
#include <linux/perf_event.h>
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
#include "perfrec.h"
#include "procstat.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "sampler_int.h"
#include "stack_units.h"
#include "target.h"

/* One sample every test_period occurrences where nonzero, else 1000 Hz.
 * (The kernel's frequency mode ramps erratically for bursty software
 * events such as page faults, perf record's too; a period is exact.) */
static uint64_t test_period;

struct counts {
	uint64_t samples[EVENT_COUNT];
	uint64_t mmaps;
	uint64_t mmaps_id;	/* ... whose build-id the kernel told */
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
				struct rs_mmap_info info;

				c->mmaps++;
				if (i + s->arg < n) {
					memcpy(&info, s + 1, sizeof info);
					c->mmaps_id += info.build_id_len > 0;
				}
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
		memset(&c, 0, sizeof c);
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

/* Start the wait workload in a child and attach t to it: its pid. */
static pid_t
test_wait_start(struct target *t)
{
	char *cause = NULL;
	pid_t child;

	CHECK(pipe(test_go) == 0 && pipe(test_data) == 0);
	child = fork();
	if (child == 0)
		test_wait_child();
	CHECK(child > 0);
	test_sleep(0.1);
	target_init(t);
	CHECK(target_attach(t, &child, 1, &cause) == 0);
	return child;
}

/* End the wait workload: the child, t, the pipes. */
static void
test_wait_end(pid_t child, struct target *t)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	target_free(t);
	close(test_go[0]);
	close(test_go[1]);
	close(test_data[0]);
	close(test_data[1]);
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
	child = test_wait_start(&t);
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
	test_wait_end(child, &t);
	ring_free(r);
}

/* A sample record body of sample_type full (CALLCHAIN, REGS_USER with
 * the 17 registers of EVENTS_REGS_USER, STACK_USER) into w: nr entries,
 * abi, size bytes of stack of which dyn were copied. The words used. */
static size_t
test_body(uint64_t *w, uint64_t nr, uint64_t abi, uint64_t size, uint64_t dyn)
{
	size_t n = 0;

	w[n++] = 77;			/* id */
	w[n++] = 0x401000;		/* ip */
	w[n++] = (uint64_t)12 << 32 | 11;	/* pid 11, tid 12 */
	w[n++] = 5000;			/* time */
	w[n++] = 250000;		/* period */
	w[n++] = nr;
	for (uint64_t i = 0; i < nr && i < 16; i++)
		w[n++] = 0x401000 + i;
	w[n++] = abi;
	if (abi != 0)
		for (unsigned i = 0; i < 17; i++)
			w[n++] = 100 + i;
	w[n++] = size;
	for (uint64_t i = 0; i < size / 8 && i < 64; i++)
		w[n++] = 0xabc0 + i;
	if (size != 0)
		w[n++] = dyn;
	return n;
}

/* The sample record reader: every field where it belongs; a length
 * that runs past the record's end, or a field we did not ask for, is
 * refused. */
static void
test_perfrec(void)
{
	const uint64_t base = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
	    PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;
	const uint64_t full = base | PERF_SAMPLE_CALLCHAIN |
	    PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	const uint64_t mask = EVENTS_REGS_USER;
	uint64_t w[128];
	const unsigned char *p = (const unsigned char *)w;
	struct perfrec_sample ps;
	size_t n;

	/* Plain: the five fields; more bytes after them are ignored. */
	n = test_body(w, 0, 0, 0, 0);
	CHECK(perfrec_sample(p, 40, base, 0, &ps) == 0);
	CHECK_U64(ps.id, 77);
	CHECK_U64(ps.ip, 0x401000);
	CHECK_U64(ps.pid, 11);
	CHECK_U64(ps.tid, 12);
	CHECK_U64(ps.time, 5000);
	CHECK_U64(ps.period, 250000);
	CHECK(ps.chain == NULL && ps.regs == NULL && ps.stack == NULL);
	CHECK(perfrec_sample(p, n * 8, base, 0, &ps) == 0);
	for (size_t len = 0; len < 40; len += 4)
		CHECK(perfrec_sample(p, len, base, 0, &ps) == -1);
	/* Fields we never ask for, or one we always do missing. */
	CHECK(perfrec_sample(p, n * 8, base | PERF_SAMPLE_ADDR, 0, &ps) == -1);
	CHECK(perfrec_sample(p, n * 8, base & ~(uint64_t)PERF_SAMPLE_TIME, 0, &ps) == -1);

	/* Everything, well formed. */
	n = test_body(w, 3, PERF_SAMPLE_REGS_ABI_64, 32, 24);
	CHECK_U64(n, 5 + 1 + 3 + 1 + 17 + 1 + 4 + 1);
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == 0);
	CHECK_U64(ps.nchain, 3);
	CHECK(ps.chain == p + 48);
	CHECK_U64(ps.abi, PERF_SAMPLE_REGS_ABI_64);
	CHECK_U64(ps.nregs, 17);
	CHECK(ps.regs == p + 80);
	CHECK(ps.stack == p + 80 + 17 * 8 + 8);
	CHECK_U64(ps.stack_len, 24);
	{
		uint64_t v;

		memcpy(&v, ps.chain + 16, 8);
		CHECK_U64(v, 0x401002);
		memcpy(&v, ps.regs + 16 * 8, 8);
		CHECK_U64(v, 116);
		memcpy(&v, ps.stack + 8, 8);
		CHECK_U64(v, 0xabc1);
	}
	/* Cut anywhere: refused. */
	for (size_t len = 0; len < n * 8; len += 8)
		CHECK(perfrec_sample(p, len, full, mask, &ps) == -1);
	/* A chain longer than the record. */
	n = test_body(w, 3, PERF_SAMPLE_REGS_ABI_64, 32, 24);
	w[5] = 4;
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == -1);
	w[5] = UINT64_MAX / 8 + 2;	/* overflows nr * 8 */
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == -1);
	w[5] = UINT64_MAX;
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == -1);
	/* A stack larger than the record, dyn_size above size. */
	n = test_body(w, 0, PERF_SAMPLE_REGS_ABI_64, 32, 24);
	w[6 + 1 + 17] = 40;
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == -1);
	w[6 + 1 + 17] = UINT64_MAX;
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == -1);
	w[6 + 1 + 17] = 32;
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == 0);
	w[n - 1] = 33;
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == -1);
	/* More registers asked for than there are. */
	CHECK(perfrec_sample(p, n * 8, full, mask | 0xff00ull << 32, &ps) == -1);
	/* No registers (ABI NONE: a kernel thread) and no stack (size 0,
	 * then no dyn_size). */
	n = test_body(w, 1, PERF_SAMPLE_REGS_ABI_NONE, 0, 0);
	CHECK_U64(n, 5 + 1 + 1 + 1 + 1);
	CHECK(perfrec_sample(p, n * 8, full, mask, &ps) == 0);
	CHECK(ps.regs == NULL && ps.nregs == 0);
	CHECK(ps.stack == NULL && ps.stack_len == 0);
	CHECK_U64(ps.nchain, 1);
	CHECK(perfrec_sample(p, n * 8 - 8, full, mask, &ps) == -1);
}

/* An MMAP2 record (header included) into w: the build-id form where id
 * is not NULL (idlen bytes; misc PERF_RECORD_MISC_MMAP_BUILD_ID), else
 * device 8:2, inode 1234. Its size in bytes. */
static size_t
test_mmap2(unsigned char *w, const uint8_t *id, size_t idlen, const char *path)
{
	struct perf_event_header h;
	size_t off = sizeof h, plen = strlen(path) + 1;
	uint32_t u32;
	uint64_t u64;

	memset(w, 0, 512);
	u32 = 4242;
	memcpy(w + off, &u32, 4);
	memcpy(w + off + 4, &u32, 4);
	u64 = 0x7f0000001000;
	memcpy(w + off + 8, &u64, 8);
	u64 = 0x3000;
	memcpy(w + off + 16, &u64, 8);
	u64 = 0x1000;
	memcpy(w + off + 24, &u64, 8);
	if (id != NULL) {
		w[off + 32] = (unsigned char)idlen;
		memcpy(w + off + 36, id, idlen < 20 ? idlen : 20);
	} else {
		u32 = 8;
		memcpy(w + off + 32, &u32, 4);
		u32 = 2;
		memcpy(w + off + 36, &u32, 4);
		u64 = 1234;
		memcpy(w + off + 40, &u64, 8);
	}
	u32 = 5;				/* PROT_READ | PROT_EXEC */
	memcpy(w + off + 56, &u32, 4);
	memcpy(w + off + 64, path, plen);
	h.type = PERF_RECORD_MMAP2;
	h.misc = PERF_RECORD_MISC_USER |
	    (id != NULL ? PERF_RECORD_MISC_MMAP_BUILD_ID : 0);
	h.size = (uint16_t)((off + 64 + plen + 7) & ~(size_t)7);
	memcpy(w, &h, sizeof h);
	return h.size;
}

/* The MMAP2 reader, both forms: device and inode, or the build-id
 * (attr.build_id) in their place; records cut short or telling more
 * than 20 bytes of build-id refused. Then the perf worker's reader on a
 * ring of both: the build-id reaches the ring's mapping record. */
static void
test_perfrec_mmap2(void)
{
	static const uint8_t id[20] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5,
	    6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x42 };
	unsigned char w[512], ringbuf[1024];
	const struct perf_event_header *h = (const void *)w;
	struct perfrec_mmap2 mm;
	struct sampler_opts o;
	struct rs_mmap_info info;
	struct rs_sample out[64];
	struct sampler_replay_ring one;
	struct ring *r;
	size_t len, n, at = 0;
	unsigned ev = EVENT_CPU_CLOCK;

	len = test_mmap2(w, NULL, 0, "/usr/lib/libx.so");
	CHECK(perfrec_mmap2(w + 8, len - 8, h->misc, &mm) == 0);
	CHECK_U64(mm.pid, 4242);
	CHECK_U64(mm.addr, 0x7f0000001000);
	CHECK_U64(mm.len, 0x3000);
	CHECK_U64(mm.pgoff, 0x1000);
	CHECK_U64(mm.maj, 8);
	CHECK_U64(mm.min, 2);
	CHECK_U64(mm.ino, 1234);
	CHECK_U64(mm.build_id_len, 0);
	CHECK_U64(mm.prot, 5);
	CHECK(mm.path_len == 16 && memcmp(mm.path, "/usr/lib/libx.so", 16) == 0);

	len = test_mmap2(w, id, 20, "/tmp/copy-1.so (deleted)");
	CHECK(perfrec_mmap2(w + 8, len - 8, h->misc, &mm) == 0);
	CHECK_U64(mm.build_id_len, 20);
	CHECK(memcmp(mm.build_id, id, 20) == 0);
	CHECK_U64(mm.maj, 0);
	CHECK_U64(mm.ino, 0);
	CHECK_U64(mm.prot, 5);
	CHECK_U64(mm.path_len, strlen("/tmp/copy-1.so (deleted)"));
	/* A shorter build-id (an MD5 one: 16 bytes). */
	len = test_mmap2(w, id, 16, "/x");
	CHECK(perfrec_mmap2(w + 8, len - 8, h->misc, &mm) == 0);
	CHECK_U64(mm.build_id_len, 16);
	CHECK(memcmp(mm.build_id, id, 16) == 0 && mm.build_id[16] == 0);
	/* More than 20 bytes told: refused; cut before the path: refused;
	 * a path without its NUL ends with the record. */
	len = test_mmap2(w, id, 21, "/x");
	CHECK(perfrec_mmap2(w + 8, len - 8, h->misc, &mm) == -1);
	len = test_mmap2(w, id, 20, "/x");
	for (size_t cut = 0; cut < 64; cut += 4)
		CHECK(perfrec_mmap2(w + 8, cut, h->misc, &mm) == -1);
	CHECK(perfrec_mmap2(w + 8, 64, h->misc, &mm) == 0);
	CHECK_U64(mm.path_len, 0);
	CHECK(perfrec_mmap2(w + 8, 65, h->misc, &mm) == 0);
	CHECK(mm.path_len == 1 && mm.path[0] == '/');

	/* Through the worker's reader: both forms into the ring. */
	memset(ringbuf, 0, sizeof ringbuf);
	len = test_mmap2(w, NULL, 0, "/usr/lib/libx.so");
	memcpy(ringbuf + at, w, len);
	at += len;
	len = test_mmap2(w, id, 20, "/tmp/copy-1.so");
	memcpy(ringbuf + at, w, len);
	at += len;
	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.rate.freq = 1000;
	r = ring_new(256);
	one.data = ringbuf;
	one.size = sizeof ringbuf;
	one.tail = 0;
	one.head = at;
	CHECK_U64(sampler_perf_replay(&o, &ev, 1, &one, 1, r), 0);
	n = ring_pop(r, out, 64);
	CHECK(n >= 2 && out[0].kind == RS_REC_MMAP && 1 + out[0].arg < n);
	if (n >= 2 && out[0].kind == RS_REC_MMAP && 1 + out[0].arg < n) {
		memcpy(&info, &out[1], sizeof info);
		CHECK_U64(info.inode, 1234);
		CHECK_U64(info.build_id_len, 0);
		at = 1 + out[0].arg;
		CHECK(out[at].kind == RS_REC_MMAP && at + out[at].arg < n);
		CHECK_U64(out[at].ip, 0x7f0000001000);
		memcpy(&info, &out[at + 1], sizeof info);
		CHECK_U64(info.inode, 0);
		CHECK_U64(info.build_id_len, 20);
		CHECK(memcmp(info.build_id, id, 20) == 0);
		CHECK(info.path_len == 14 &&
		    memcmp((char *)&out[at + 1] + sizeof info, "/tmp/copy-1.so", 14) == 0);
	}
	ring_free(r);
}

/* A SAMPLE record of event id 1 (IDENTIFIER, IP, TID, TIME, PERIOD) at
 * w; its size. */
static size_t
test_sample_rec(unsigned char *w, uint32_t tid, uint64_t ip, uint64_t time)
{
	struct perf_event_header h = { PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, 48 };
	uint64_t v[5] = { 1, ip, 0, time, 1 };
	uint32_t pids[2] = { 4242, tid };

	memcpy(&v[2], pids, 8);
	memcpy(w, &h, sizeof h);
	memcpy(w + sizeof h, v, sizeof v);
	return h.size;
}

/* A COMM record of an exec (sample_id trailer: TID, TIME, IDENTIFIER);
 * its size. */
static size_t
test_exec_rec(unsigned char *w, uint64_t time)
{
	struct perf_event_header h = { PERF_RECORD_COMM,
	    PERF_RECORD_MISC_COMM_EXEC, 48 };
	uint32_t pids[2] = { 4242, 4242 };
	uint64_t trailer[3] = { 0, time, 1 };

	memset(w, 0, 48);
	memcpy(w, &h, sizeof h);
	memcpy(w + 8, pids, 8);
	memcpy(w + 16, "sh", 3);
	memcpy(trailer, pids, 8);
	memcpy(w + 24, trailer, sizeof trailer);
	return h.size;
}

/*
 * The CPUs' rings are read oldest record first: an exec in one ring and
 * samples in another from before and after it come out in time order
 * (read ring by ring, the old image's samples came after the exec and
 * were looked up in the new image); a ring that wraps is read through.
 */
static void
test_perf_order(void)
{
	unsigned char a[256], b[256];
	struct sampler_replay_ring rings[2];
	struct sampler_opts o;
	struct rs_sample out[16];
	struct ring *r;
	size_t at = 0, bt = 0, n;
	unsigned ev = EVENT_CPU_CLOCK;
	static const uint64_t want[] = { 10, 25, 30, 40, 50 };
	uint64_t times[16];
	size_t k = 0;

	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	/* Ring a: the exec at 20, then samples of the new image. */
	at += test_exec_rec(a + at, 20);
	at += test_sample_rec(a + at, 4242, 0x2000, 30);
	at += test_sample_rec(a + at, 4242, 0x2000, 50);
	/* Ring b, written from 184 on so that its second record wraps: a
	 * sample of the old image before the exec, then two after. */
	bt = 184;
	for (size_t i = 0; i < 3; i++) {
		static const uint64_t t[] = { 10, 25, 40 };
		unsigned char w[48];
		size_t len = test_sample_rec(w, 4243, i ? 0x2000 : 0x1000, t[i]);

		for (size_t j = 0; j < len; j++)
			b[(bt + j) % sizeof b] = w[j];
		bt += len;
	}
	rings[0] = (struct sampler_replay_ring){ a, sizeof a, 0, at };
	rings[1] = (struct sampler_replay_ring){ b, sizeof b, 184, bt };
	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.rate.freq = 1000;
	r = ring_new(256);
	CHECK_U64(sampler_perf_replay(&o, &ev, 1, rings, 2, r), 0);
	n = ring_pop(r, out, 16);
	for (size_t i = 0; i < n && k < 16; i++)
		if (out[i].kind == RS_REC_SAMPLE)
			times[k++] = out[i].time;
	CHECK_U64(k, 5);
	for (size_t i = 0; i < k && i < 5; i++)
		CHECK_U64(times[i], want[i]);
	/* The exec is the second record, between the old image's sample
	 * and the new one's. */
	CHECK(n >= 2 && out[0].kind == RS_REC_SAMPLE && out[0].ip == 0x1000);
	CHECK(n >= 2 && out[1].kind == RS_REC_COMM);
	ring_free(r);
}

/* What the samples of the known chain looked like (test_cg). */
struct cg_counts {
	enum sampler_callgraph mode;
	uint32_t tid;			/* the child */
	size_t max_slots;		/* the largest unit */
	uint64_t samples;		/* the child's */
	uint64_t stacked;		/* ... with a stack */
	uint64_t user;			/* ... taken in user space */
	uint64_t user_ok;		/* ... whose stack starts at their ip */
	uint64_t kernel;		/* ... taken in the kernel */
	uint64_t kernel_ok;		/* ... whose chain is the kernel's part */
	uint64_t leaf;			/* ... in user space in stk_leaf */
	uint64_t leaf_ok;		/* ... with the known chain (fp) or
					 * the marker and return address on
					 * the stack copied (dwarf) */
	uint64_t bytes;			/* dwarf: user stack bytes copied */
};

/* Look at one unit of the known chain's samples. */
static void
test_cg_unit(const struct stk_unit *u, void *arg)
{
	struct cg_counts *c = arg;
	const struct rs_sample *x = u->sample;
	bool kernel = (x->flags & RS_SAMPLE_KERNEL) != 0;

	if (u->slots > c->max_slots)
		c->max_slots = u->slots;
	if (x->tid != c->tid || x->event != EVENT_CPU_CLOCK)
		return;
	c->samples++;
	c->stacked += (x->flags & RS_SAMPLE_STACK) != 0;
	c->kernel += kernel;
	c->user += !kernel;
	if (c->mode == SAMPLER_CG_FP) {
		/* One chain, user part after the kernel's. */
		if (u->have_user || u->nchain < 2)
			return;
		if (kernel && u->chain[0] == PERF_CONTEXT_KERNEL && u->chain[1] == x->ip)
			c->kernel_ok++;
		if (kernel || u->chain[0] != PERF_CONTEXT_USER || u->chain[1] != x->ip)
			return;
		c->user_ok++;
		if (!stk_in_leaf(x->ip))
			return;
		c->leaf++;
		if (u->nchain >= 4 && u->chain[2] == stk_shared[0] &&
		    u->chain[3] == stk_shared[1])
			c->leaf_ok++;
		return;
	}
	/* dwarf: the registers and the stack; a chain of the kernel's
	 * frames alone, for a sample in the kernel. */
	if (!u->have_user || u->user.mask != EVENTS_REGS_USER ||
	    u->user.sp != u->user.regs[RS_REG_SP] || u->nbytes == 0 ||
	    u->nbytes > SAMPLER_STACK_SIZE)
		return;
	c->bytes += u->nbytes;
	if (kernel) {
		bool user_part = false;

		for (size_t i = 0; i < u->nchain; i++)
			user_part = user_part || u->chain[i] == PERF_CONTEXT_USER;
		if (u->nchain >= 2 && u->chain[0] == PERF_CONTEXT_KERNEL &&
		    u->chain[1] == x->ip && !user_part)
			c->kernel_ok++;
		return;
	}
	if (u->chain != NULL || u->user.regs[RS_REG_IP] != x->ip)
		return;
	c->user_ok++;
	if (!stk_in_leaf(x->ip))
		return;
	c->leaf++;
	if (stk_has(u, stk_shared[2], STK_MAGIC) && stk_find(u, stk_shared[0]))
		c->leaf_ok++;
}

/* The known chain sampled with call stacks (mode) at 1 kHz for secs:
 * every sample of the child carries its stack, framed as one unit. */
static void
test_cg(enum sampler_callgraph mode, double secs)
{
	struct sampler_opts o;
	struct target t;
	struct sampler *s;
	struct ring *r = ring_new(1 << 18);
	struct stk_recs rc = { 0 };
	struct cg_counts c;
	struct sampler_stats st;
	uint64_t bad = 0;
	char *cause = NULL;
	pid_t child;

	memset(&c, 0, sizeof c);
	stk_setup();
	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		stk_outer(30);
		_exit(0);
	}
	CHECK(child > 0 && r != NULL);
	for (int i = 0; i < 200 && stk_shared[3] == 0; i++)
		test_sleep(0.01);
	CHECK(stk_shared[3] == 1);
	target_init(&t);
	CHECK(target_attach(&t, &child, 1, &cause) == 0);
	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.events[o.nevents++] = EVENT_CPU_CLOCK;
	o.rate.freq = 1000;
	o.callgraph = mode;
	if ((s = stk_run(&t, r, &o, secs, &rc)) == NULL)
		goto out;
	sampler_stats(s, &st);
	sampler_free(s);
	c.mode = mode;
	c.tid = (uint32_t)child;
	stk_walk(&rc, test_cg_unit, &c, &bad);
	fprintf(stderr, "-g %s: %" PRIu64 " samples (%" PRIu64 " lost, %" PRIu64
	    " malformed), %" PRIu64 " with a stack; user %" PRIu64 " (%" PRIu64
	    " as expected), kernel %" PRIu64 " (%" PRIu64 "); in the leaf %" PRIu64
	    ", %" PRIu64 " with the known stack; units up to %zu slots of %zu; %.0f stack bytes a sample\n",
	    mode == SAMPLER_CG_FP ? "fp" : "dwarf", c.samples,
	    st.lost[EVENT_CPU_CLOCK], st.malformed, c.stacked, c.user, c.user_ok,
	    c.kernel, c.kernel_ok, c.leaf, c.leaf_ok, c.max_slots,
	    sampler_slots_per_sample(&o),
	    c.samples ? (double)c.bytes / (double)c.samples : 0.0);
	CHECK_U64(bad, 0);
	CHECK_U64(st.malformed, 0);
	CHECK(c.samples > 200);
	CHECK_U64(c.stacked, c.samples);
	CHECK_U64(c.user_ok, c.user);
	CHECK_U64(c.kernel_ok, c.kernel);
	CHECK(c.leaf > 100);
	CHECK(c.leaf_ok * 10 >= c.leaf * 9);
	CHECK(c.max_slots <= sampler_slots_per_sample(&o));
out:
	target_free(&t);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ring_free(r);
	free(rc.v);
	munmap((void *)stk_shared, 4096);
}

/* What wait-time's samples looked like with call stacks (test_wait_cg). */
struct wait_cg_counts {
	uint32_t pid;
	uint64_t blocked;		/* blocked samples */
	uint64_t blocked_ok;		/* ... with a user stack at the site: sp and ip */
	uint64_t running;		/* wait-time's cpu-clock samples */
	uint64_t running_ok;		/* ... with a chain */
};

/* Look at one unit of the wait workload. */
static void
test_wait_cg_unit(const struct stk_unit *u, void *arg)
{
	struct wait_cg_counts *c = arg;
	const struct rs_sample *x = u->sample;

	if (x->pid != c->pid || x->event != EVENT_WAIT_TIME)
		return;
	if (!(x->flags & RS_SAMPLE_BLOCKED)) {
		c->running++;
		c->running_ok += u->chain != NULL && !u->have_user;
		return;
	}
	c->blocked++;
	if (u->have_user && u->chain == NULL &&
	    u->user.mask == (1ull << RS_REG_SP | 1ull << RS_REG_IP) &&
	    u->user.regs[RS_REG_IP] == x->ip && u->user.sp != 0 &&
	    u->user.regs[RS_REG_SP] == u->user.sp && u->nbytes > 0)
		c->blocked_ok++;
}

/* wait-time with -g fp: a blocked thread's sample comes after a user
 * stack from its wait site; a running one's after its chain. */
static void
test_wait_cg(void)
{
	struct sampler_opts o;
	struct target t;
	struct sampler *s = NULL;
	struct ring *r = ring_new(1 << 18);
	struct stk_recs rc = { 0 };
	struct wait_cg_counts c;
	uint64_t bad = 0;
	pid_t child;

	memset(&c, 0, sizeof c);
	CHECK(r != NULL);
	child = test_wait_start(&t);
	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.events[o.nevents++] = EVENT_WAIT_TIME;
	o.rate.freq = 1000;
	o.callgraph = SAMPLER_CG_FP;
	if ((s = stk_run(&t, r, &o, 0.6, &rc)) == NULL)
		goto out;
	sampler_free(s);
	c.pid = (uint32_t)child;
	stk_walk(&rc, test_wait_cg_unit, &c, &bad);
	fprintf(stderr, "wait-time -g fp: %" PRIu64 " blocked samples (%" PRIu64
	    " with the site's stack), %" PRIu64 " running (%" PRIu64 " with a chain)\n",
	    c.blocked, c.blocked_ok, c.running, c.running_ok);
	CHECK_U64(bad, 0);
	CHECK(c.blocked > 50);
	CHECK_U64(c.blocked_ok, c.blocked);
	CHECK(c.running > 20);
	CHECK_U64(c.running_ok, c.running);
out:
	test_wait_end(child, &t);
	ring_free(r);
	free(rc.v);
}

/* Slots of a stack record of bytes, header included. */
#define TEST_SLOTS(bytes)	(1 + RS_PAYLOAD_SLOTS(bytes))

/* The ring slots a sample takes: one without stacks; with them, what
 * the largest unit of the backends the kind may open needs. */
static void
test_slots(void)
{
	const size_t u = sizeof(struct rs_ustack);
	struct sampler_opts o;
	size_t dwarf;

	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	CHECK_U64(sampler_slots_per_sample(&o), 1);
	/* fp: the chain (127 frames and 8 markers), or a blocked thread's
	 * user stack (wait-time), the larger. */
	o.callgraph = SAMPLER_CG_FP;
	CHECK_U64(sampler_slots_per_sample(&o), TEST_SLOTS(u + 8192) + 1);
	o.max_stack = 1024;
	o.stack_size = 8;
	CHECK_U64(sampler_slots_per_sample(&o), TEST_SLOTS(1024 * 8) + 1);
	o.max_stack = 0;
	o.stack_size = 0;
	/* dwarf: the kernel's chain and the user stack. */
	o.callgraph = SAMPLER_CG_DWARF;
	dwarf = sampler_slots_per_sample(&o);
	CHECK_U64(dwarf, TEST_SLOTS(135 * 8) + TEST_SLOTS(u + 8192) + 1);
	o.callgraph = SAMPLER_CG_AUTO;
	CHECK_U64(sampler_slots_per_sample(&o), dwarf);
	/* ptrace, either mode: the user stack. */
	o.kind = SAMPLER_PTRACE;
	o.callgraph = SAMPLER_CG_FP;
	o.stack_size = 65528;
	CHECK_U64(sampler_slots_per_sample(&o), TEST_SLOTS(u + 65528) + 1);
	/* auto: the larger backend; sizes out of range kept within
	 * sample.h's limits; a size rounded up to a multiple of 8. */
	o.kind = SAMPLER_AUTO;
	o.callgraph = SAMPLER_CG_DWARF;
	o.stack_size = 1000000;
	o.max_stack = 100000;
	CHECK_U64(sampler_slots_per_sample(&o), TEST_SLOTS(RS_STACK_MAX_ENTRIES * 8) +
	    TEST_SLOTS(u + 65528) + 1);
	o.kind = SAMPLER_PTRACE;
	o.stack_size = 8185;
	CHECK_U64(sampler_slots_per_sample(&o), TEST_SLOTS(u + 8192) + 1);
}

/* sampler_open refuses an undecided mode; a --max-stack above the
 * kernel's limit is cut to it, with a notice. */
static void
test_cg_refused(void)
{
	char *argv[] = { test_target("work"), (char *)"1", NULL };
	long max = events_sysctl("perf_event_max_stack", -1);
	struct sampler_opts o;
	struct ring *r = ring_new(1 << 10);
	struct sampler *s = NULL;
	struct target t;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.events[o.nevents++] = EVENT_CPU_CLOCK;
	o.rate.freq = 1000;
	o.callgraph = SAMPLER_CG_AUTO;
	target_init(&t);
	CHECK(target_spawn(&t, argv, &cause) == 0);
	CHECK(sampler_open(&s, &t, r, &o, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "auto") != NULL);
	free(cause);
	cause = NULL;
	if (max > 0 && max < RS_STACK_MAX_ENTRIES) {
		size_t n;
		const struct sampler_event *se;

		/* Above the kernel's limit: opened, cut to the limit, said. */
		o.callgraph = SAMPLER_CG_FP;
		o.max_stack = (unsigned)max + 1;
		CHECK(sampler_open(&s, &t, r, &o, &cause) == 0);
		if (s != NULL) {
			se = sampler_events(s, &n);
			CHECK(n == 1 && se[0].notice != NULL &&
			    strstr(se[0].notice, "--max-stack") != NULL &&
			    strstr(se[0].notice, "perf_event_max_stack") != NULL);
			if (n == 1 && se[0].notice != NULL)
				fprintf(stderr, "--max-stack %ld: %s\n", max + 1, se[0].notice);
			sampler_free(s);
		}
		free(cause);
	}
	target_end(&t);
	target_free(&t);
	ring_free(r);
}

int
main(void)
{
	struct events_rate rate = { 1000, 0 };
	struct counts c;
	char *reason = NULL, *notice = NULL;

	test_perfrec();
	test_perfrec_mmap2();
	test_perf_order();
	test_slots();
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
		/* ... with its build-id, where the kernel tells it (5.12) */
		if (check_kernel_at_least(5, 12))
			CHECK(c.mmaps_id > 0);
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

	/* Call stacks. */
	test_cg(SAMPLER_CG_FP, 1.0);
	test_cg(SAMPLER_CG_DWARF, 1.0);
	test_wait_cg();
	test_cg_refused();
	return check_exit("test_sampler");
}
