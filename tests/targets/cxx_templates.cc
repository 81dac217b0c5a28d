// cxx_templates: C++ names to demangle, with a known profile.
//
// Each round runs rrs::hot_template<double> for four units, and
// rrs::hot_template<int> and a lambda for one unit each.  A double add
// costs at least as much as an int add, so hot_template<double> is the top
// function with two thirds or more of the samples; the other two share the
// rest.  The round's length varies at random so that a periodic sampler
// cannot lock onto it.  Demangled, the names are
// "double rrs::hot_template<double>(double)",
// "int rrs::hot_template<int>(int)" and
// "main::{lambda(unsigned long)#1}::operator()(unsigned long) const".
//
// Usage: cxx_templates [SECONDS]   (default 30; exits by itself)
#include <chrono>
#include <cstdlib>

// Keep each hot function whole and under its own name (no clones).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

namespace rrs {

// Iterations of the next call.
volatile unsigned long iterations;

// Adds STEP to an accumulator, iterations times.
template <typename T> HOT T
hot_template(T step)
{
	static volatile T acc;
	unsigned long n = iterations;

	for (unsigned long i = 0; i < n; i++)
		acc = acc + step;
	return acc;
}

template int hot_template<int>(int);
template double hot_template<double>(double);

} // namespace rrs

int
main(int argc, char **argv)
{
	using clock = std::chrono::steady_clock;
	double secs = argc > 1 ? std::atof(argv[1]) : 30;
	auto end = clock::now() + std::chrono::duration<double>(secs);
	unsigned long seed = 12345;
	static volatile unsigned long lambda_sink;
	auto spin = [](unsigned long n) HOT {
		for (unsigned long i = 0; i < n; i++)
			lambda_sink = lambda_sink + i;
	};

	while (clock::now() < end) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		unsigned long n = (1UL << 19) + (seed >> 33) % (1UL << 20);
		rrs::iterations = 4 * n;
		rrs::hot_template<double>(1.5);
		rrs::iterations = n;
		rrs::hot_template<int>(3);
		spin(n);
	}
	return 0;
}
