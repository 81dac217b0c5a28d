/*
 * Snapshot writers (text, csv, json, folded, pprof) and safe file creation: a
 * snapshot never overwrites an existing file, never follows a symbolic
 * link, and appears complete or not at all.
 */
#ifndef RS_EXPORT_H
#define RS_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

struct agg;
struct view_opts;

enum export_format {
	EXPORT_TEXT, EXPORT_CSV, EXPORT_JSON, EXPORT_FOLDED, EXPORT_PPROF,
	EXPORT_COUNT
};

/* The format named name ("text", "csv", "json", "folded", "pprof"), or -1. */
int export_format_parse(const char *name);
const char *export_format_name(enum export_format f);
/* File name extension without the dot: "txt", "csv", "json", "folded",
 * "pb.gz". */
const char *export_format_ext(enum export_format f);
/* The format a file name's extension names, or -1 (only ".pb.gz": the
 * other formats are chosen with --format). */
int export_format_of_path(const char *path);
/* The file for format f beside path: path with its extension (one of
 * the formats') replaced by f's, or f's added (caller frees). */
char *export_path_for(const char *path, enum export_format f);

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
	const char *const *event_units;	/* pprof: the unit of each event's
					 * weight ("nanoseconds"); NULL: "count" */
	int64_t time_nanos;	/* pprof: when the counts began (ns since the
				 * epoch), and how long they cover */
	int64_t duration_nanos;
	const char *budgets;	/* a memory budget's warning; NULL: none hit */
	const char *debuginfod;	/* text: "debuginfod: fetching ..."; NULL: none */
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
 * per system call (binary;function;[read] COUNT, [fault] outside one);
 * pprof: a gzip-compressed profile.proto of every sampled event (two
 * values each: EVENT-samples in count, EVENT in its unit; the default
 * type o's event's), with o's
 * filter and window, the call stacks where a keeps them, else each
 * sampled address as a one-frame stack; addresses are file offsets in
 * their binary's mapping (export.c).
 * Returns 0, or -1 with *cause set (caller frees). */
int export_write(FILE *fp, enum export_format fmt, const struct agg *a,
    const struct view_opts *o, const struct export_meta *m, char **cause);

/* Refuse (-1, *cause set) a snapshot path where a directory, a device or
 * anything else but a regular file (or a symbolic link to one) is, or
 * whose name is too long (ENAMETOOLONG). */
int export_check_path(const char *path, char **cause);

/* A snapshot file being written. export_open (which checks path as
 * export_check_path does) creates a temporary file in the directory of
 * path; export_commit links it in under path, or under path with "-1",
 * "-2", ... before the extension when path exists (a symbolic link at path
 * counts as existing), the name before the extension cut short where the
 * suffixed name would be too long (NAME_MAX, PATH_MAX). */
struct export_file;
int export_open(struct export_file **out, const char *path, char **cause);
/* Where path's directory takes no name at export_commit (gone, closed to
 * us, every suffix taken), link the snapshot in under name (or name-N.ext)
 * in the current directory instead. */
void export_fallback(struct export_file *f, const char *name);
FILE *export_stream(struct export_file *f);
/* Flush and link into place; *final_path (caller frees) names the file.
 * Frees f whatever happens. */
int export_commit(struct export_file *f, char **final_path, char **cause);
/* Drop the temporary file; frees f. */
void export_abort(struct export_file *f);

/* One csv field, quoted where RFC 4180 asks for it; s as a JSON string
 * (null for NULL; invalid UTF-8 becomes U+FFFD). For the other writers
 * of snapshots (diff.c). */
void export_csv_field(FILE *fp, const char *s);
void export_json_str(FILE *fp, const char *s);

/* rrstat-top-PID-YYYYmmdd-HHMMSS.EXT (local time). Caller frees. */
char *export_default_name(pid_t pid, time_t t, enum export_format f);

#endif
