/*
 * Call stacks in the unit tests of both samplers: a workload with a known
 * call chain (stk_outer -> stk_inner -> stk_leaf, each in a section of
 * its own so its bounds are known, the leaf with a marker on its stack),
 * run in a forked child that tells its return addresses through shared
 * memory; and a reader of the ring's units (stack records, then their
 * sample) that checks their framing.
 */
#ifndef RS_TEST_STACK_UNITS_H
#define RS_TEST_STACK_UNITS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "target.h"

#define STK_MAGIC	0x5ca1ab1edeadbeefull

#if defined(__clang__)
#define STK_NOIPA	__attribute__((noinline))
#else
#define STK_NOIPA	__attribute__((noipa))
#endif

extern const char __start_stksec_leaf[], __stop_stksec_leaf[];

/* What the child tells: [0] the leaf's return address (into stk_inner),
 * [1] stk_inner's (into stk_outer), [2] the address of the leaf's
 * marker, [3] set once all three are. */
static volatile uint64_t *stk_shared;
static volatile uint64_t stk_sink;

/* The leaf: a marker on its stack, then burn for secs. Not instrumented
 * by ThreadSanitizer: its samples must land in its own code, not in the
 * runtime that each instrumented access calls. */
STK_NOIPA __attribute__((section("stksec_leaf"), no_sanitize("thread"))) static void
stk_leaf(double secs)
{
	volatile uint64_t mark[2] = { STK_MAGIC, STK_MAGIC };
	struct timespec t0, t;

	stk_shared[0] = (uint64_t)(uintptr_t)__builtin_return_address(0);
	stk_shared[2] = (uint64_t)(uintptr_t)&mark[0];
	stk_shared[3] = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (unsigned long i = 0; i < 200000; i++)
			stk_sink += i * 7 + mark[1];
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) +
	    (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
}

/* The leaf's caller (not a tail call). */
STK_NOIPA __attribute__((section("stksec_inner"))) static void
stk_inner(double secs)
{
	stk_shared[1] = (uint64_t)(uintptr_t)__builtin_return_address(0);
	stk_leaf(secs);
	stk_sink++;
}

/* The root of the known chain. */
STK_NOIPA __attribute__((section("stksec_outer"))) static void
stk_outer(double secs)
{
	stk_inner(secs);
	stk_sink++;
}

/* Map the shared words (before forking the child). */
static void
stk_setup(void)
{
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		abort();
	stk_shared = m;
	memset(m, 0, 4096);
}

/* Whether ip is in the leaf. */
static bool
stk_in_leaf(uint64_t ip)
{
	return ip >= (uint64_t)(uintptr_t)__start_stksec_leaf &&
	    ip < (uint64_t)(uintptr_t)__stop_stksec_leaf;
}

/* Records popped from a ring, in order. */
struct stk_recs {
	struct rs_sample *v;
	size_t n;
	size_t cap;
};

/* Pop everything from the ring into rc. */
static void
stk_drain(struct ring *r, struct stk_recs *rc)
{
	struct rs_sample buf[256];
	size_t n;

	while ((n = ring_pop(r, buf, 256)) > 0) {
		if (rc->n + n > rc->cap) {
			rc->cap = (rc->n + n) * 2;
			rc->v = realloc(rc->v, rc->cap * sizeof *rc->v);
			if (rc->v == NULL)
				abort();
		}
		memcpy(rc->v + rc->n, buf, n * sizeof *buf);
		rc->n += n;
	}
}

/* Open a sampler of o on t, start it, drain r into rc every 100 ms for
 * secs, stop it and drain the rest: the sampler, stopped, or NULL (the
 * cause printed, a CHECK failed). */
static struct sampler *
stk_run(struct target *t, struct ring *r, const struct sampler_opts *o,
    double secs, struct stk_recs *rc)
{
	struct sampler *s = NULL;
	char *cause = NULL;

	if (sampler_open(&s, t, r, o, &cause) < 0) {
		fprintf(stderr, "sampler_open: %s\n", cause);
		CHECK(!"sampler_open failed");
		free(cause);
		return NULL;
	}
	CHECK(sampler_start(s, &cause) == 0);
	for (double left = secs; left > 0; left -= 0.1) {
		struct timespec ts = { 0, 100000000 };

		nanosleep(&ts, NULL);
		stk_drain(r, rc);
	}
	sampler_stop(s);
	stk_drain(r, rc);
	return s;
}

/* One sample as the ring gave it, with its stack records. */
struct stk_unit {
	const struct rs_sample *sample;
	const uint64_t *chain;		/* RS_STACK_CHAIN entries, or NULL */
	size_t nchain;
	struct rs_ustack user;		/* RS_STACK_USER, where have_user */
	bool have_user;
	const unsigned char *bytes;	/* ... its stack from user.sp */
	size_t nbytes;
	size_t slots;			/* the unit's slots */
};

/* Call fn on every sample of rc, with its stacks; count a unit framed
 * wrongly (a stack record with the wrong payload count, of another
 * thread or time than its sample, not followed by a stacked sample; a
 * stacked sample without stack records; two of a kind) in *bad. */
static void
stk_walk(const struct stk_recs *rc, void (*fn)(const struct stk_unit *, void *),
    void *arg, uint64_t *bad)
{
	for (size_t i = 0; i < rc->n;) {
		const struct rs_sample *x = &rc->v[i];
		struct stk_unit u;
		size_t start = i;

		if (x->kind == RS_REC_MMAP) {
			i += 1 + x->arg;
			continue;
		}
		if (x->kind != RS_REC_STACK && x->kind != RS_REC_SAMPLE) {
			i++;
			continue;
		}
		memset(&u, 0, sizeof u);
		while (i < rc->n && rc->v[i].kind == RS_REC_STACK) {
			const struct rs_sample *h = &rc->v[i];
			const unsigned char *p = (const unsigned char *)(h + 1);
			size_t bytes;

			if (h->period == RS_STACK_CHAIN) {
				bytes = (size_t)h->ip * 8;
				if (u.chain != NULL || h->ip > RS_STACK_MAX_ENTRIES)
					(*bad)++;
				u.chain = (const uint64_t *)(const void *)p;
				u.nchain = (size_t)h->ip;
			} else if (h->period == RS_STACK_USER) {
				bytes = sizeof u.user + (size_t)h->ip;
				if (u.have_user || h->ip > RS_STACK_MAX_BYTES)
					(*bad)++;
				memcpy(&u.user, p, sizeof u.user);
				u.have_user = true;
				u.bytes = p + sizeof u.user;
				u.nbytes = (size_t)h->ip;
			} else {
				(*bad)++;
				bytes = 0;
			}
			if (h->arg != RS_PAYLOAD_SLOTS(bytes) || i + 1 + h->arg >= rc->n) {
				(*bad)++;
				return;
			}
			i += 1 + h->arg;
			if (rc->v[i].kind == RS_REC_SAMPLE &&
			    (rc->v[i].tid != h->tid || rc->v[i].pid != h->pid ||
			    rc->v[i].time != h->time || rc->v[i].event != h->event))
				(*bad)++;
		}
		if (i == rc->n)
			break;
		u.sample = &rc->v[i++];
		u.slots = i - start;
		if (u.sample->kind != RS_REC_SAMPLE ||
		    ((u.sample->flags & RS_SAMPLE_STACK) != 0) !=
		    (u.chain != NULL || u.have_user)) {
			(*bad)++;
			continue;
		}
		fn(&u, arg);
	}
}

/* Whether the 8 bytes at addr of the sampled thread are in u's copy of
 * its stack, holding v. */
static bool
stk_has(const struct stk_unit *u, uint64_t addr, uint64_t v)
{
	uint64_t w;

	if (addr < u->user.sp || addr - u->user.sp + 8 > u->nbytes)
		return false;
	memcpy(&w, u->bytes + (addr - u->user.sp), 8);
	return w == v;
}

/* Whether v is anywhere in u's copy of the stack, 8-aligned. */
static bool
stk_find(const struct stk_unit *u, uint64_t v)
{
	for (size_t off = 0; off + 8 <= u->nbytes; off += 8) {
		uint64_t w;

		memcpy(&w, u->bytes + off, 8);
		if (w == v)
			return true;
	}
	return false;
}

#endif
