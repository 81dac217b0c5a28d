/*
 * The unit tests' harness: CHECK macros that report the failing line and
 * keep going, and check_exit() to turn the count into an exit status
 * (0 pass, 1 fail; 77 is automake's skip).
 */
#ifndef RS_CHECK_H
#define RS_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_U64(a, b) do { \
	uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b); \
	check_count++; \
	if (check_a_ != check_b_) { \
		fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%" PRIu64 " != %" PRIu64 ")\n", \
		    __FILE__, __LINE__, #a, #b, check_a_, check_b_); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *check_a_ = (a), *check_b_ = (b); \
	check_count++; \
	if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_) != 0) { \
		fprintf(stderr, "%s:%d: CHECK failed: %s == %s (\"%s\" != \"%s\")\n", \
		    __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)", \
		    check_b_ ? check_b_ : "(null)"); \
		check_failures++; \
	} \
} while (0)

/* Run a shell command made from fmt (fixtures built at test time); true
 * if it exited 0. */
static inline bool __attribute__((format(printf, 1, 2)))
check_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	r = system(cmd);
	return r != -1 && WIFEXITED(r) && WEXITSTATUS(r) == 0;
}

/* Whether the running kernel is at least major.minor. */
static inline bool
check_kernel_at_least(int major, int minor)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return false;
	return a > major || (a == major && b >= minor);
}

/* Print a summary and return the process exit status. */
static inline int
check_exit(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
