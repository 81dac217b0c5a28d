/*
 * Unit tests for options: every option and its value, the defaults, the
 * checks between options, --help and --version, and each usage error's
 * exact message.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "options.h"
#include "xmalloc.h"

#define MAX_ARGS	64

static char *args[MAX_ARGS + 2];

/* Parse "rrstat-top" and the arguments up to NULL into o. */
static int
parse(struct options *o, char **cause, ...)
{
	const char *a;
	va_list ap;
	int argc = 0;

	args[argc++] = (char *)"rrstat-top";
	va_start(ap, cause);
	while ((a = va_arg(ap, const char *)) != NULL && argc <= MAX_ARGS)
		args[argc++] = (char *)a;
	va_end(ap);
	args[argc] = NULL;
	*cause = NULL;
	return options_parse(o, argc, args, cause);
}

#define PARSE(o, cause, ...) parse((o), (cause), __VA_ARGS__, (const char *)NULL)

/* The command line fails with exactly msg. */
#define CHECK_BAD(msg, ...) do { \
	struct options o_; \
	char *c_; \
	CHECK(PARSE(&o_, &c_, __VA_ARGS__) == -1); \
	CHECK_STR(c_, (msg)); \
	free(c_); \
} while (0)

/* The command line is good; o holds it. */
#define CHECK_GOOD(o, ...) do { \
	char *c_; \
	CHECK(PARSE((o), &c_, __VA_ARGS__) == OPTIONS_RUN); \
	CHECK(c_ == NULL); \
	free(c_); \
} while (0)

/* One pid and nothing else: the defaults. */
static void
test_defaults(void)
{
	struct options o;

	CHECK_GOOD(&o, "-p", "42");
	CHECK_U64(o.npids, 1);
	CHECK_U64(o.pids[0], 42);
	CHECK(o.command == NULL && !o.demo && !o.list_events);
	CHECK_U64(o.nevents, 1);
	CHECK_U64(o.events[0], EVENT_CPU_CLOCK);
	CHECK_U64(o.rate.freq, 1000);
	CHECK_U64(o.rate.period, 0);
	CHECK(o.delay == 1.0);
	CHECK_U64(o.iterations, 0);
	CHECK(o.duration == 0 && o.window == 0);
	CHECK(!o.batch && o.output == NULL);
	CHECK(o.format == EXPORT_TEXT);
	CHECK(o.sort == VIEW_SORT_SELF);
	CHECK(o.call_graph == SAMPLER_CG_NONE);
	CHECK_U64(o.max_stack, 127);
	CHECK_U64(o.stack_size, 8192);
	CHECK(!o.no_kernel && !o.no_color && !o.no_debuginfod);
	CHECK(o.sampler == SAMPLER_AUTO);
	CHECK_U64(o.ndebug_dirs, 0);
	CHECK_U64(o.nsource_dirs, 0);
}

/* Every option with a good value, long and short forms. */
static void
test_all(void)
{
	struct options o;

	CHECK_GOOD(&o, "-p", "1,22,333", "--pid", "4", "-e",
	    "cpu-clock,page-faults,cpu-clock", "-F", "99", "-d", "0.5",
	    "-n", "3", "--duration", "2.5", "-b", "-o", "out.json",
	    "--format", "json", "-s", "total", "--window", "5",
	    "--sampler", "ptrace", "-g", "none", "--debug-dir", "/",
	    "--source-dir", "/", "--source-dir", ".", "--no-kernel",
	    "--no-color", "--no-debuginfod");
	CHECK_U64(o.npids, 4);
	CHECK_U64(o.pids[0], 1);
	CHECK_U64(o.pids[1], 22);
	CHECK_U64(o.pids[2], 333);
	CHECK_U64(o.pids[3], 4);
	CHECK_U64(o.nevents, 2);
	CHECK_U64(o.events[0], EVENT_CPU_CLOCK);
	CHECK_STR(o.notice, "events named more than once are sampled once: cpu-clock");
	CHECK_U64(o.rate.freq, 99);
	CHECK(o.delay == 0.5);
	CHECK_U64(o.iterations, 3);
	CHECK(o.duration == 2.5);
	CHECK(o.batch);
	CHECK_STR(o.output, "out.json");
	CHECK(o.format == EXPORT_JSON);
	CHECK(o.sort == VIEW_SORT_TOTAL);
	CHECK(o.window == 5);
	CHECK(o.sampler == SAMPLER_PTRACE);
	CHECK(o.call_graph == SAMPLER_CG_NONE);
	CHECK_U64(o.ndebug_dirs, 1);
	CHECK_STR(o.debug_dirs[0], "/");
	CHECK_U64(o.nsource_dirs, 2);
	CHECK_STR(o.source_dirs[1], ".");
	CHECK(o.no_kernel && o.no_color && o.no_debuginfod);

	/* Short options run together, values attached. */
	CHECK_GOOD(&o, "-bp7", "-n5", "--delay=0.25", "--count=1000");
	CHECK(o.batch);
	CHECK_U64(o.pids[0], 7);
	CHECK_U64(o.iterations, 5);
	CHECK(o.delay == 0.25);
	/* -c stands instead of -F: the frequency is 0 then. */
	CHECK_U64(o.rate.period, 1000);
	CHECK_U64(o.rate.freq, 0);

	/* Limits. */
	CHECK_GOOD(&o, "-p", "2147483647", "-d", "0.01", "-c",
	    "9223372036854775807", "--window", "0", "--duration", "10000000");
	CHECK_U64(o.pids[0], INT_MAX);
	CHECK_U64(o.rate.freq, 0);
	CHECK_U64(o.rate.period, INT64_MAX);
	CHECK_STR(o.notice, "");
	CHECK(o.delay == 0.01);
	CHECK(o.duration == 1e7);
	CHECK_GOOD(&o, "-p", "1", "-F", "1000000", "--window", "1e7");
	CHECK_U64(o.rate.freq, 1000000);
	/* The window keeps 3,600 refreshes: cut to them, said. */
	CHECK(o.window == 3600);
	CHECK_STR(o.notice, "--window 1e+07 s is more than 3600 refreshes of 1 s: the window is 3600 s");
	CHECK_GOOD(&o, "-p", "1", "-d", "0.1", "--window", "360");
	CHECK(o.window == 360);
	CHECK_STR(o.notice, "");
	CHECK_GOOD(&o, "-p", "1", "-d", "0.1", "--window", "361", "-e", "cpu-clock,cpu-clock");
	CHECK(fabs(o.window - 360) < 1e-9);
	CHECK_STR(o.notice, "events named more than once are sampled once: cpu-clock; "
	    "--window 361 s is more than 3600 refreshes of 0.1 s: the window is 360 s");
}

/* The targets: a command after the options, --demo, none for the list. */
static void
test_targets(void)
{
	struct options o;

	CHECK_GOOD(&o, "-b", "--", "ls", "-l", "-p", "1");
	CHECK(o.command != NULL);
	CHECK_STR(o.command[0], "ls");
	CHECK_STR(o.command[2], "-p");
	CHECK(o.command[4] == NULL);
	CHECK_U64(o.npids, 0);

	/* The options end at the first word that is not one. */
	CHECK_GOOD(&o, "-b", "ls", "-n", "1");
	CHECK_STR(o.command[0], "ls");
	CHECK_STR(o.command[1], "-n");
	CHECK_U64(o.iterations, 0);

	CHECK_GOOD(&o, "--demo", "-b");
	CHECK(o.demo && o.command == NULL);

	CHECK_GOOD(&o, "--list-events");
	CHECK(o.list_events);
	CHECK_GOOD(&o, "--list-events", "-p", "5", "--demo", "--", "ls");
	CHECK(o.list_events && o.demo && o.command != NULL);

	CHECK_BAD("no target: give -p PID, --demo or -- COMMAND (see --help)",
	    "-b", "-n", "1");
	CHECK_BAD("no target: give -p PID, --demo or -- COMMAND (see --help)",
	    "--");
	CHECK_BAD("give one target: -p PID, --demo or -- COMMAND",
	    "-p", "1", "--demo");
	CHECK_BAD("give one target: -p PID, --demo or -- COMMAND",
	    "-p", "1", "--", "ls");
	CHECK_BAD("give one target: -p PID, --demo or -- COMMAND",
	    "--demo", "ls");
}

/* --help and --version stop the reading where they stand. */
static void
test_help_version(void)
{
	const char *u = options_usage();
	const char *tail =
	    "\n\nExit status: 0 done, 1 runtime failure, 2 usage error.\n";
	struct options o;
	char *cause;

	CHECK(PARSE(&o, &cause, "--help") == OPTIONS_HELP);
	CHECK(cause == NULL);
	CHECK(PARSE(&o, &cause, "-h") == OPTIONS_HELP);
	CHECK(PARSE(&o, &cause, "-V") == OPTIONS_VERSION);
	CHECK(PARSE(&o, &cause, "--version") == OPTIONS_VERSION);
	CHECK(PARSE(&o, &cause, "-bh") == OPTIONS_HELP);
	/* Whatever follows is not read; what comes before is. */
	CHECK(PARSE(&o, &cause, "-h", "-F", "0", "--bogus") == OPTIONS_HELP);
	CHECK(PARSE(&o, &cause, "-V", "-h") == OPTIONS_VERSION);
	CHECK(cause == NULL);
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '0'",
	    "-F", "0", "-h");
	CHECK_BAD("unknown option '--bogus' (see --help)", "--bogus", "-V");

	CHECK(strncmp(u, "Usage: rrstat-top [OPTIONS] -p PID[,PID...]\n", 44) == 0);
	CHECK(strstr(u, "  -p, --pid PID[,PID...]    every thread") != NULL);
	CHECK(strstr(u, "      --list-events         list the events") != NULL);
	CHECK(strstr(u, "  -g, --call-graph [MODE]   ") != NULL);
	CHECK(strstr(u, "      --max-stack N         ") != NULL);
	CHECK(strstr(u, "      --stack-size BYTES    ") != NULL);
	CHECK(strlen(u) > strlen(tail) &&
	    strcmp(u + strlen(u) - strlen(tail), tail) == 0);
}

/* Unknown options and missing values. */
static void
test_getopt_errors(void)
{
	CHECK_BAD("unknown option '--bogus-option' (see --help)",
	    "-p", "1", "--bogus-option");
	CHECK_BAD("unknown option '-x' (see --help)", "-x", "-p", "1");
	CHECK_BAD("unknown option '--batch=1' (see --help)", "--batch=1");
	CHECK_BAD("option '-p' needs a value (see --help)", "-p");
	CHECK_BAD("option '--pid' needs a value (see --help)", "--pid");
	CHECK_BAD("option '--format' needs a value (see --help)", "-p", "1",
	    "--format");
	CHECK_BAD("option '-bp' needs a value (see --help)", "-bp");
}

/* Whole numbers: -p, -F, -c, -n. */
static void
test_counts(void)
{
	char *pids, *msg;
	size_t len = 0;

	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not 'abc'",
	    "-p", "abc");
	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not '0'",
	    "-p", "0");
	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not '2147483648'",
	    "-p", "2147483648");
	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not '+1'",
	    "-p", "+1");
	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not '-1'",
	    "-p", "-1");
	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not '1x'",
	    "-p", "1,1x");
	CHECK_BAD("-p needs a pid, not ''", "--pid=");
	CHECK_BAD("-p needs pids separated by single commas, not ','", "-p", ",");
	CHECK_BAD("-p needs pids separated by single commas, not '1,,2'",
	    "-p", "1,,2");
	CHECK_BAD("-p needs pids separated by single commas, not '1,'",
	    "-p", "1,");
	CHECK_BAD("-p needs pids separated by single commas, not ',1'",
	    "-p", ",1");
	CHECK_BAD("-p needs a whole number from 1 to 2147483647, not '99999999999'",
	    "-p", "99999999999");
	CHECK_BAD("-p needs a pid, not ''", "-p", "");

	/* 1025 pids. */
	pids = xmalloc(1025 * 6);
	for (int i = 1; i <= 1025; i++)
		len += (size_t)sprintf(pids + len, "%s%d", i > 1 ? "," : "", i);
	CHECK_BAD("too many pids (at most 1024)", "-p", pids);
	pids[len - 5] = '\0';	/* 1024 of them, over two options */
	CHECK_BAD("too many pids (at most 1024)", "-p", pids, "-p", "9");
	{
		struct options o;

		CHECK_GOOD(&o, "-p", pids);
		CHECK_U64(o.npids, 1024);
	}
	free(pids);

	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '0'",
	    "-p", "1", "-F", "0");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '-5'",
	    "-p", "1", "-F", "-5");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '1000001'",
	    "-p", "1", "-F", "1000001");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '1e3'",
	    "-p", "1", "--freq", "1e3");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '10x'",
	    "-p", "1", "-F", "10x");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not ''",
	    "-p", "1", "-F", "");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not ' 10'",
	    "-p", "1", "-F", " 10");
	CHECK_BAD("-F needs a whole number from 1 to 1000000, not '0x10'",
	    "-p", "1", "-F", "0x10");
	CHECK_BAD("-c needs a whole number from 1 to 9223372036854775807, not '9223372036854775808'",
	    "-p", "1", "-c", "9223372036854775808");
	CHECK_BAD("-c needs a whole number from 1 to 9223372036854775807, not '18446744073709551616'",
	    "-p", "1", "-c", "18446744073709551616");
	CHECK_BAD("-c needs a whole number from 1 to 9223372036854775807, not '0'",
	    "-p", "1", "-c", "0");
	msg = xasprintf("-n needs a whole number from 1 to %lu, not 'abc'",
	    ULONG_MAX);
	CHECK_BAD(msg, "-b", "-n", "abc", "-p", "1");
	free(msg);
	msg = xasprintf("-n needs a whole number from 1 to %lu, not '0'",
	    ULONG_MAX);
	CHECK_BAD(msg, "-b", "-n", "0", "-p", "1");
	free(msg);
	msg = xasprintf("-n needs a whole number from 1 to %lu, not '-3'",
	    ULONG_MAX);
	CHECK_BAD(msg, "-b", "-n", "-3", "-p", "1");
	free(msg);
	CHECK_BAD("--max-stack needs a whole number from 1 to 1024, not 'x'",
	    "-p", "1", "--max-stack", "x");
	CHECK_BAD("--max-stack needs a whole number from 1 to 1024, not '0'",
	    "-p", "1", "--max-stack", "0");
	CHECK_BAD("-F and -c exclude each other: give one",
	    "-p", "1", "-F", "10", "-c", "10");
	CHECK_BAD("-F and -c exclude each other: give one",
	    "-p", "1", "-c", "10", "-F", "1000");
}

/* Seconds: -d, --duration, --window. */
static void
test_secs(void)
{
	CHECK_BAD("-d needs a number of seconds above 0, not '0'",
	    "-p", "1", "-d", "0");
	CHECK_BAD("-d must be at least 0.01 seconds, not '0.001'",
	    "-p", "1", "-d", "0.001");
	CHECK_BAD("-d needs a number of seconds above 0, not 'nan'",
	    "-p", "1", "-d", "nan");
	CHECK_BAD("-d needs a number of seconds above 0, not 'inf'",
	    "-p", "1", "-d", "inf");
	CHECK_BAD("-d needs a number of seconds above 0, not '1e8'",
	    "-p", "1", "-d", "1e8");
	CHECK_BAD("-d needs a number of seconds above 0, not ''",
	    "-p", "1", "-d", "");
	CHECK_BAD("-d needs a number of seconds above 0, not '1s'",
	    "-p", "1", "-d", "1s");
	CHECK_BAD("-d needs a number of seconds above 0, not '1e-400'",
	    "-p", "1", "-d", "1e-400");
	CHECK_BAD("--duration needs a number of seconds above 0, not '0'",
	    "-p", "1", "--duration", "0");
	CHECK_BAD("--duration needs a number of seconds above 0, not '-2'",
	    "-p", "1", "--duration", "-2");
	CHECK_BAD("--window needs a number of seconds, 0 or more, not '-1'",
	    "-p", "1", "--window", "-1");
	CHECK_BAD("--window needs a number of seconds, 0 or more, not 'x'",
	    "-p", "1", "--window", "x");
	CHECK_BAD("--window needs a number of seconds, 0 or more, not 'nan'",
	    "-p", "1", "--window", "nan");
	CHECK_BAD("--window needs a number of seconds, 0 or more, not 'inf'",
	    "-p", "1", "--window", "inf");
	CHECK_BAD("--window needs a number of seconds, 0 or more, not '1e400'",
	    "-p", "1", "--window", "1e400");
	CHECK_BAD("-d needs a number of seconds above 0, not '-1'",
	    "-p", "1", "-d", "-1");
	CHECK_BAD("--duration needs a number of seconds above 0, not 'nan'",
	    "-p", "1", "--duration", "nan");
}

/* --format: a list, each written once; without it, the format -o's
 * extension names (pprof from a .pb.gz name), else text. */
static void
test_formats(void)
{
	struct options o;

	CHECK_GOOD(&o, "-p", "1", "--format", "csv,pprof", "-o", "run.csv");
	CHECK_U64(o.nformats, 2);
	CHECK(o.formats[0] == EXPORT_CSV);
	CHECK(o.formats[1] == EXPORT_PPROF);
	CHECK(o.format == EXPORT_CSV);
	CHECK_GOOD(&o, "-p", "1", "-o", "run.pb.gz");
	CHECK_U64(o.nformats, 1);
	CHECK(o.format == EXPORT_PPROF);
	CHECK_GOOD(&o, "-p", "1", "--format", "text", "-o", "run.pb.gz");
	CHECK(o.format == EXPORT_TEXT);
	CHECK_GOOD(&o, "-p", "1", "-o", "run.gz");
	CHECK(o.format == EXPORT_TEXT);
	CHECK_GOOD(&o, "-p", "1", "-o", "dir.d/run.json");
	CHECK(o.format == EXPORT_JSON);
	CHECK_GOOD(&o, "-p", "1", "-o", "run.csv");
	CHECK(o.format == EXPORT_CSV);
	CHECK_GOOD(&o, "-p", "1", "-o", "run.folded");
	CHECK(o.format == EXPORT_FOLDED);
	CHECK_GOOD(&o, "-p", "1", "-o", "run.txt");
	CHECK(o.format == EXPORT_TEXT);
	CHECK_GOOD(&o, "-p", "1", "-o", "run.JSON");
	CHECK(o.format == EXPORT_TEXT);
	CHECK_GOOD(&o, "-p", "1", "-o", "json");
	CHECK(o.format == EXPORT_TEXT);
	CHECK_GOOD(&o, "-p", "1", "--format", "csv", "-o", "run.json");
	CHECK(o.format == EXPORT_CSV);
	CHECK_GOOD(&o, "-p", "1", "--format", "json,text", "--format", "pprof");
	CHECK_U64(o.nformats, 1);
	CHECK(o.format == EXPORT_PPROF);
	CHECK_BAD("format 'csv' is given twice",
	    "-p", "1", "--format", "csv,pprof,csv");
	CHECK_BAD("unknown format '' (text, csv, json, folded or pprof)",
	    "-p", "1", "--format", "csv,");
	CHECK_BAD("unknown format 'pprofx' (text, csv, json, folded or pprof)",
	    "-p", "1", "--format", "pprofx,csv");
}

/* Named values and the rest. */
static void
test_names(void)
{
	char *msg;

	CHECK_BAD("unknown event 'bogus' (see --list-events)",
	    "-p", "1", "-e", "bogus");
	CHECK_BAD("unknown event 'bogus' (see --list-events)",
	    "-p", "1", "-e", "cpu-clock,bogus");
	CHECK_BAD("unknown format 'xml' (text, csv, json, folded or pprof)",
	    "-p", "1", "--format", "xml", "-o", "x.xml");
	CHECK_BAD("unknown sort key 'nope' (self, total, samples, function or binary)",
	    "-p", "1", "--sort", "nope");
	CHECK_BAD("unknown sampler 'nope' (auto, perf or ptrace)",
	    "-p", "1", "--sampler", "nope");
	CHECK_BAD("unknown call-graph mode 'lbr' (none, fp, dwarf or auto)",
	    "-p", "1", "-glbr");
	CHECK_BAD("-o needs a file name", "-p", "1", "-o", "");
	CHECK_BAD("cannot write a snapshot to /tmp: it is a directory (give a file name)",
	    "-p", "1", "-o", "/tmp");
	CHECK_BAD("cannot write a snapshot to /dev/null: it is a device (give a file name)",
	    "-p", "1", "-o", "/dev/null");
	CHECK_BAD("an empty event name in 'cpu-clock,,': separate the names with single commas",
	    "-p", "1", "-e", "cpu-clock,,");
	CHECK_BAD("an empty event name in ',cpu-clock': separate the names with single commas",
	    "-p", "1", "-e", ",cpu-clock");
	CHECK_BAD("cannot read directory '/nonexistent/dir': No such file or directory",
	    "-p", "1", "--debug-dir", "/nonexistent/dir");
	CHECK_BAD("cannot read directory '/nonexistent/src': No such file or directory",
	    "-p", "1", "--source-dir", "/nonexistent/src");

	msg = xstrdup("too many --debug-dir options (at most 16)");
	CHECK_BAD(msg, "-p", "1",
	    "--debug-dir", "/", "--debug-dir", "/", "--debug-dir", "/",
	    "--debug-dir", "/", "--debug-dir", "/", "--debug-dir", "/",
	    "--debug-dir", "/", "--debug-dir", "/", "--debug-dir", "/",
	    "--debug-dir", "/", "--debug-dir", "/", "--debug-dir", "/",
	    "--debug-dir", "/", "--debug-dir", "/", "--debug-dir", "/",
	    "--debug-dir", "/", "--debug-dir", "/");
	free(msg);
	CHECK_BAD("too many --source-dir options (at most 16)", "-p", "1",
	    "--source-dir", "/", "--source-dir", "/", "--source-dir", "/",
	    "--source-dir", "/", "--source-dir", "/", "--source-dir", "/",
	    "--source-dir", "/", "--source-dir", "/", "--source-dir", "/",
	    "--source-dir", "/", "--source-dir", "/", "--source-dir", "/",
	    "--source-dir", "/", "--source-dir", "/", "--source-dir", "/",
	    "--source-dir", "/", "--debug-dir", "/", "--source-dir", "/");
}

/* -g and its optional mode, --max-stack, --stack-size. */
static void
test_call_graph(void)
{
	static const struct {
		const char *args[4];
		enum sampler_callgraph mode;
	} good[] = {
		{ { "-g", "-p", "1" }, SAMPLER_CG_AUTO },
		{ { "-p", "1", "-g" }, SAMPLER_CG_AUTO },
		{ { "--call-graph", "-p", "1" }, SAMPLER_CG_AUTO },
		{ { "-g", "fp", "-p", "1" }, SAMPLER_CG_FP },
		{ { "-g", "dwarf", "-p", "1" }, SAMPLER_CG_DWARF },
		{ { "-g", "none", "-p", "1" }, SAMPLER_CG_NONE },
		{ { "-g", "auto", "-p", "1" }, SAMPLER_CG_AUTO },
		{ { "-gfp", "-p", "1" }, SAMPLER_CG_FP },
		{ { "-gdwarf", "-p", "1" }, SAMPLER_CG_DWARF },
		{ { "-bgdwarf", "-p", "1" }, SAMPLER_CG_DWARF },
		{ { "-bg", "fp", "-p", "1" }, SAMPLER_CG_FP },
		{ { "--call-graph=fp", "-p", "1" }, SAMPLER_CG_FP },
		{ { "--call-graph=dwarf", "-p", "1" }, SAMPLER_CG_DWARF },
		{ { "--call-graph=none", "-p", "1" }, SAMPLER_CG_NONE },
		{ { "--call-graph=auto", "-p", "1" }, SAMPLER_CG_AUTO },
		{ { "--call-graph", "fp", "-p", "1" }, SAMPLER_CG_FP },
		{ { "--call-graph", "dwarf", "-p", "1" }, SAMPLER_CG_DWARF },
		{ { "-p", "1", "-g", "dwarf" }, SAMPLER_CG_DWARF },
	};
	struct options o;
	struct sampler_opts so;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		const char *const *a = good[i].args;

		if (a[3] != NULL)
			CHECK_GOOD(&o, a[0], a[1], a[2], a[3]);
		else
			CHECK_GOOD(&o, a[0], a[1], a[2]);
		if (o.call_graph != good[i].mode)
			fprintf(stderr, "call graph case %zu\n", i);
		CHECK(o.call_graph == good[i].mode);
		CHECK_U64(o.npids, 1);
	}
	/* Any other word after -g is not its mode: a command here. */
	CHECK_GOOD(&o, "-g", "ls", "-l");
	CHECK(o.call_graph == SAMPLER_CG_AUTO);
	CHECK(o.command != NULL);
	CHECK_STR(o.command[0], "ls");
	CHECK_GOOD(&o, "-g", "--", "fp");
	CHECK(o.call_graph == SAMPLER_CG_AUTO);
	CHECK_STR(o.command[0], "fp");
	CHECK_GOOD(&o, "-g", "-b", "-p", "1");
	CHECK(o.call_graph == SAMPLER_CG_AUTO && o.batch);
	/* The last one given wins. */
	CHECK_GOOD(&o, "-g", "dwarf", "-g", "none", "-p", "1");
	CHECK(o.call_graph == SAMPLER_CG_NONE);

	/* --max-stack and --stack-size (rounded up to a multiple of 8). */
	CHECK_GOOD(&o, "-p", "1", "-g", "--max-stack", "1", "--stack-size", "1");
	CHECK_U64(o.max_stack, 1);
	CHECK_U64(o.stack_size, 8);
	CHECK_GOOD(&o, "-p", "1", "--max-stack=1024", "--stack-size=65528");
	CHECK_U64(o.max_stack, 1024);
	CHECK_U64(o.stack_size, 65528);
	CHECK_GOOD(&o, "-p", "1", "--stack-size", "4097", "-gdwarf");
	CHECK_U64(o.stack_size, 4104);
	CHECK_GOOD(&o, "-p", "1", "--stack-size", "16384", "--max-stack", "64",
	    "-g", "dwarf");
	CHECK_U64(o.stack_size, 16384);
	CHECK_U64(o.max_stack, 64);
	memset(&so, 0, sizeof so);
	options_callgraph(&o, &so);
	CHECK(so.callgraph == SAMPLER_CG_DWARF);
	CHECK_U64(so.max_stack, 64);
	CHECK_U64(so.stack_size, 16384);

	CHECK_BAD("unknown call-graph mode 'lbr' (none, fp, dwarf or auto)",
	    "-p", "1", "--call-graph=lbr");
	CHECK_BAD("unknown call-graph mode 'fp,4096' (none, fp, dwarf or auto)",
	    "-p", "1", "-gfp,4096");
	CHECK_BAD("unknown call-graph mode '' (none, fp, dwarf or auto)",
	    "-p", "1", "--call-graph=");
	CHECK_BAD("unknown call-graph mode 'b' (none, fp, dwarf or auto)",
	    "-p", "1", "-gb");
	CHECK_BAD("--max-stack needs a whole number from 1 to 1024, not '0'",
	    "-p", "1", "--max-stack", "0");
	CHECK_BAD("--max-stack needs a whole number from 1 to 1024, not '1025'",
	    "-p", "1", "--max-stack", "1025");
	CHECK_BAD("--max-stack needs a whole number from 1 to 1024, not '-1'",
	    "-p", "1", "--max-stack", "-1");
	CHECK_BAD("--max-stack needs a whole number from 1 to 1024, not '12k'",
	    "-p", "1", "--max-stack", "12k");
	CHECK_BAD("--stack-size needs a whole number from 1 to 65528, not '0'",
	    "-p", "1", "--stack-size", "0");
	CHECK_BAD("--stack-size needs a whole number from 1 to 65528, not '65529'",
	    "-p", "1", "--stack-size", "65529");
	CHECK_BAD("--stack-size needs a whole number from 1 to 65528, not '8k'",
	    "-p", "1", "--stack-size", "8k");
	CHECK_BAD("option '--max-stack' needs a value (see --help)",
	    "-p", "1", "--max-stack");
	CHECK_BAD("option '--stack-size' needs a value (see --help)",
	    "-p", "1", "--stack-size");
}

/* A message quotes at most 64 bytes of an argument, on one line. */
static void
test_echo(void)
{
	char *big = xmalloc(100 * 1024 + 1), *want;
	struct options o;
	char *cause;

	memset(big, 'x', 100 * 1024);
	big[100 * 1024] = '\0';
	want = xasprintf("unknown event '%.64s...' (see --list-events)", big);
	CHECK_BAD(want, "-p", "1", "-e", big);
	free(want);
	want = xasprintf("-p needs a whole number from 1 to 2147483647, not '%.64s...'", big);
	CHECK_BAD(want, "-p", big);
	free(want);
	want = xasprintf("unknown option '--%.62s...' (see --help)", big);
	big[0] = big[1] = '-';
	CHECK_BAD(want, "-p", "1", big);
	free(want);
	CHECK(PARSE(&o, &cause, "-p", "1", "-o", big) == -1);
	CHECK(cause != NULL && strlen(cause) < 200);
	CHECK(cause != NULL && strstr(cause, "File name too long") != NULL);
	free(cause);
	free(big);
	/* A newline or other control character never makes a second line;
	 * a cut never splits a UTF-8 character (63 x then a 2-byte one). */
	CHECK_BAD("unknown sort key 'a?b' (self, total, samples, function or binary)",
	    "-p", "1", "-s", "a\nb");
	CHECK_BAD("unknown sort key 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (self, total, samples, function or binary)",
	    "-p", "1", "-s", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xc3\xa9");
}

/* A settings file of the entries given as "key", "value", line, ...
 * applied to o: the number of warnings, which go to *warn. */
static size_t
settings(struct options *o, char ***warn, const struct rcfile_entry *e,
    size_t n)
{
	struct rcfile rc = { .entries = (struct rcfile_entry *)e,
	    .nentries = n };
	size_t nwarn = 0;

	*warn = NULL;
	options_settings(o, &rc, "rc", warn, &nwarn);
	return nwarn;
}

/* Free a list of warnings. */
static void
warn_free(char **warn, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(warn[i]);
	free(warn);
}

/* The settings file: under the command line, each bad setting ignored
 * with its line number, the rest applied. */
static void
test_settings(void)
{
	static const struct rcfile_entry all[] = {
		{ (char *)"event", (char *)"page-faults,cpu-clock", 1 },
		{ (char *)"freq", (char *)"250", 2 },
		{ (char *)"delay", (char *)"0.5", 3 },
		{ (char *)"sort", (char *)"function", 4 },
		{ (char *)"reverse", (char *)"yes", 5 },
		{ (char *)"window", (char *)"5", 6 },
		{ (char *)"group", (char *)"On", 7 },
		{ (char *)"color", (char *)"no", 8 },
		{ (char *)"call-graph", (char *)"fp", 9 },
		{ (char *)"sampler", (char *)"ptrace", 10 },
		{ (char *)"max-stack", (char *)"64", 11 },
		{ (char *)"stack-size", (char *)"1000", 12 },
	};
	static const struct rcfile_entry bad[] = {
		{ (char *)"event", (char *)"cpu-clock,nonsense", 3 },
		{ (char *)"freq", (char *)"fast", 4 },
		{ (char *)"colour", (char *)"yes", 5 },
		{ (char *)"group", (char *)"maybe", 6 },
		{ (char *)"sort", (char *)"total", 7 },
	};
	struct rcfile rc = { 0 };
	struct rcfile_bad badline = { 9, (char *)"not a 'key=value' setting" };
	struct options o;
	char **warn;
	size_t n;

	CHECK_GOOD(&o, "-p", "1");
	n = settings(&o, &warn, all, sizeof all / sizeof all[0]);
	CHECK_U64(n, 0);
	warn_free(warn, n);
	CHECK_U64(o.nevents, 2);
	CHECK_U64(o.events[0], EVENT_PAGE_FAULTS);
	CHECK_U64(o.rate.freq, 250);
	CHECK(o.delay == 0.5);
	CHECK(o.sort == VIEW_SORT_FUNCTION);
	CHECK(o.reverse);
	CHECK(o.window == 5);
	CHECK(o.group);
	CHECK(o.no_color);
	CHECK(o.call_graph == SAMPLER_CG_FP);
	CHECK(o.sampler == SAMPLER_PTRACE);
	CHECK_U64(o.max_stack, 64);
	CHECK_U64(o.stack_size, 1000);

	/* The command line wins, -c over freq and --no-color over color. */
	CHECK_GOOD(&o, "-e", "task-clock", "-c", "10000", "-s", "samples",
	    "-d", "2", "--window", "0", "-g", "dwarf", "--sampler", "perf",
	    "--max-stack", "8", "--stack-size", "64", "-p", "1");
	n = settings(&o, &warn, all, sizeof all / sizeof all[0]);
	CHECK_U64(n, 0);
	warn_free(warn, n);
	CHECK_U64(o.nevents, 1);
	CHECK_U64(o.events[0], EVENT_TASK_CLOCK);
	CHECK_U64(o.rate.freq, 0);
	CHECK_U64(o.rate.period, 10000);
	CHECK(o.sort == VIEW_SORT_SAMPLES);
	CHECK(o.delay == 2);
	CHECK(o.window == 0);
	CHECK(o.call_graph == SAMPLER_CG_DWARF);
	CHECK(o.sampler == SAMPLER_PERF);
	CHECK_U64(o.max_stack, 8);
	CHECK_U64(o.stack_size, 64);
	CHECK(!o.reverse);	/* the file's order was of its own sort key */
	CHECK(o.group);		/* the file's alone */

	/* Bad settings are ignored, one warning each, the rest applied;
	 * a bad event list leaves the events as they were. */
	CHECK_GOOD(&o, "-p", "1");
	n = settings(&o, &warn, bad, sizeof bad / sizeof bad[0]);
	CHECK_U64(n, 4);
	if (n == 4) {
		CHECK_STR(warn[0], "rc:3: event: unknown event 'nonsense' "
		    "(see --list-events) (ignored)");
		CHECK(strncmp(warn[1], "rc:4: freq: ", 12) == 0);
		CHECK_STR(warn[2], "rc:5: unknown setting 'colour' (ignored)");
		CHECK_STR(warn[3], "rc:6: group: 'maybe' is not yes or no "
		    "(ignored)");
	}
	warn_free(warn, n);
	CHECK_U64(o.nevents, 1);
	CHECK_U64(o.events[0], EVENT_CPU_CLOCK);
	CHECK_U64(o.rate.freq, 1000);
	CHECK(!o.group);
	CHECK(o.sort == VIEW_SORT_TOTAL);

	/* The file's bad lines, with their numbers. */
	rc.bad = &badline;
	rc.nbad = 1;
	n = 0;
	warn = NULL;
	options_settings(&o, &rc, "rc", &warn, &n);
	CHECK_U64(n, 1);
	if (n == 1)
		CHECK_STR(warn[0], "rc:9: not a 'key=value' setting (ignored)");
	warn_free(warn, n);

	/* --no-config is read; the mode names go both ways. */
	CHECK_GOOD(&o, "--no-config", "-p", "1");
	CHECK(o.no_config);
	CHECK_STR(options_cg_name(SAMPLER_CG_AUTO), "auto");
	CHECK_STR(options_cg_name(SAMPLER_CG_FP), "fp");
}

int
main(void)
{
	test_defaults();
	test_all();
	test_targets();
	test_help_version();
	test_getopt_errors();
	test_counts();
	test_secs();
	test_names();
	test_echo();
	test_formats();
	test_call_graph();
	test_settings();
	return check_exit("test_options");
}
