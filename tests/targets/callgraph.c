/* callgraph: one busy thread whose call tree is known by construction.
 *
 * Every hot loop is the same chain of dependent operations (CG_SPIN, in
 * libcg.h: a shift, an xor and a multiply on one register, about five
 * cycles an iteration, bound by their latency and not by where the loop
 * sits in memory), so an iteration costs the same wherever it runs, and
 * the share of on-CPU time of each part of the tree is its share of the
 * iterations.
 * Each round runs ten units of iterations, split like this (TOTAL is the
 * share of the samples whose stack holds the function, SELF the share in
 * which it is the leaf):
 *
 *                                         TOTAL   SELF
 *   main                                   100      0
 *     outer                                 50      0
 *       left                                30      0   60 % of outer
 *         burn          3 units             30     30
 *       right           2 units             20     20   40 % of outer
 *     recurse (6 frames: depth 5 to 0)      30     30   3 units at depth 0
 *     via_lib                               20      0
 *       lib_work        1 unit (libcg)      20     10
 *         lib_callback  1 unit              10     10   called back by lib_work
 *
 * So the folded stacks are main;outer;left;burn (30 %), main;outer;right
 * (20 %), main;recurse;recurse;recurse;recurse;recurse;recurse (30 %),
 * main;via_lib;lib_work (10 %) and main;via_lib;lib_work;lib_callback
 * (10 %), under whatever frames of the C library are above main.  recurse
 * appears six times in its stacks but is on 30 % of them, not 180 %.
 *
 * No function is inlined, cloned, folded with another or left by a tail
 * call (each call is followed by a store to cg_calls), so every frame
 * above exists in every build (with or without frame pointers, -O1 or
 * -O2).  Each hot function calls cg_frame before its loop, so that none is
 * a leaf: GCC 12 gives a leaf no frame pointer whatever the flags
 * (-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer), and a frame
 * pointer walk from a leaf without one skips its caller.  The length of a
 * unit varies at random from round to round (the same factor for the whole
 * round), so that a sampler with a fixed period cannot lock onto the
 * rounds' phase.
 *
 * Usage: callgraph [SECONDS]   (default 30; exits by itself) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "libcg.h"

#define UNIT (1UL << 19)	/* iterations per unit: about 0.3 ms to 1.5 ms */
#define RECURSE_DEPTH 5	/* recurse(5) .. recurse(0): six frames */

void outer(unsigned long n);
void left(unsigned long n);
void right(unsigned long n);
void burn(unsigned long n);
void cg_frame(void);
void recurse(int depth, unsigned long n);
void via_lib(unsigned long n);
void lib_callback(unsigned long n);

volatile unsigned long cg_calls;	/* a store after each call: no tail calls */
volatile unsigned long cg_sink_burn;
volatile unsigned long cg_sink_right;
volatile unsigned long cg_sink_recurse;
volatile unsigned long cg_sink_callback;

/* Makes its caller a non-leaf (see the top of this file). */
CG_KEEP void
cg_frame(void)
{
	cg_calls++;
}

/* N iterations: the leaf under left. */
CG_KEEP void
burn(unsigned long n)
{
	cg_frame();
	CG_SPIN(n, cg_sink_burn);
}

/* Three units, all in burn. */
CG_KEEP void
left(unsigned long n)
{
	burn(3 * n);
	cg_calls++;
}

/* Two units in its own loop. */
CG_KEEP void
right(unsigned long n)
{
	cg_frame();
	CG_SPIN(2 * n, cg_sink_right);
}

/* left then right: 60 % and 40 % of outer's time. */
CG_KEEP void
outer(unsigned long n)
{
	left(n);
	cg_calls++;
	right(n);
	cg_calls++;
}

/* Calls itself DEPTH times, then runs three units at the bottom. */
CG_KEEP void
recurse(int depth, unsigned long n)
{
	if (depth > 0) {
		recurse(depth - 1, n);
		cg_calls++;
		return;
	}
	cg_frame();
	CG_SPIN(3 * n, cg_sink_recurse);
}

/* One unit, called back from lib_work in libcg. */
CG_KEEP void
lib_callback(unsigned long n)
{
	cg_frame();
	CG_SPIN(n, cg_sink_callback);
}

/* Into the shared library: lib_work runs one unit, then calls back. */
CG_KEEP void
via_lib(unsigned long n)
{
	lib_work(n, lib_callback);
	cg_calls++;
}

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Duration from argv[1], or the default. */
static double
duration(int argc, char **argv, double dflt)
{
	char *end;
	double d;

	if (argc < 2)
		return dflt;
	d = strtod(argv[1], &end);
	if (end == argv[1] || *end != '\0' || d < 0) {
		fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
		exit(2);
	}
	return d;
}

int
main(int argc, char **argv)
{
	double end = now() + duration(argc, argv, 30);
	unsigned long seed = 12345, n;

	while (now() < end) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = UNIT / 3 + (seed >> 33) % UNIT;
		outer(n);
		cg_calls++;
		recurse(RECURSE_DEPTH, n);
		cg_calls++;
		via_lib(n);
		cg_calls++;
	}
	return 0;
}
