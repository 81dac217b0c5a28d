/*
 * The command line: what it asks for (struct options), read from argv and
 * checked by options_parse, and the --help text. Nothing here prints or
 * exits; main.c acts on the result.
 */
#ifndef RS_OPTIONS_H
#define RS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "events.h"
#include "export.h"
#include "rcfile.h"
#include "sampler.h"
#include "view.h"

#define OPTIONS_MAX_PIDS	1024
#define OPTIONS_MAX_DIRS	16	/* of --debug-dir, and of --source-dir */

/* What options_parse found, besides failing (-1). */
enum options_result {
	OPTIONS_RUN = 0,	/* o is filled: a session, or --list-events */
	OPTIONS_HELP,		/* -h/--help: print options_usage(), exit 0 */
	OPTIONS_VERSION,	/* -V/--version: print the version, exit 0 */
};

struct options {
	pid_t pids[OPTIONS_MAX_PIDS];
	size_t npids;
	char **command;			/* after the options (argv's own), or NULL */
	bool demo;
	bool list_events;
	unsigned events[EVENT_COUNT];
	size_t nevents;
	struct events_rate rate;	/* freq 0 when -c is given */
	double delay;
	unsigned long iterations;
	double duration;
	bool batch;
	const char *output;
	enum export_format format;	/* formats[0] */
	enum export_format formats[EXPORT_COUNT];	/* --format, each once: one -o file each */
	size_t nformats;
	enum view_sort sort;
	double window;
	enum sampler_callgraph call_graph;	/* -g: SAMPLER_CG_AUTO where it chooses */
	unsigned max_stack;		/* --max-stack: frames, 1..RS_STACK_MAX_ENTRIES */
	unsigned stack_size;		/* --stack-size: bytes, a multiple of 8 */
	bool no_kernel;
	bool no_debuginfod;		/* --no-debuginfod */
	enum sampler_kind sampler;
	bool no_color;
	const char *baseline;		/* --baseline FILE, or NULL */
	bool columns;			/* --columns: one share column per event */
	bool no_config;			/* --no-config: the settings file is not read */
	bool reverse;			/* the settings file's reverse=yes */
	bool group;			/* the settings file's group=yes */
	unsigned long given;		/* settings given on the command line, which
					 * the settings file does not override */
	const char *debug_dirs[OPTIONS_MAX_DIRS];	/* --debug-dir, in order */
	size_t ndebug_dirs;
	const char *source_dirs[OPTIONS_MAX_DIRS];	/* --source-dir, in order */
	size_t nsource_dirs;
	char notice[256];		/* a notice to show, e.g. an event named
					 * twice in -e; "" where none */
};

/*
 * Read the command line into o (its strings point into argv), options in
 * order up to the first non-option; an option after -h or -V is not read.
 * Returns an enum options_result, or -1 with *cause set (caller frees):
 * a usage error, for exit status 2. With --list-events, whether there is
 * a target is not checked.
 */
int options_parse(struct options *o, int argc, char **argv, char **cause);

/*
 * Apply the settings file rc (read from path) to o, under what the
 * command line gave. Each setting that is unknown or has a bad value is
 * ignored, and said in a line "PATH:LINE: WHY" added to *warn (n in
 * *nwarn; caller frees each and the array), as are rc's bad lines.
 */
void options_settings(struct options *o, const struct rcfile *rc,
    const char *path, char ***warn, size_t *nwarn);

/* Copy the call-graph options (mode, --max-stack, --stack-size) into
 * so; an auto mode stays SAMPLER_CG_AUTO, for the caller to decide. */
void options_callgraph(const struct options *o, struct sampler_opts *so);

/* A call-graph mode's name, as -g and the settings file take it. */
const char *options_cg_name(enum sampler_callgraph mode);

/* The --help text, translated. */
const char *options_usage(void);

#endif
