/* Unit tests for the SPSC ring: one-thread semantics, then two threads. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "ring.h"

#define THREAD_RECORDS	5000000u

/* Fill a record whose every field derives from seq. */
static void
make_rec(struct rs_sample *s, uint64_t seq)
{
	s->ip = seq;
	s->time = seq * 3 + 1;
	s->period = ~seq;
	s->pid = (uint32_t)seq ^ 0x5a5a5a5au;
	s->tid = (uint32_t)(seq >> 7) + 11;
	s->arg = (uint32_t)seq * 7u;
	s->event = (uint16_t)(seq * 13);
	s->kind = (uint8_t)(seq % 7 + 1);
	s->flags = (uint8_t)(seq & 1);
}

/* Whether a record carries exactly the fields make_rec gives seq. */
static bool
rec_ok(const struct rs_sample *s, uint64_t seq)
{
	struct rs_sample want;

	make_rec(&want, seq);
	return s->ip == want.ip && s->time == want.time &&
	    s->period == want.period && s->pid == want.pid &&
	    s->tid == want.tid && s->arg == want.arg &&
	    s->event == want.event && s->kind == want.kind &&
	    s->flags == want.flags;
}

/* Bad capacities are refused with EINVAL, absurd ones with ENOMEM. */
static void
test_bad_capacity(void)
{
	static const size_t bad[] = { 0, 1, 3, 6, 1000, 4097 };
	struct ring *r;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		r = ring_new(bad[i]);
		CHECK(r == NULL);
		CHECK(errno == EINVAL);
		ring_free(r);
	}

	errno = 0;
	r = ring_new((size_t)1 << (sizeof(size_t) * 8 - 2));
	CHECK(r == NULL);
	CHECK(errno == ENOMEM);

	r = ring_new(2);
	CHECK(r != NULL);
	if (r != NULL)
		CHECK_U64(ring_capacity(r), 2);
	ring_free(r);
}

/* Order, counts, full ring, partial pops. */
static void
test_basic(void)
{
	struct rs_sample s, out[16];
	struct ring *r = ring_new(8);
	uint64_t seq;
	size_t n, i;

	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_U64(ring_capacity(r), 8);
	CHECK_U64(ring_count(r), 0);
	CHECK_U64(ring_dropped(r), 0);
	CHECK_U64(ring_pop(r, out, 16), 0);

	for (seq = 0; seq < 8; seq++) {
		make_rec(&s, seq);
		CHECK(ring_push(r, &s));
	}
	CHECK_U64(ring_count(r), 8);

	/* Full: every further push is refused and counted exactly. */
	for (i = 0; i < 5; i++) {
		make_rec(&s, 100 + i);
		CHECK(!ring_push(r, &s));
	}
	CHECK_U64(ring_dropped(r), 5);
	CHECK_U64(ring_count(r), 8);

	/* max 0 moves nothing. */
	CHECK_U64(ring_pop(r, out, 0), 0);
	CHECK_U64(ring_count(r), 8);

	/* Pop fewer than are waiting: the oldest come first. */
	n = ring_pop(r, out, 3);
	CHECK_U64(n, 3);
	for (i = 0; i < n; i++)
		CHECK(rec_ok(&out[i], i));
	CHECK_U64(ring_count(r), 5);

	/* Room again: three more fit, the fourth is dropped. */
	for (seq = 8; seq < 11; seq++) {
		make_rec(&s, seq);
		CHECK(ring_push(r, &s));
	}
	make_rec(&s, 999);
	CHECK(!ring_push(r, &s));
	CHECK_U64(ring_dropped(r), 6);

	/* The rest, across the wrap, in order and nothing from the drops. */
	n = ring_pop(r, out, 16);
	CHECK_U64(n, 8);
	for (i = 0; i < n; i++)
		CHECK(rec_ok(&out[i], 3 + i));
	CHECK_U64(ring_count(r), 0);
	CHECK_U64(ring_pop(r, out, 16), 0);
	CHECK_U64(ring_dropped(r), 6);

	ring_free(r);
}

/* Many laps around a small ring with uneven push and pop sizes. */
static void
test_wrap(void)
{
	struct rs_sample s, out[32];
	struct ring *r = ring_new(16);
	uint64_t next_in = 0, next_out = 0, bad = 0, drops = 0;
	unsigned round, k, want_push, want_pop;
	size_t n, i;

	CHECK(r != NULL);
	if (r == NULL)
		return;
	for (round = 0; round < 20000; round++) {
		want_push = (round * 7) % 19;
		want_pop = (round * 5) % 23;
		for (k = 0; k < want_push; k++) {
			make_rec(&s, next_in);
			if (ring_push(r, &s))
				next_in++;
			else
				drops++;
		}
		if (ring_count(r) > 16)
			bad++;
		n = ring_pop(r, out, want_pop);
		for (i = 0; i < n; i++) {
			if (!rec_ok(&out[i], next_out))
				bad++;
			next_out++;
		}
	}
	while ((n = ring_pop(r, out, 32)) != 0) {
		for (i = 0; i < n; i++) {
			if (!rec_ok(&out[i], next_out))
				bad++;
			next_out++;
		}
	}
	CHECK_U64(bad, 0);
	CHECK_U64(next_out, next_in);
	CHECK(next_in > 16 * 1000);	/* many laps */
	CHECK_U64(ring_dropped(r), drops);
	CHECK(drops > 0);
	CHECK_U64(ring_count(r), 0);
	ring_free(r);
}

struct two {
	struct ring *r;
	bool retry;		/* producer spins until each push fits */
	atomic_bool done;

	/* Producer's results. */
	uint64_t accepted;
	uint64_t refused;

	/* Consumer's results. */
	uint64_t received;
	uint64_t out_of_order;
	uint64_t corrupt;
	uint64_t last;
};

/* Producer thread: push THREAD_RECORDS sequenced records. */
static void *
two_producer(void *arg)
{
	struct two *t = arg;
	struct rs_sample s;
	uint64_t seq;

	for (seq = 0; seq < THREAD_RECORDS; seq++) {
		make_rec(&s, seq);
		for (;;) {
			if (ring_push(t->r, &s)) {
				t->accepted++;
				break;
			}
			t->refused++;
			if (!t->retry)
				break;
		}
	}
	atomic_store_explicit(&t->done, true, memory_order_release);
	return NULL;
}

/* Consumer thread: pop until the producer is done and the ring empty. */
static void *
two_consumer(void *arg)
{
	struct two *t = arg;
	struct rs_sample out[256];
	bool first = true, finished = false;
	size_t n, i;

	for (;;) {
		n = ring_pop(t->r, out, sizeof out / sizeof out[0]);
		if (n == 0) {
			if (finished)
				break;
			/* Once done is seen every record is visible: one more
			 * round of pops drains them. */
			if (atomic_load_explicit(&t->done, memory_order_acquire))
				finished = true;
			else
				sched_yield();
			continue;
		}
		for (i = 0; i < n; i++) {
			if (!first && out[i].ip <= t->last)
				t->out_of_order++;
			if (!rec_ok(&out[i], out[i].ip))
				t->corrupt++;
			t->last = out[i].ip;
			first = false;
		}
		t->received += n;
	}
	return NULL;
}

/* One producer and one consumer on their own threads. */
static void
run_two(size_t capacity, bool retry)
{
	struct two t;
	pthread_t p, c;

	memset(&t, 0, sizeof t);
	atomic_init(&t.done, false);
	t.retry = retry;
	t.r = ring_new(capacity);
	CHECK(t.r != NULL);
	if (t.r == NULL)
		return;

	CHECK(pthread_create(&c, NULL, two_consumer, &t) == 0);
	CHECK(pthread_create(&p, NULL, two_producer, &t) == 0);
	pthread_join(p, NULL);
	pthread_join(c, NULL);

	CHECK_U64(t.out_of_order, 0);
	CHECK_U64(t.corrupt, 0);
	CHECK_U64(t.received, t.accepted);
	CHECK_U64(ring_dropped(t.r), t.refused);
	if (retry) {
		/* Nothing lost: all of them, in order, last one included. */
		CHECK_U64(t.received, THREAD_RECORDS);
		CHECK_U64(t.last, THREAD_RECORDS - 1);
	} else {
		CHECK_U64(t.received + ring_dropped(t.r), THREAD_RECORDS);
		CHECK(t.received > 0);
	}
	fprintf(stderr, "test_ring: %s, capacity %zu: %" PRIu64 " received, "
	    "%" PRIu64 " refused pushes\n", retry ? "retry" : "drop",
	    capacity, t.received, ring_dropped(t.r));
	ring_free(t.r);
}

/* Entry point. */
/* ring_push_n: a unit goes in whole or not at all, in order, and its
 * records come out contiguous even across the wrap point. */
static void
test_push_n(void)
{
	struct ring *r = ring_new(8);
	struct rs_sample in[8], out[8];
	size_t got;

	memset(in, 0, sizeof in);
	for (int i = 0; i < 8; i++)
		in[i].ip = 100 + (uint64_t)i;
	CHECK(ring_push_n(r, in, 3));
	CHECK_U64(ring_count(r), 3);
	CHECK(!ring_push_n(r, in, 6));		/* 3 + 6 > 8: nothing written */
	CHECK_U64(ring_count(r), 3);
	CHECK_U64(ring_dropped(r), 6);
	CHECK(ring_push_n(r, in, 5));		/* exactly full */
	CHECK(!ring_push(r, in));
	CHECK_U64(ring_dropped(r), 7);
	got = ring_pop(r, out, 8);
	CHECK_U64(got, 8);
	CHECK_U64(out[2].ip, 102);
	CHECK_U64(out[3].ip, 100);
	CHECK_U64(out[7].ip, 104);
	/* Wrap: tail and head now at 8; push 3, pop 3, push 7 across the end. */
	CHECK(ring_push_n(r, in, 3));
	CHECK_U64(ring_pop(r, out, 8), 3);
	CHECK(ring_push_n(r, in + 1, 7));
	got = ring_pop(r, out, 8);
	CHECK_U64(got, 7);
	for (size_t i = 0; i < got; i++)
		CHECK_U64(out[i].ip, 101 + i);
	CHECK(!ring_push_n(r, in, 9));		/* larger than the ring */
	CHECK_U64(ring_count(r), 0);
	ring_free(r);
}

int
main(void)
{
	test_push_n();
	test_bad_capacity();
	test_basic();
	test_wrap();
	run_two(1024, false);
	run_two(64, false);
	run_two(1 << 16, true);
	return check_exit("test_ring");
}
