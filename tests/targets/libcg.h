/* libcg.h: what the callgraph targets (callgraph.c, callgraph_cxx.cc) and
 * the shared library libcg (libcg.c) share: the hot loop, the attribute
 * that keeps functions whole, and lib_work. */
#ifndef LIBCG_H
#define LIBCG_H

/* Keep each function whole and under its own name: no inlining, no
 * clones (.constprop, .isra), no folding of identical bodies. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define CG_KEEP __attribute__((noipa))
#else
#define CG_KEEP __attribute__((noinline))
#endif

/* N iterations of one chain of dependent operations on a register (shift,
 * xor, multiply: about five cycles each, bound by their latency, so the
 * same wherever the loop sits and however the compiler unrolls it), the
 * result stored in the volatile SINK.  Every hot loop of the target is
 * this one, so an iteration costs the same in every function. */
#define CG_SPIN(n, sink) do { \
	unsigned long cg_x_ = (n), cg_i_, cg_n_ = (n); \
	for (cg_i_ = 0; cg_i_ < cg_n_; cg_i_++) \
		cg_x_ = (cg_x_ ^ (cg_x_ >> 31)) * 0xbf58476d1ce4e5b9UL; \
	(sink) = cg_x_; \
} while (0)

#ifdef __cplusplus
extern "C" {
#endif

/* One unit of N iterations in the library, then CALLBACK(N). */
void lib_work(unsigned long n, void (*callback)(unsigned long));

#ifdef __cplusplus
}
#endif

#endif
