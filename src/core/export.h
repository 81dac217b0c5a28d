/*
 * Snapshot writers (text, csv, json, folded) and safe file creation: a
 * snapshot never overwrites an existing file, never follows a symbolic
 * link, and appears complete or not at all.
 */
#ifndef RS_EXPORT_H
#define RS_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

struct agg;
struct view_opts;

enum export_format { EXPORT_TEXT, EXPORT_CSV, EXPORT_JSON, EXPORT_FOLDED, EXPORT_COUNT };

/* The format named name ("text", "csv", "json", "folded"), or -1. */
int export_format_parse(const char *name);
const char *export_format_name(enum export_format f);
/* File name extension without the dot: "txt", "csv", "json", "folded". */
const char *export_format_ext(enum export_format f);

struct export_meta {
	const char *target;	/* e.g. "pid 1234 (xz), 3 threads" */
	const char *sampler;	/* e.g. "perf" */
	const char *window;	/* e.g. "cumulative" or "last 10 s" */
	time_t time;		/* when the snapshot was taken */
	unsigned nevents;	/* events of the agg: index -> name, lost */
	const char *const *event_names;
	const uint64_t *lost;
	uint64_t lost_ns;	/* time the sampler could not sample (text, json) */
	const unsigned char *sampled;	/* nonzero: the event was sampled */
	bool want_lines;	/* json: samples per source line (dwarf.c) */
	const char *callgraph;	/* "fp", "dwarf (chosen: ...)"; NULL: none */
};

/* Write a snapshot of a to fp. text: the event and view o shows (every
 * row, names never cut; a WAIT column, as on the screen, where the event
 * has blocked samples); csv and json: every sampled event, each in o's
 * sort order with o's filter and window, never grouped (csv: a last
 * column "wait", the system call most of a function's blocked weight
 * waits in, empty where none; json: with each function's samples per
 * source line, hottest first, where m->want_lines asks for them and the DWARF
 * has them, and its
 * "wait":[{"syscall","samples","pct"}] hottest first, pct of the
 * function's weight); folded: one line per function (binary;function
 * COUNT) until call graphs exist, its blocked samples one frame deeper
 * per system call (binary;function;[read] COUNT, [fault] outside one).
 * Returns 0, or -1 with *cause set (caller frees). */
int export_write(FILE *fp, enum export_format fmt, const struct agg *a,
    const struct view_opts *o, const struct export_meta *m, char **cause);

/* A snapshot file being written. export_open creates a temporary file in
 * the directory of path; export_commit links it in under path, or under
 * path with "-1", "-2", ... before the extension when path exists (a
 * symbolic link at path counts as existing). */
struct export_file;
int export_open(struct export_file **out, const char *path, char **cause);
FILE *export_stream(struct export_file *f);
/* Flush and link into place; *final_path (caller frees) names the file.
 * Frees f whatever happens. */
int export_commit(struct export_file *f, char **final_path, char **cause);
/* Drop the temporary file; frees f. */
void export_abort(struct export_file *f);

/* rrstat-top-PID-YYYYmmdd-HHMMSS.EXT (local time). Caller frees. */
char *export_default_name(pid_t pid, time_t t, enum export_format f);

#endif
