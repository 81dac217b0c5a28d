// callgraph_cxx: a C++ call tree through templates, known by construction.
//
// Every hot loop is the same chain of dependent operations on an unsigned
// long whatever the template argument (CG_SPIN, in libcg.h: its cost per
// iteration is bound by latency, the same everywhere), so the share of
// on-CPU time of each part of the tree is its share of the iterations.  Each
// round runs five units:
//
//                                             TOTAL   SELF
//   main                                       100      0
//     cg::Worker<int>::run(unsigned long)       60      0
//       void cg::spin<int>(unsigned long)       60     60   3 units
//     cg::Worker<long>::run(unsigned long)      40     20   1 unit
//       void cg::spin<long>(unsigned long)      20     20   1 unit
//
// (the names as demangled, with parameters; the function templates with
// their return type in front).  Nothing is inlined, cloned or left by a
// tail call, in any build; spin calls frame first so that it is not a
// leaf, which GCC 12 would give no frame pointer.  The length of a unit
// varies at random from round to round, so that a periodic sampler cannot
// lock onto the rounds.
//
// Usage: callgraph_cxx [SECONDS]   (default 30; exits by itself)
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "libcg.h"

namespace cg {

// A store after each call: no tail calls.
volatile unsigned long calls;

// Where the loops of spin<T> and Worker<T>::run leave their results.
template <typename T> volatile unsigned long spin_sink;
template <typename T> volatile unsigned long run_sink;

// Called before spin's loop so that spin is not a leaf: GCC 12 gives a
// leaf no frame pointer whatever the flags, and a frame pointer walk from
// a leaf without one skips its caller.
CG_KEEP void
frame()
{
	calls = calls + 1;
}

// N iterations of the hot loop.
template <typename T> CG_KEEP void
spin(unsigned long n)
{
	frame();
	CG_SPIN(n, spin_sink<T>);
}

// OWN units in its own loop, then SPUN units in spin<T>.
template <typename T> struct Worker {
	unsigned long own;
	unsigned long spun;

	CG_KEEP void run(unsigned long n);
};

// Runs one round's share of this worker for units of N iterations.
template <typename T> CG_KEEP void
Worker<T>::run(unsigned long n)
{
	CG_SPIN(own * n, run_sink<T>);
	spin<T>(spun * n);
	calls = calls + 1;
}

template struct Worker<int>;
template struct Worker<long>;

} // namespace cg

int
main(int argc, char **argv)
{
	using clock = std::chrono::steady_clock;
	char *endp = nullptr;
	double secs = argc > 1 ? std::strtod(argv[1], &endp) : 30;
	if (argc > 1 && (endp == argv[1] || *endp != '\0' || secs < 0)) {
		std::fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
		return 2;
	}
	auto end = clock::now() + std::chrono::duration<double>(secs);
	unsigned long seed = 12345, n;
	cg::Worker<int> wi = { 0, 3 };
	cg::Worker<long> wl = { 1, 1 };

	while (clock::now() < end) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = (1UL << 19) / 3 + (seed >> 33) % (1UL << 19);
		wi.run(n);
		cg::calls = cg::calls + 1;
		wl.run(n);
		cg::calls = cg::calls + 1;
	}
	return 0;
}
