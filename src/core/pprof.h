/*
 * A pprof profile (profile.proto of github.com/google/pprof) built in
 * memory and written gzip-compressed: the protobuf wire format encoded by
 * hand (varints, length-delimited fields, packed repeated numbers), the
 * string table deduplicated (index 0 is ""), functions and locations
 * deduplicated, ids dense from 1. Knows nothing of the aggregator: the
 * exporter (export.c) says what goes in.
 */
#ifndef RS_PPROF_H
#define RS_PPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pprof;

/* A binary as a mapping. limit 0 with cover: it grows to cover every
 * location added in it. */
struct pprof_mapping_info {
	uint64_t start, limit, offset;
	const char *file;
	const char *build_id;		/* hex; NULL: none */
	bool cover;
};

/* One entry of a location's line list, innermost (inlined) first. */
struct pprof_line {
	const char *function;		/* its name (also the system name) */
	const char *file;		/* the function's source file; NULL: unknown */
	int64_t start_line;		/* the function's first line; 0: unknown */
	int64_t line;			/* the line of this location in it; 0: unknown */
};

struct pprof *pprof_new(void);
void pprof_free(struct pprof *p);

/* The index of s in the string table, added once (NULL: 0, ""). */
int64_t pprof_string(struct pprof *p, const char *s);

/* Add a sample type (type, unit), in the order of the samples' values. */
void pprof_sample_type(struct pprof *p, const char *type, const char *unit);
size_t pprof_nsample_types(const struct pprof *p);

/* The profile's default sample type, period, time and duration. */
void pprof_default_type(struct pprof *p, const char *type);
void pprof_period(struct pprof *p, const char *type, const char *unit,
    int64_t period);
void pprof_time(struct pprof *p, int64_t time_nanos, int64_t duration_nanos);

/* Add a comment line. */
void pprof_comment(struct pprof *p, const char *s);

/* Add a mapping; its id (from 1). */
uint64_t pprof_mapping(struct pprof *p, const struct pprof_mapping_info *m);

/* The location at address in mapping (0: none) with lines (n >= 1),
 * added once per (mapping, address, innermost function); its id. */
uint64_t pprof_location(struct pprof *p, uint64_t mapping, uint64_t address,
    const struct pprof_line *lines, size_t n);

/* Add a sample: locations leaf first, one value per sample type; a label
 * key=str where key is not NULL. */
void pprof_sample(struct pprof *p, const uint64_t *locs, size_t nlocs,
    const int64_t *values, const char *key, const char *str);

/* Write the profile to fp, gzip-compressed. Returns 0, or -1 with *cause
 * set (caller frees). */
int pprof_write(struct pprof *p, FILE *fp, char **cause);

#endif
