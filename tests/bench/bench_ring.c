/* Ring throughput across two threads, and the producer's cost per push. */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "ring.h"

#define BENCH_THREAD_RECORDS	20000000u
#define BENCH_CAPACITY		4096u
#define BENCH_PUSH_ROUNDS	4000u

struct bench {
	struct ring *r;
	uint64_t records;
	int cpu[2];		/* producer's and consumer's, -1 to float */
	atomic_bool done;
	uint64_t received;
	uint64_t sum;
};

/* Busy-wait a little, then give the CPU away (the machine may be busy). */
static void
bench_wait(unsigned *spins)
{
	if (++*spins < 4096)
		return;
	*spins = 0;
	sched_yield();
}

/* Keep the calling thread on one CPU, if there is one to choose. */
static void
bench_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* Pick two distinct CPUs we may run on, or -1 for both. */
static void
bench_cpus(int cpu[2])
{
	cpu_set_t set;
	int i, n = 0;

	cpu[0] = cpu[1] = -1;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return;
	for (i = 0; i < CPU_SETSIZE && n < 2; i++) {
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
	}
	if (n < 2)
		cpu[0] = cpu[1] = -1;
}

/* Producer: push every record, waiting while the ring is full. */
static void *
bench_producer(void *arg)
{
	struct bench *b = arg;
	struct rs_sample s = { .kind = RS_REC_SAMPLE, .period = 1 };
	unsigned spins = 0;
	uint64_t i;

	bench_pin(b->cpu[0]);
	for (i = 0; i < b->records; i++) {
		s.ip = i;
		s.time = i;
		while (!ring_push(b->r, &s))
			bench_wait(&spins);
	}
	atomic_store_explicit(&b->done, true, memory_order_release);
	return NULL;
}

/* Consumer: pop in batches until the producer is done and the ring empty. */
static void *
bench_consumer(void *arg)
{
	struct bench *b = arg;
	struct rs_sample out[512];
	bool finished = false;
	unsigned spins = 0;
	size_t n, i;

	bench_pin(b->cpu[1]);
	for (;;) {
		n = ring_pop(b->r, out, sizeof out / sizeof out[0]);
		if (n == 0) {
			if (finished)
				break;
			if (atomic_load_explicit(&b->done, memory_order_acquire))
				finished = true;
			else
				bench_wait(&spins);
			continue;
		}
		spins = 0;
		for (i = 0; i < n; i++)
			b->sum += out[i].ip;
		b->received += n;
	}
	return NULL;
}

/* Records per second through the ring with one producer and one consumer. */
static double
bench_threads(void)
{
	struct bench b = { .records = BENCH_THREAD_RECORDS };
	pthread_t p, c;
	uint64_t t0, t1;

	atomic_init(&b.done, false);
	bench_cpus(b.cpu);
	b.r = ring_new(BENCH_CAPACITY);
	if (b.r == NULL) {
		perror("ring_new");
		exit(1);
	}
	t0 = bench_ns();
	if (pthread_create(&c, NULL, bench_consumer, &b) != 0 ||
	    pthread_create(&p, NULL, bench_producer, &b) != 0) {
		perror("pthread_create");
		exit(1);
	}
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	t1 = bench_ns();
	ring_free(b.r);
	return (double)b.received / ((double)(t1 - t0) / 1e9);
}

/* Nanoseconds per push on one thread, emptying the ring between rounds. */
static double
bench_push(void)
{
	static struct rs_sample out[BENCH_CAPACITY];
	struct rs_sample s = { .kind = RS_REC_SAMPLE, .period = 1 };
	struct ring *r = ring_new(BENCH_CAPACITY);
	uint64_t spent = 0, pushed = 0, t0;
	unsigned round, i;

	if (r == NULL) {
		perror("ring_new");
		exit(1);
	}
	for (round = 0; round < BENCH_PUSH_ROUNDS; round++) {
		t0 = bench_ns();
		for (i = 0; i < BENCH_CAPACITY; i++) {
			s.ip = i;
			s.time = round;
			ring_push(r, &s);
		}
		spent += bench_ns() - t0;
		pushed += BENCH_CAPACITY;
		ring_pop(r, out, BENCH_CAPACITY);
	}
	ring_free(r);
	return (double)spent / (double)pushed;
}

/* Entry point. */
int
main(void)
{
	double rate = bench_threads();
	double ns = bench_push();

	printf("ring: %.1f M records/s across threads, %.1f ns per push "
	    "(sampler budget < 1 us per sample)\n", rate / 1e6, ns);
	return 0;
}
