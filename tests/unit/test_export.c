/* Unit tests of the snapshot writers and safe file creation
 * (src/core/export.c). Every format is parsed back. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "frames.h"
#include "export.h"
#include "procstat.h"
#include "symtab.h"
#include "view.h"
#include "xmalloc.h"

#define LONG_NAME \
	"a_function_name_that_is_much_longer_than_any_screen_column_" \
	"would_ever_show_it_and_goes_on_and_on_past_two_hundred_characters_" \
	"so_that_a_writer_that_cuts_names_short_is_caught_by_this_test_" \
	"and_it_still_is_not_over_yet_but_now_it_is"

static const struct symtab_func test_app_funcs[] = {
	{ .start = 0x1000, .size = 0x100, .name = "main" },
	{ .start = 0x2000, .size = 0x100, .name = "parse, \"quoted\" name" },
	{ .start = 0x3000, .size = 0x100, .name = "ctl\x01\nname" },
	{ .start = 0x4000, .size = 0x100, .name = "bad\xff\xfeutf8" },
	{ .start = 0x5000, .size = 0x100, .name = "\xc3\xbcn\xc3\xaf" "code" },
	{ .start = 0x6000, .size = 0x100, .name = "semi;colon" },
	{ .start = 0x7000, .size = 0x100, .name = LONG_NAME },
};
static const struct symtab_func test_libc_funcs[] = {
	{ .start = 0xabc0, .size = 0x100, .name = "memcpy" },
};
static const struct symtab_func test_weird_funcs[] = {
	{ .start = 0x1000, .size = 0x10, .name = "trunc\xe2\x82" },
	{ .start = 0x2000, .size = 0x10, .name = "surr\xed\xa0\x80" },
	{ .start = 0x3000, .size = 0x10, .name = "over\xc0\xaf" },
	{ .start = 0x4000, .size = 0x10, .name = "del\x7f" },
};

static struct binary_cache *cache;
static struct binary *app, *libc, *weird;

static const char *const test_event_names[] = {
	"cpu-clock", "task-clock", "page-faults"
};
static const uint64_t test_lost[] = { 3, 0, 1 };
static const unsigned char test_sampled[] = { 1, 1, 0 };

/*
 * Event 0 (62 samples of weight 1): memcpy 20, main 10, long 7, semi 6,
 * parse 5, unicode 4, ctl 3, bad 2, [unknown] 1, and the four weird ones 1
 * each. Event 1: memcpy 3, main 1. Event 2 (not sampled): main 9.
 */
static struct agg *
test_fixture(void)
{
	static const struct {
		struct binary **bin;
		unsigned event;
		uint64_t offset;
		unsigned n;
	} load[] = {
		{ &libc, 0, 0xabc0, 20 }, { &app, 0, 0x1000, 10 },
		{ &app, 0, 0x7000, 7 }, { &app, 0, 0x6000, 6 },
		{ &app, 0, 0x2000, 5 }, { &app, 0, 0x5000, 4 },
		{ &app, 0, 0x3000, 3 }, { &app, 0, 0x4000, 2 },
		{ &app, 0, 0x9000, 1 }, { &weird, 0, 0x1000, 1 },
		{ &weird, 0, 0x2000, 1 }, { &weird, 0, 0x3000, 1 },
		{ &weird, 0, 0x4000, 1 },
		{ &libc, 1, 0xabc0, 3 }, { &app, 1, 0x1000, 1 },
		{ &app, 2, 0x1000, 9 },
	};
	struct agg *a = agg_new(3, 4);
	size_t i;
	unsigned j;

	for (i = 0; i < sizeof load / sizeof load[0]; i++) {
		for (j = 0; j < load[i].n; j++)
			agg_add(a, load[i].event, test_frame(*load[i].bin,
			    load[i].offset + j % 4), 1);
	}
	return a;
}

/* The meta data of the fixture. */
static void
test_meta(struct export_meta *m)
{
	memset(m, 0, sizeof *m);
	m->target = "pid 42 (de\"mo), 1 thread";
	m->sampler = "perf";
	m->window = "cumulative";
	m->time = 1700000000;
	m->nevents = 3;
	m->event_names = test_event_names;
	m->lost = test_lost;
	m->sampled = test_sampled;
}

/* Write a snapshot into a string (caller frees); *rc gets the result. */
static char *
test_write(enum export_format fmt, const struct agg *a,
    const struct view_opts *o, int *rc)
{
	struct export_meta m;
	char *buf = NULL, *cause = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	test_meta(&m);
	*rc = export_write(fp, fmt, a, o, &m, &cause);
	if (*rc != 0)
		fprintf(stderr, "export_write: %s\n", cause ? cause : "?");
	free(cause);
	fclose(fp);
	return buf;
}

/* How many times needle occurs in hay. */
static size_t
test_count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* ---- A small RFC 4180 reader. ---- */

#define CSV_MAX_RECORDS 64
#define CSV_MAX_FIELDS 16

struct csv {
	size_t n;
	size_t nfields[CSV_MAX_RECORDS];
	char *f[CSV_MAX_RECORDS][CSV_MAX_FIELDS];
};

/* Free a parsed csv. */
static void
csv_free(struct csv *c)
{
	size_t i, j;

	for (i = 0; i < CSV_MAX_RECORDS; i++) {
		for (j = 0; j < c->nfields[i]; j++)
			free(c->f[i][j]);
	}
	memset(c, 0, sizeof *c);
}

/* Parse text (records end in LF or CRLF); -1 when it is malformed. */
static int
csv_parse(struct csv *c, const char *p)
{
	char field[4096];
	size_t len;

	memset(c, 0, sizeof *c);
	while (*p != '\0') {
		if (c->n == CSV_MAX_RECORDS)
			return -1;
		for (;;) {
			len = 0;
			if (*p == '"') {
				p++;
				for (;;) {
					if (*p == '\0')
						return -1;
					if (*p == '"' && p[1] == '"') {
						field[len++] = '"';
						p += 2;
					} else if (*p == '"') {
						p++;
						break;
					} else
						field[len++] = *p++;
					if (len == sizeof field - 1)
						return -1;
				}
			} else {
				while (*p != ',' && *p != '\n' && *p != '\r' &&
				    *p != '\0') {
					if (*p == '"')
						return -1;
					field[len++] = *p++;
					if (len == sizeof field - 1)
						return -1;
				}
			}
			field[len] = '\0';
			if (c->nfields[c->n] == CSV_MAX_FIELDS)
				return -1;
			c->f[c->n][c->nfields[c->n]++] = xstrdup(field);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == '\r')
				p++;
			if (*p == '\n')
				p++;
			else if (*p != '\0')
				return -1;	/* junk after a closing quote */
			break;
		}
		c->n++;
	}
	return 0;
}

/* The record whose field col is value, or -1. */
static ssize_t
csv_find(const struct csv *c, size_t col, const char *value)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (col < c->nfields[i] && strcmp(c->f[i][col], value) == 0)
			return (ssize_t)i;
	}
	return -1;
}

/* ---- A small JSON validator. ---- */

/* Skip white space. */
static const char *
json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Skip a JSON string (valid UTF-8, no raw control characters), or NULL. */
static const char *
json_string(const char *p)
{
	const unsigned char *u;
	int i, n;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		u = (const unsigned char *)p;
		if (*u < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (i = 1; i <= 4; i++) {
					if (strchr("0123456789abcdefABCDEF",
					    p[i]) == NULL || p[i] == '\0')
						return NULL;
				}
				p += 5;
			} else if (*p != '\0' &&
			    strchr("\"\\/bfnrt", *p) != NULL)
				p++;
			else
				return NULL;
			continue;
		}
		if (*u < 0x80) {
			p++;
			continue;
		}
		if (*u >= 0xc2 && *u <= 0xdf)
			n = 1;
		else if (*u >= 0xe0 && *u <= 0xef)
			n = 2;
		else if (*u >= 0xf0 && *u <= 0xf4)
			n = 3;
		else
			return NULL;
		if (*u == 0xed && (u[1] & 0xe0) == 0xa0)
			return NULL;	/* surrogate */
		if (*u == 0xe0 && u[1] < 0xa0)
			return NULL;	/* overlong */
		for (i = 1; i <= n; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return NULL;
		}
		p += n + 1;
	}
	return p + 1;
}

/* Skip a JSON number, or NULL. */
static const char *
json_number(const char *p)
{
	const char *start;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9') {
		while (*p >= '0' && *p <= '9')
			p++;
	} else
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

/* Skip one JSON value, or NULL. */
static const char *
json_value(const char *p, int depth)
{
	p = json_ws(p);
	if (depth > 32)
		return NULL;
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		bool object = *p == '{';

		p = json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (object) {
				p = json_string(json_ws(p));
				if (p == NULL)
					return NULL;
				p = json_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = json_value(p, depth + 1);
			if (p == NULL)
				return NULL;
			p = json_ws(p);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == close)
				return p + 1;
			return NULL;
		}
	}
	if (*p == '"')
		return json_string(p);
	if (strncmp(p, "true", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	return json_number(p);
}

/* Whether text is exactly one valid JSON value. */
static bool
json_valid(const char *text)
{
	const char *p = json_value(text, 0);

	return p != NULL && *json_ws(p) == '\0';
}

/* ---- The writers. ---- */

/* Names and extensions of the formats. */
static void
test_formats(void)
{
	time_t t;
	struct tm tm = { 0 };
	char *name;

	CHECK(export_format_parse("text") == EXPORT_TEXT);
	CHECK(export_format_parse("csv") == EXPORT_CSV);
	CHECK(export_format_parse("json") == EXPORT_JSON);
	CHECK(export_format_parse("folded") == EXPORT_FOLDED);
	CHECK(export_format_parse("xml") == -1);
	CHECK(export_format_parse(NULL) == -1);
	CHECK_STR(export_format_name(EXPORT_CSV), "csv");
	CHECK_STR(export_format_name(EXPORT_FOLDED), "folded");
	CHECK_STR(export_format_ext(EXPORT_TEXT), "txt");
	CHECK_STR(export_format_ext(EXPORT_CSV), "csv");
	CHECK_STR(export_format_ext(EXPORT_JSON), "json");
	CHECK_STR(export_format_ext(EXPORT_FOLDED), "folded");

	tm.tm_year = 2024 - 1900;
	tm.tm_mon = 2;
	tm.tm_mday = 5;
	tm.tm_hour = 6;
	tm.tm_min = 7;
	tm.tm_sec = 8;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	name = export_default_name(1234, t, EXPORT_CSV);
	CHECK_STR(name, "rrstat-top-1234-20240305-060708.csv");
	free(name);
	name = export_default_name(7, t, EXPORT_TEXT);
	CHECK_STR(name, "rrstat-top-7-20240305-060708.txt");
	free(name);
}

/* The text snapshot: header lines, blank line, the full table. */
static void
test_text(void)
{
	struct agg *a = test_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	char *out, *line, *save = NULL, *lines[32];
	size_t n = 0;
	int rc;

	out = test_write(EXPORT_TEXT, a, &o, &rc);
	CHECK(rc == 0);
	for (line = strtok_r(out, "\n", &save); line != NULL && n < 32;
	    line = strtok_r(NULL, "\n", &save))
		lines[n++] = line;
	/* strtok_r skips the empty line: 8 header lines, the column line,
	 * 13 rows. */
	CHECK_U64(n, 8 + 1 + 13);
	if (n != 22)
		goto out;
	CHECK_STR(lines[0], "target: pid 42 (de\"mo), 1 thread");
	CHECK_STR(lines[1], "event: cpu-clock");
	CHECK_STR(lines[2], "sampler: perf");
	CHECK_STR(lines[3], "call graph: none");
	CHECK_STR(lines[4], "window: cumulative");
	CHECK_STR(lines[5], "samples: 62");
	CHECK_STR(lines[6], "lost: 3");
	CHECK(strncmp(lines[7], "time: ", 6) == 0);
	/* "time: 2023-11-14 22:13:20 +0000" in some zone */
	CHECK_U64(strlen(lines[7]), 6 + 25);
	CHECK(lines[7][10] == '-' && lines[7][13] == '-' &&
	    lines[7][19] == ':' && lines[7][22] == ':');
	CHECK(lines[8] == lines[7] + strlen(lines[7]) + 2);	/* blank line */
	CHECK(strstr(lines[8], "SELF%") != NULL);
	CHECK(strstr(lines[8], "SELF%") < strstr(lines[8], "TOTAL%"));
	CHECK(strstr(lines[8], "TOTAL%") < strstr(lines[8], "SAMPLES"));
	CHECK(strstr(lines[8], "SAMPLES") < strstr(lines[8], "BINARY"));
	CHECK(strstr(lines[8], "BINARY") < strstr(lines[8], "FUNCTION"));
	CHECK(strstr(lines[8], "WAIT") == NULL);	/* nothing blocked */
	CHECK_STR(lines[9], " 32.26%   32.26%          20  libc.so.6  memcpy");
	CHECK_STR(lines[10], " 16.13%   16.13%          10  app        main");
	CHECK(strlen(lines[11]) > strlen(LONG_NAME) &&
	    strcmp(lines[11] + strlen(lines[11]) - strlen(LONG_NAME),
	    LONG_NAME) == 0);
	CHECK(strstr(lines[12], "semi;colon") != NULL);
	CHECK(strstr(lines[15], "ctl??name") != NULL);	/* control chars */
	CHECK(strstr(lines[17], "[unknown]") != NULL ||
	    strstr(lines[18], "[unknown]") != NULL ||
	    strstr(lines[19], "[unknown]") != NULL ||
	    strstr(lines[20], "[unknown]") != NULL ||
	    strstr(lines[21], "[unknown]") != NULL);
out:
	free(out);

	/* Grouped, and another event: what the screen shows is written. */
	o.group = true;
	o.event = 1;
	out = test_write(EXPORT_TEXT, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(strstr(out, "event: task-clock\n") != NULL);
	CHECK(strstr(out, "lost: 0\n") != NULL);
	CHECK(strstr(out, "samples: 4\n") != NULL);
	CHECK(strstr(out, "\n 75.00%   75.00%           3  libc.so.6\n"
	    " 75.00%   75.00%           3  libc.so.6  memcpy\n"
	    " 25.00%   25.00%           1  app\n"
	    " 25.00%   25.00%           1  app        main\n") != NULL);
	free(out);
	agg_free(a);
}

#define CSV_HEADER \
	"event,binary,function,samples,self_pct,total_pct,address,wait\n"

/* The csv snapshot parsed back. */
static void
test_csv(void)
{
	struct agg *a = test_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF, .group = true };
	struct csv c;
	char *out, pct[32];
	ssize_t i;
	int rc;

	out = test_write(EXPORT_CSV, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(strncmp(out, CSV_HEADER, strlen(CSV_HEADER)) == 0);
	CHECK(strstr(out, ",\"parse, \"\"quoted\"\" name\",") != NULL);
	CHECK(csv_parse(&c, out) == 0);
	/* header + 13 rows of event 0 + 2 of event 1; never grouped; the
	 * unsampled event 2 is left out */
	CHECK_U64(c.n, 1 + 13 + 2);
	for (i = 0; i < (ssize_t)c.n; i++)
		CHECK_U64(c.nfields[i], 8);
	CHECK(csv_find(&c, 0, "page-faults") == -1);

	/* sorted as o says: memcpy first */
	CHECK_STR(c.f[1][0], "cpu-clock");
	CHECK_STR(c.f[1][1], "libc.so.6");
	CHECK_STR(c.f[1][2], "memcpy");
	CHECK_STR(c.f[1][3], "20");
	CHECK_STR(c.f[1][4], "32.26");
	CHECK_STR(c.f[1][5], "32.26");
	CHECK_STR(c.f[1][6], "0xabc0");
	CHECK_STR(c.f[1][7], "");	/* nothing blocked */

	i = csv_find(&c, 2, "parse, \"quoted\" name");
	CHECK(i > 0);
	if (i > 0) {
		CHECK_STR(c.f[i][0], "cpu-clock");
		CHECK_STR(c.f[i][1], "app");
		CHECK_STR(c.f[i][3], "5");
		snprintf(pct, sizeof pct, "%.2f", 5 * 100.0 / 62);
		CHECK_STR(c.f[i][4], pct);
		CHECK_STR(c.f[i][6], "0x2000");
	}
	i = csv_find(&c, 2, "ctl\x01\nname");
	CHECK(i > 0 && strcmp(c.f[i][3], "3") == 0);
	i = csv_find(&c, 2, "semi;colon");
	CHECK(i > 0 && strcmp(c.f[i][6], "0x6000") == 0);
	i = csv_find(&c, 2, LONG_NAME);
	CHECK(i > 0);
	i = csv_find(&c, 2, "[unknown]");
	CHECK(i > 0);
	if (i > 0) {
		CHECK_STR(c.f[i][1], "app");
		CHECK_STR(c.f[i][3], "1");
		CHECK_STR(c.f[i][4], "1.61");
		CHECK_STR(c.f[i][6], "");
	}
	i = csv_find(&c, 0, "task-clock");
	CHECK(i == 14);
	if (i == 14) {
		CHECK_STR(c.f[14][2], "memcpy");
		CHECK_STR(c.f[14][3], "3");
		CHECK_STR(c.f[14][4], "75.00");
		CHECK_STR(c.f[15][2], "main");
		CHECK_STR(c.f[15][4], "25.00");
	}
	csv_free(&c);
	free(out);

	/* The filter and sort of o apply to every event. */
	o.filter = "MEMCPY";
	o.sort = VIEW_SORT_FUNCTION;
	out = test_write(EXPORT_CSV, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(csv_parse(&c, out) == 0);
	CHECK_U64(c.n, 3);
	CHECK(c.n == 3 && strcmp(c.f[1][0], "cpu-clock") == 0 &&
	    strcmp(c.f[2][0], "task-clock") == 0 &&
	    strcmp(c.f[2][2], "memcpy") == 0);
	csv_free(&c);
	free(out);

	/* The parser itself rejects what is not csv. */
	CHECK(csv_parse(&c, "a,\"b\nc") == -1);
	csv_free(&c);
	CHECK(csv_parse(&c, "a,b\"c\n") == -1);
	csv_free(&c);
	agg_free(a);
}

#define JSON_PREFIX \
	"{\"target\":\"pid 42 (de\\\"mo), 1 thread\"," \
	"\"sampler\":\"perf\",\"call_graph\":\"none\",\"window\":\"cumulative\",\"time\":\""

/* The json snapshot: valid, escaped, of the documented shape. */
static void
test_json(void)
{
	struct agg *a = test_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	const char *p;
	char *out;
	int rc;

	out = test_write(EXPORT_JSON, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(json_valid(out));
	CHECK(strncmp(out, JSON_PREFIX, strlen(JSON_PREFIX)) == 0);
	p = strstr(out, "\"time\":\"");
	/* "2023-11-14T22:13:20+00:00" in some zone */
	CHECK(p != NULL && p[8 + 4] == '-' && p[8 + 10] == 'T' &&
	    p[8 + 22] == ':' && p[8 + 25] == '"');
	CHECK(strstr(out, "\"events\":[") != NULL);
	CHECK(strstr(out, "{\"name\":\"cpu-clock\",\"samples\":62,\"lost\":3,"
	    "\"functions\":[") != NULL);
	CHECK(strstr(out, "{\"name\":\"task-clock\",\"samples\":4,\"lost\":0,"
	    "\"functions\":[") != NULL);
	CHECK(strstr(out, "page-faults") == NULL);
	CHECK_U64(test_count(out, "\"name\":"), 2);
	CHECK_U64(test_count(out, "\"lines\":[]"), 15);
	CHECK_U64(test_count(out, "\"wait\":[]"), 15);
	CHECK(strstr(out, "{\"binary\":\"libc.so.6\",\"function\":\"memcpy\","
	    "\"samples\":20,\"self_pct\":32.26,\"total_pct\":32.26,"
	    "\"address\":\"0xabc0\",\"lines\":[],\"wait\":[]}") != NULL);
	CHECK(strstr(out, "{\"binary\":\"app\",\"function\":\"[unknown]\","
	    "\"samples\":1,\"self_pct\":1.61,\"total_pct\":1.61,"
	    "\"address\":null,\"lines\":[],\"wait\":[]}") != NULL);
	CHECK(strstr(out,
	    "\"function\":\"parse, \\\"quoted\\\" name\"") != NULL);
	CHECK(strstr(out, "\"function\":\"ctl\\u0001\\u000aname\"") != NULL);
	CHECK(strstr(out, "\"function\":\"bad\\ufffd\\ufffdutf8\"") != NULL);
	CHECK(strstr(out, "\"function\":\"\xc3\xbcn\xc3\xaf" "code\"") != NULL);
	CHECK(strstr(out, "\"function\":\"trunc\\ufffd\\ufffd\"") != NULL);
	CHECK(strstr(out,
	    "\"function\":\"surr\\ufffd\\ufffd\\ufffd\"") != NULL);
	CHECK(strstr(out, "\"function\":\"over\\ufffd\\ufffd\"") != NULL);
	CHECK(strstr(out, "\"function\":\"del\x7f\"") != NULL);
	CHECK(strstr(out, "\"function\":\"" LONG_NAME "\"") != NULL);
	/* o's order within each event */
	CHECK(strstr(out, "\"memcpy\"") < strstr(out, "\"main\""));
	CHECK(strlen(out) > 3 && strcmp(out + strlen(out) - 3, "]}\n") == 0);
	free(out);

	/* The validator itself catches breakage. */
	CHECK(!json_valid("{\"a\":\"x\x01\"}"));
	CHECK(!json_valid("{\"a\":\"\xff\"}"));
	CHECK(!json_valid("{\"a\":1,}"));
	CHECK(json_valid("{\"a\":[1,2.5,null,\"\\u00e9\"]}"));
	agg_free(a);
}

/* The folded snapshot: binary;function COUNT per function. */
static void
test_folded(void)
{
	struct agg *a = test_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF, .group = true };
	char *out, *line, *save = NULL, *sp;
	unsigned long long sum = 0;
	size_t n = 0, bad = 0;
	int rc;

	out = test_write(EXPORT_FOLDED, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(strncmp(out, "libc.so.6;memcpy 20\napp;main 10\n", 32) == 0);
	CHECK(strstr(out, "\napp;semi:colon 6\n") != NULL);
	CHECK(strstr(out, "\napp;ctl??name 3\n") != NULL);
	CHECK(strstr(out, "\napp;[unknown] 1\n") != NULL);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n++;
		sp = strrchr(line, ' ');
		if (sp == NULL || test_count(line, ";") != 1 ||
		    strspn(sp + 1, "0123456789") != strlen(sp + 1))
			bad++;
		else
			sum += strtoull(sp + 1, NULL, 10);
	}
	CHECK_U64(n, 13);
	CHECK_U64(bad, 0);
	CHECK_U64(sum, 62);
	free(out);

	o.event = 1;
	out = test_write(EXPORT_FOLDED, a, &o, &rc);
	CHECK_STR(out, "libc.so.6;memcpy 3\napp;main 1\n");
	free(out);
	agg_free(a);
}

/* The name that the writers give system call nr. */
static const char *
test_sysname(long nr)
{
	static char buf[4][32];
	static int k;
	const char *name = procstat_syscall_name(nr);

	if (name != NULL)
		return name;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "syscall_%ld", nr);
	return buf[k];
}

/*
 * Blocked samples (wait-time) in event 1, of weight 10 each:
 *   libc memcpy: read 3, futex 1, ran 1
 *   app main: ran 2
 *   app "parse, ...": outside a system call 1
 *   app semi;colon: system call 4000 (unknown) 1
 * Event 0: memcpy ran 4.
 */
static struct agg *
test_wait_fixture(void)
{
	struct agg *a = agg_new(3, 2);
	int k;

	for (k = 0; k < 4; k++)
		agg_add(a, 0, test_frame(libc, 0xabc0), 1);
	for (k = 0; k < 3; k++)
		agg_add_blocked(a, 1, test_frame(libc, 0xabc4), 0, 10);
	agg_add_blocked(a, 1, test_frame(libc, 0xabc8), 202, 10);
	agg_add(a, 1, test_frame(libc, 0xabc0), 10);
	agg_add(a, 1, test_frame(app, 0x1000), 10);
	agg_add(a, 1, test_frame(app, 0x1004), 10);
	agg_add_blocked(a, 1, test_frame(app, 0x2000), AGG_NOSYS, 10);
	agg_add_blocked(a, 1, test_frame(app, 0x6000), 4000, 10);
	return a;
}

/* What blocked samples wait in, in every format: text's WAIT column (only
 * for an event with blocked samples), csv's wait column, json's "wait"
 * arrays, folded's leaf frames. */
static void
test_waits(void)
{
	struct agg *a = test_wait_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF, .event = 1 };
	char *out, *want, *line, *save = NULL, *sp;
	const char *rd = test_sysname(0), *fx = test_sysname(202);
	unsigned long long sum = 0;
	struct csv c;
	ssize_t i;
	size_t n = 0, ww;
	int rc;

	/* text: WAIT between SAMPLES and BINARY, as wide as its widest
	 * entry ("syscall_4000"), "+" where others share the wait. */
	out = test_write(EXPORT_TEXT, a, &o, &rc);
	CHECK(rc == 0);
	ww = strlen("syscall_4000");
	if (strlen(rd) + 1 > ww)
		ww = strlen(rd) + 1;
	want = xasprintf("\n  SELF%%   TOTAL%%     SAMPLES  %-*s  BINARY     "
	    "FUNCTION\n"
	    " 55.56%%   55.56%%           5  %s+%*s  libc.so.6  memcpy\n"
	    " 22.22%%   22.22%%           2  %*s  app        main\n",
	    (int)ww, "WAIT", rd, (int)(ww - strlen(rd) - 1), "", (int)ww, "");
	CHECK(strstr(out, want) != NULL);
	if (strstr(out, want) == NULL)
		fprintf(stderr, "%s---\n%s", out, want);
	free(want);
	want = xasprintf("  %-*s  app        semi;colon\n", (int)ww,
	    "syscall_4000");
	CHECK(strstr(out, want) != NULL);
	free(want);
	want = xasprintf("  %-*s  app        parse, \"quoted\" name\n",
	    (int)ww, "(fault)");
	CHECK(strstr(out, want) != NULL);
	free(want);
	free(out);
	/* an event that only ran has no WAIT column */
	o.event = 0;
	out = test_write(EXPORT_TEXT, a, &o, &rc);
	CHECK(rc == 0 && strstr(out, "WAIT") == NULL);
	CHECK(strstr(out, "\n100.00%  100.00%           4  libc.so.6  memcpy\n")
	    != NULL);
	free(out);
	/* nor does a window out of which the blocked samples went */
	o.event = 1;
	o.window = true;
	agg_tick(a);
	agg_tick(a);
	agg_tick(a);	/* the fixture's tick leaves the window */
	agg_add(a, 1, test_frame(app, 0x1000), 10);
	out = test_write(EXPORT_TEXT, a, &o, &rc);
	CHECK(rc == 0 && strstr(out, "WAIT") == NULL);
	CHECK(strstr(out, "\n100.00%  100.00%           1  app     main\n")
	    != NULL);
	free(out);
	o.window = false;

	/* csv: the hottest system call, no marker, in the last column */
	out = test_write(EXPORT_CSV, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(strncmp(out, CSV_HEADER, strlen(CSV_HEADER)) == 0);
	CHECK(csv_parse(&c, out) == 0);
	CHECK_U64(c.n, 1 + 1 + 4);
	for (i = 0; i < (ssize_t)c.n; i++)
		CHECK_U64(c.nfields[i], 8);
	if (c.n == 6) {
		CHECK_STR(c.f[1][0], "cpu-clock");
		CHECK_STR(c.f[1][7], "");
		CHECK_STR(c.f[2][0], "task-clock");
		CHECK_STR(c.f[2][2], "memcpy");
		CHECK_STR(c.f[2][3], "5");
		CHECK_STR(c.f[2][7], rd);
		CHECK_STR(c.f[3][2], "main");
		CHECK_STR(c.f[3][3], "3");
		CHECK_STR(c.f[3][7], "");
		i = csv_find(&c, 2, "parse, \"quoted\" name");
		CHECK(i > 0 && strcmp(c.f[i][7], "(fault)") == 0);
		i = csv_find(&c, 2, "semi;colon");
		CHECK(i > 0 && strcmp(c.f[i][7], "syscall_4000") == 0);
	}
	csv_free(&c);
	free(out);

	/* json: every system call, hottest first, pct of the function */
	out = test_write(EXPORT_JSON, a, &o, &rc);
	CHECK(rc == 0);
	CHECK(json_valid(out));
	want = xasprintf("{\"binary\":\"libc.so.6\",\"function\":\"memcpy\","
	    "\"samples\":5,\"self_pct\":50.00,\"total_pct\":50.00,"
	    "\"address\":\"0xabc0\",\"lines\":[],\"wait\":["
	    "{\"syscall\":\"%s\",\"samples\":3,\"pct\":60.00},"
	    "{\"syscall\":\"%s\",\"samples\":1,\"pct\":20.00}]}", rd, fx);
	CHECK(strstr(out, want) != NULL);
	if (strstr(out, want) == NULL)
		fprintf(stderr, "%s---\n%s\n", out, want);
	free(want);
	CHECK(strstr(out, "\"function\":\"main\",\"samples\":3,"
	    "\"self_pct\":30.00,\"total_pct\":30.00,\"address\":\"0x1000\","
	    "\"lines\":[],\"wait\":[]}") != NULL);
	CHECK(strstr(out, "\"wait\":[{\"syscall\":\"(fault)\",\"samples\":1,"
	    "\"pct\":100.00}]}") != NULL);
	CHECK(strstr(out, "\"wait\":[{\"syscall\":\"syscall_4000\","
	    "\"samples\":1,\"pct\":100.00}]}") != NULL);
	/* event 0's memcpy only ran */
	CHECK(strstr(out, "\"samples\":4,\"self_pct\":100.00,"
	    "\"total_pct\":100.00,\"address\":\"0xabc0\",\"lines\":[],"
	    "\"wait\":[]}") != NULL);
	CHECK_U64(test_count(out, "\"wait\":["), 5);
	CHECK_U64(test_count(out, "\"syscall\":"), 4);
	free(out);

	/* folded: blocked samples one frame deeper; the counts add up */
	out = test_write(EXPORT_FOLDED, a, &o, &rc);
	CHECK(rc == 0);
	want = xasprintf("libc.so.6;memcpy 1\nlibc.so.6;memcpy;[%s] 3\n"
	    "libc.so.6;memcpy;[%s] 1\napp;main 3\n", rd, fx);
	CHECK(strncmp(out, want, strlen(want)) == 0);
	if (strncmp(out, want, strlen(want)) != 0)
		fprintf(stderr, "%s---\n%s", out, want);
	free(want);
	CHECK(strstr(out, "\napp;parse, \"quoted\" name;[fault] 1\n") != NULL);
	CHECK(strstr(out, "\napp;semi:colon;[syscall_4000] 1\n") != NULL);
	CHECK(strstr(out, "app;parse, \"quoted\" name 1") == NULL);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n++;
		sp = strrchr(line, ' ');
		if (sp != NULL)
			sum += strtoull(sp + 1, NULL, 10);
	}
	CHECK_U64(n, 6);
	CHECK_U64(sum, 10);
	free(out);
	/* the window: only main's last sample */
	o.window = true;
	out = test_write(EXPORT_FOLDED, a, &o, &rc);
	CHECK_STR(out, "app;main 1\n");
	free(out);
	agg_free(a);
}

/* A full disk is reported, in every format. */
static void
test_enospc(void)
{
	struct agg *a = test_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	struct export_meta m;
	char *cause;
	FILE *fp;
	int f;

	test_meta(&m);
	for (f = 0; f < EXPORT_COUNT; f++) {
		fp = fopen("/dev/full", "w");
		if (fp == NULL) {
			fprintf(stderr, "no /dev/full: skipped\n");
			break;
		}
		cause = NULL;
		CHECK(export_write(fp, (enum export_format)f, a, &o, &m,
		    &cause) == -1);
		CHECK(cause != NULL &&
		    strstr(cause, strerror(ENOSPC)) != NULL);
		free(cause);
		fclose(fp);
	}
	cause = NULL;
	fp = fopen("/dev/null", "w");
	if (fp != NULL) {
		CHECK(export_write(fp, EXPORT_COUNT, a, &o, &m, &cause) == -1);
		CHECK(cause != NULL);
		free(cause);
		fclose(fp);
	}
	agg_free(a);
}

/* ---- Files. ---- */

static char test_dir[64];

/* The contents of path (caller frees), or NULL. */
static char *
test_slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *fp = fopen(path, "r");
	FILE *mem;

	if (fp == NULL)
		return NULL;
	mem = open_memstream(&buf, &len);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(fp);
	fclose(mem);
	return buf;
}

/* Write contents to path. */
static void
test_put(const char *path, const char *contents)
{
	FILE *fp = fopen(path, "w");

	if (fp != NULL) {
		fputs(contents, fp);
		fclose(fp);
	}
}

/* Write a small snapshot file at path; returns the final name (caller
 * frees) or NULL with *cause set. */
static char *
test_file(const char *path, const char *contents, char **cause)
{
	struct export_file *f;
	char *final = NULL;

	*cause = NULL;
	if (export_open(&f, path, cause) != 0)
		return NULL;
	fputs(contents, export_stream(f));
	if (export_commit(f, &final, cause) != 0)
		return NULL;
	return final;
}

/* How many names in dir start with prefix. */
static size_t
test_dir_count(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return (size_t)-1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Remove dir and what is in it (one level of subdirectories). */
static void
test_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *p;
	struct stat sb;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			chmod(p, 0755);
			test_rmtree(p);
		} else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Commit, no overwrite, numbered names, symbolic links, errors. */
static void
test_files(void)
{
	struct agg *a = test_fixture();
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	struct export_meta m;
	struct export_file *f;
	struct stat sb;
	char *p, *q, *final, *cause, *s, cwd[4096];
	struct csv c;
	int rc;

	strcpy(test_dir, "/tmp/rrstat-export-XXXXXX");
	if (mkdtemp(test_dir) == NULL) {
		CHECK(!"mkdtemp");
		agg_free(a);
		return;
	}
	chmod(test_dir, 0755);
	test_meta(&m);

	/* A real snapshot, written through a file and read back. */
	p = xasprintf("%s/snap.csv", test_dir);
	CHECK(export_open(&f, p, &cause) == 0);
	CHECK(export_write(export_stream(f), EXPORT_CSV, a, &o, &m,
	    &cause) == 0);
	CHECK(stat(p, &sb) == -1 && errno == ENOENT);	/* not there yet */
	CHECK(export_commit(f, &final, &cause) == 0);
	CHECK_STR(final, p);
	s = test_slurp(p);
	CHECK(s != NULL && csv_parse(&c, s) == 0 && c.n == 16);
	csv_free(&c);
	free(s);
	CHECK(stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink == 1);
	free(final);

	/* Never overwrite: -1, -2 before the extension. */
	final = test_file(p, "second", &cause);
	q = xasprintf("%s/snap-1.csv", test_dir);
	CHECK_STR(final, q);
	free(q);
	free(final);
	final = test_file(p, "third", &cause);
	q = xasprintf("%s/snap-2.csv", test_dir);
	CHECK_STR(final, q);
	s = test_slurp(q);
	CHECK_STR(s, "third");
	free(s);
	free(q);
	free(final);
	s = test_slurp(p);
	CHECK(s != NULL && strncmp(s, "event,binary,", 13) == 0);
	free(s);
	free(p);

	/* No extension; several dots; a hidden name. */
	p = xasprintf("%s/noext", test_dir);
	final = test_file(p, "1", &cause);
	CHECK_STR(final, p);
	free(final);
	final = test_file(p, "2", &cause);
	q = xasprintf("%s-1", p);
	CHECK_STR(final, q);
	free(q);
	free(final);
	free(p);
	p = xasprintf("%s/a.b.json", test_dir);
	free(test_file(p, "1", &cause));
	final = test_file(p, "2", &cause);
	q = xasprintf("%s/a.b-1.json", test_dir);
	CHECK_STR(final, q);
	free(q);
	free(final);
	free(p);
	p = xasprintf("%s/.hidden", test_dir);
	free(test_file(p, "1", &cause));
	final = test_file(p, "2", &cause);
	q = xasprintf("%s/.hidden-1", test_dir);
	CHECK_STR(final, q);
	free(q);
	free(final);
	free(p);

	/* A symbolic link at the path is never followed. */
	p = xasprintf("%s/target.txt", test_dir);
	test_put(p, "orig");
	q = xasprintf("%s/link.txt", test_dir);
	CHECK(symlink(p, q) == 0);
	final = test_file(q, "snapshot", &cause);
	free(q);
	q = xasprintf("%s/link-1.txt", test_dir);
	CHECK_STR(final, q);
	free(final);
	s = test_slurp(p);
	CHECK_STR(s, "orig");
	free(s);
	s = test_slurp(q);
	CHECK_STR(s, "snapshot");
	free(s);
	free(q);
	q = xasprintf("%s/link.txt", test_dir);
	CHECK(lstat(q, &sb) == 0 && S_ISLNK(sb.st_mode));
	free(q);
	free(p);

	/* Nor a dangling one: its target is not created. */
	p = xasprintf("%s/nowhere.txt", test_dir);
	q = xasprintf("%s/dangle.txt", test_dir);
	CHECK(symlink(p, q) == 0);
	final = test_file(q, "snapshot", &cause);
	free(q);
	q = xasprintf("%s/dangle-1.txt", test_dir);
	CHECK_STR(final, q);
	free(final);
	free(q);
	CHECK(lstat(p, &sb) == -1 && errno == ENOENT);
	free(p);

	/* A directory that does not exist. */
	p = xasprintf("%s/nope/x.csv", test_dir);
	cause = NULL;
	f = NULL;
	CHECK(export_open(&f, p, &cause) == -1);
	CHECK(f == NULL);
	q = xasprintf("cannot write %s: %s", p, strerror(ENOENT));
	CHECK_STR(cause, q);
	free(q);
	free(cause);
	free(p);

	/* A path naming a directory. */
	p = xasprintf("%s/", test_dir);
	cause = NULL;
	CHECK(export_open(&f, p, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "cannot write") == cause);
	free(cause);
	free(p);

	/* A directory that cannot be written. */
	p = xasprintf("%s/ro", test_dir);
	mkdir(p, 0555);
	chmod(p, 0555);
	q = xasprintf("%s/x.csv", p);
	if (geteuid() != 0) {
		cause = NULL;
		CHECK(export_open(&f, q, &cause) == -1);
		CHECK(cause != NULL && strstr(cause, strerror(EACCES)) != NULL);
		free(cause);
	} else {
		/* root writes anywhere: try as nobody, in a child */
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			int ok = 2;

			if (setgroups(0, NULL) == 0 && setgid(65534) == 0 &&
			    setuid(65534) == 0) {
				cause = NULL;
				ok = export_open(&f, q, &cause) == -1 &&
				    cause != NULL &&
				    strstr(cause, q) != NULL &&
				    strstr(cause, strerror(EACCES)) != NULL;
				free(cause);
			}
			_exit(ok == 2 ? 2 : !ok);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 1);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
			fprintf(stderr, "cannot become nobody: skipped\n");
	}
	free(q);
	free(p);
	cause = NULL;
	CHECK(export_open(&f, "/proc/rrstat-top-test.csv", &cause) == -1);
	CHECK(cause != NULL && strncmp(cause,
	    "cannot write /proc/rrstat-top-test.csv: ", 40) == 0);
	free(cause);

	/* Abort leaves nothing. */
	p = xasprintf("%s/aborted.csv", test_dir);
	CHECK(export_open(&f, p, &cause) == 0);
	fputs("half", export_stream(f));
	export_abort(f);
	CHECK(stat(p, &sb) == -1 && errno == ENOENT);
	free(p);

	/* The directory vanishes before the commit. */
	p = xasprintf("%s/gone", test_dir);
	mkdir(p, 0755);
	q = xasprintf("%s/x.csv", p);
	CHECK(export_open(&f, q, &cause) == 0);
	fputs("data", export_stream(f));
	if (rmdir(p) == 0) {
		cause = NULL;
		final = NULL;
		CHECK(export_commit(f, &final, &cause) == -1);
		CHECK(final == NULL);
		CHECK(cause != NULL && strstr(cause, q) != NULL);
		free(cause);
	} else {
		/* the fallback's temporary file is in it */
		CHECK(export_commit(f, &final, &cause) == 0);
		free(final);
	}
	free(q);
	free(p);

	/* A name without a directory is in the current one. */
	if (getcwd(cwd, sizeof cwd) != NULL && chdir(test_dir) == 0) {
		final = test_file("rel.txt", "x", &cause);
		CHECK_STR(final, "rel.txt");
		free(final);
		final = test_file("rel.txt", "x", &cause);
		CHECK_STR(final, "rel-1.txt");
		free(final);
		CHECK(chdir(cwd) == 0);
	}

	/* Every file accounted for, no temporary file left. */
	CHECK_U64(test_dir_count(test_dir, ".rrstat-top-"), 0);
	/* snap 3, noext 2, a.b 2, .hidden 2, target and links 3, dangle 2,
	 * ro 1, rel 2, and gone if it could not be removed */
	p = xasprintf("%s/gone", test_dir);
	rc = stat(p, &sb) == 0;
	if (rc)
		CHECK_U64(test_dir_count(p, ".rrstat-top-"), 0);
	CHECK_U64(test_dir_count(test_dir, ""), 17 + rc);
	free(p);
	p = xasprintf("%s/link.txt", test_dir);
	CHECK(lstat(p, &sb) == 0 && S_ISLNK(sb.st_mode));
	free(p);

	test_rmtree(test_dir);
	agg_free(a);
}

/* A name of n copies of c (caller frees). */
static char *
test_rep(const char *c, size_t n, const char *tail)
{
	size_t len = strlen(c);
	char *out = xmalloc(n * len + strlen(tail) + 1);

	for (size_t i = 0; i < n; i++)
		memcpy(out + i * len, c, len);
	strcpy(out + n * len, tail);
	return out;
}

/* Write contents at path; the file written is want (freed here) and
 * holds contents. */
static void
test_twice(const char *path, char *want, const char *contents)
{
	char *cause = NULL, *final, *s;

	final = test_file(path, contents, &cause);
	CHECK_STR(final, want);
	s = final != NULL ? test_slurp(final) : NULL;
	CHECK_STR(s, contents);
	free(s);
	free(final);
	free(want);
	free(cause);
}

/* A snapshot of contents for gone/x.csv, with the fallback name
 * fallback.csv, whose directory gone is removed before the commit: it is
 * written as want, here. */
static void
test_gone(const char *contents, const char *want)
{
	struct export_file *f;
	char *cause = NULL, *final = NULL, *s;

	CHECK(mkdir("gone", 0755) == 0);
	CHECK(export_open(&f, "gone/x.csv", &cause) == 0);
	export_fallback(f, "fallback.csv");
	fputs(contents, export_stream(f));
	CHECK(rmdir("gone") == 0);
	CHECK(export_commit(f, &final, &cause) == 0);
	CHECK_STR(final, want);
	s = test_slurp(want);
	CHECK_STR(s, contents);
	free(s);
	free(final);
	free(cause);
}

/* Long names: the suffixed name cut to fit NAME_MAX and PATH_MAX; paths
 * that are no file (a directory, a device) refused; the fallback in the
 * current directory where the asked one takes no name. */
static void
test_names(void)
{
	char dir[] = "/tmp/rrstat-names-XXXXXX", cwd[4096];
	char *p, *q, *name, *cause = NULL;
	struct export_file *f;

	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof cwd) == NULL ||
	    chdir(dir) != 0) {
		CHECK(!"mkdtemp, getcwd or chdir");
		return;
	}

	/* 251 + ".txt": the first fits, name-1.txt is cut to 255. */
	p = test_rep("a", 251, ".txt");
	test_twice(p, xstrdup(p), "1");
	test_twice(p, test_rep("a", 249, "-1.txt"), "2");
	test_twice(p, test_rep("a", 249, "-2.txt"), "3");
	free(p);

	/* An extension too long to keep: the cut goes into it. */
	p = test_rep("e", 253, "");
	name = xasprintf("b.%s", p);
	test_twice(name, xstrdup(name), "1");
	test_twice(name, xasprintf("%.253s-1", name), "2");
	free(name);
	free(p);

	/* Never inside a UTF-8 character: 125 x 2 bytes + ".txt". */
	p = test_rep("\xc3\xa9", 125, ".txt");
	test_twice(p, xstrdup(p), "1");
	test_twice(p, test_rep("\xc3\xa9", 124, "-1.txt"), "2");
	free(p);

	/* A path of 4094 bytes ("./" 1922 times and 250 bytes): name-1 would
	 * pass PATH_MAX - 1, so the name is cut by one. */
	p = test_rep("./", 1922, "");
	q = test_rep("d", 250, "");
	name = xasprintf("%s%s", p, q);
	test_twice(name, xstrdup(name), "1");
	free(q);
	q = test_rep("d", 249, "-1");
	test_twice(name, xasprintf("%s%s", p, q), "2");
	free(name);
	free(q);
	free(p);

	/* No file at all: a directory, a device, a link to a directory. */
	CHECK(export_check_path(".", &cause) == -1);
	CHECK_STR(cause, "cannot write a snapshot to .: it is a directory (give a file name)");
	free(cause);
	CHECK(export_open(&f, "/dev/null", &cause) == -1);
	CHECK_STR(cause, "cannot write a snapshot to /dev/null: it is a device (give a file name)");
	free(cause);
	CHECK(symlink(dir, "dirlink") == 0);
	CHECK(export_check_path("dirlink", &cause) == -1);
	CHECK_STR(cause, "cannot write a snapshot to dirlink: it is a directory (give a file name)");
	free(cause);
	CHECK(mkfifo("fifo", 0600) == 0);
	CHECK(export_check_path("fifo", &cause) == -1);
	CHECK_STR(cause, "cannot write a snapshot to fifo: it is not a regular file (give a file name)");
	free(cause);
	test_put("plain", "x");
	CHECK(symlink("plain", "filelink") == 0);
	CHECK(export_check_path("plain", &cause) == 0);
	CHECK(export_check_path("filelink", &cause) == 0);
	CHECK(export_check_path("none", &cause) == 0);
	p = test_rep("f", 256, "");
	CHECK(export_check_path(p, &cause) == -1);
	q = xasprintf("cannot write a snapshot to %.64s...: %s", p,
	    strerror(ENAMETOOLONG));
	CHECK_STR(cause, q);
	free(cause);
	free(q);
	free(p);

	/* The directory vanishes: the fallback name, here, and its own
	 * suffix where that name is taken. */
	test_gone("kept", "fallback.csv");
	test_gone("again", "fallback-1.csv");
	CHECK_U64(test_dir_count(".", ".rrstat-top-"), 0);

	CHECK(chdir(cwd) == 0);
	test_rmtree(dir);
}

/* Run the tests. */
int
main(void)
{
	cache = binary_cache_new();
	app = binary_synthetic(cache, "app", test_app_funcs, 7);
	libc = binary_synthetic(cache, "libc.so.6", test_libc_funcs, 1);
	weird = binary_synthetic(cache, "weird", test_weird_funcs, 4);

	test_formats();
	test_text();
	test_csv();
	test_json();
	test_folded();
	test_waits();
	test_enospc();
	test_files();
	test_names();

	binary_cache_free(cache);
	return check_exit("test_export");
}
