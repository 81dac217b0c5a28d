/*
 * A small JSON reader (RFC 8259) for the snapshots rrstat-top wrote
 * earlier (--baseline): the whole text into a tree of values, with a
 * depth limit and an error naming the line and column. Strings are UTF-8
 * with the escapes decoded (a NUL inside a string is refused).
 */
#ifndef RS_JSON_H
#define RS_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH	64
#define JSON_MAX_BYTES	(512UL * 1024 * 1024)	/* a larger file is refused */

enum json_type {
	JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING,
	JSON_ARRAY, JSON_OBJECT
};

struct json {
	enum json_type type;
	double number;
	char *string;		/* JSON_STRING */
	struct json *items;	/* JSON_ARRAY, JSON_OBJECT (the members' values) */
	char **keys;		/* JSON_OBJECT: the members' names */
	size_t n;
};

/* Parse len bytes of text into *out (caller frees with json_free).
 * Returns 0, or -1 with *cause set ("line L, column C: ..."). */
int json_parse(const char *text, size_t len, struct json *out, char **cause);

/* Read and parse the file at path. Returns 0, or -1 with *cause set. */
int json_load(const char *path, struct json *out, char **cause);

void json_free(struct json *j);

/* Member key of object j, or NULL (also where j is no object). */
const struct json *json_get(const struct json *j, const char *key);

/* The string of j, or NULL where it is none. */
const char *json_str(const struct json *j);

/* The number of j into *out: false where it is none. */
bool json_num(const struct json *j, double *out);

#endif
