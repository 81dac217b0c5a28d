/*
 * Unit tests for the diff and the JSON reader behind --baseline: the
 * reader's values, escapes and errors (with line and column); the test's
 * p-values against exact binomial figures; rows matched by name, new and
 * gone ones, sorted by the largest change, filtered, zoomed and grouped;
 * "since" as now less then; and a baseline read from a json snapshot.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diff.h"
#include "json.h"
#include "xmalloc.h"

#define NEAR(a, b, eps)	(fabs((a) - (b)) <= (eps))

/* Parse text, expecting success. */
static void
parse_ok(const char *text, struct json *j)
{
	char *cause = NULL;

	CHECK(json_parse(text, strlen(text), j, &cause) == 0);
	if (cause != NULL) {
		fprintf(stderr, "  %s: %s\n", text, cause);
		free(cause);
	}
}

/* Parse text, expecting a failure whose cause contains want. */
static void
parse_bad(const char *text, size_t len, const char *want)
{
	struct json j;
	char *cause = NULL;

	CHECK(json_parse(text, len, &j, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, want) != NULL);
	if (cause != NULL && strstr(cause, want) == NULL)
		fprintf(stderr, "  got '%s', want '%s'\n", cause, want);
	free(cause);
}

static void
test_json(void)
{
	struct json j;
	const struct json *a;
	double d;
	char deep[200];
	size_t i;

	parse_ok(" {\"a\": [1, -2.5e2, true, false, null, \"x\\n\\u00e9\\ud83d\\ude00\\\"\"],"
	    " \"b\": {}, \"c\": []} ", &j);
	a = json_get(&j, "a");
	CHECK(a != NULL && a->type == JSON_ARRAY && a->n == 6);
	if (a != NULL && a->n == 6) {
		CHECK(json_num(&a->items[0], &d) && d == 1);
		CHECK(json_num(&a->items[1], &d) && d == -250);
		CHECK(a->items[2].type == JSON_TRUE);
		CHECK(a->items[3].type == JSON_FALSE);
		CHECK(a->items[4].type == JSON_NULL);
		CHECK_STR(json_str(&a->items[5]), "x\n\xc3\xa9\xf0\x9f\x98\x80\"");
	}
	CHECK(json_get(&j, "b") != NULL && json_get(&j, "b")->type == JSON_OBJECT);
	CHECK(json_get(&j, "zz") == NULL);
	CHECK(json_str(json_get(&j, "a")) == NULL);
	json_free(&j);

	parse_bad("{\"a\":1,}", 8, "line 1, column 8: expected a member name");
	parse_bad("[1,\n2,\n03]", 10, "line 3, column 2: expected ',' or ']'");
	parse_bad("\"abc", 4, "unterminated string");
	parse_bad("\"\\ud800x\"", 9, "bad surrogate pair");
	parse_bad("\"\\u0000\"", 8, "NUL in a string");
	parse_bad("\"a\tb\"", 5, "control character");
	parse_bad("tru", 3, "unexpected character");
	parse_bad("1 2", 3, "text after the value");
	parse_bad("-", 1, "bad number");
	parse_bad("1e999", 5, "number out of range");
	parse_bad("", 0, "unexpected end");
	parse_bad("[1", 2, "expected ',' or ']'");
	parse_bad("\"a\0b\"", 5, "control character");
	for (i = 0; i < sizeof deep - 1; i++)
		deep[i] = '[';
	deep[sizeof deep - 1] = '\0';
	parse_bad(deep, strlen(deep), "nested too deeply");
}

/* p-values against figures of the exact binomial test. */
static void
test_pvalue(void)
{
	/* m = 10, p0 = 1/2, b = 0: 2 * 2^-10. */
	CHECK(NEAR(diff_pvalue(0, 100, 10, 100), 2.0 / 1024, 1e-9));
	/* Equal shares: nothing to see. */
	CHECK(NEAR(diff_pvalue(50, 1000, 50, 1000), 1.0, 1e-9));
	/* m = 20, p0 = 1/4 (B = 100, N = 300), b = 5: the mode; 1. */
	CHECK(diff_pvalue(5, 100, 15, 300) > 0.99);
	/* m = 6, p0 = 1/2, b = 1: P(X <= 1) + P(X >= 5) = 14/64. */
	CHECK(NEAR(diff_pvalue(1, 10, 5, 10), 14.0 / 64, 1e-9));
	/* Large counts take the normal approximation: 3000 of 10000
	 * against 3300 of 10000 is significant, 3000 against 3050 not. */
	CHECK(diff_pvalue(3000, 10000, 3300, 10000) < 0.01);
	CHECK(diff_pvalue(3000, 10000, 3050, 10000) > 0.01);
	/* No samples on a side: no test. */
	CHECK(diff_pvalue(0, 0, 10, 100) == 1.0);
	/* A new function with 20 of 1000 samples, none of 1000 before. */
	CHECK(diff_pvalue(0, 1000, 20, 1000) < 0.01);
	/* ... with 2 it is noise. */
	CHECK(diff_pvalue(0, 1000, 2, 1000) > 0.01);
}

/* A side of n functions given as binary, function, samples. */
static void
side(struct diff_side *s, uint64_t total, const char *const *names,
    const uint64_t *samples, size_t n)
{
	size_t i;

	memset(s, 0, sizeof *s);
	s->fns = xcalloc(n, sizeof *s->fns);
	s->n = n;
	s->samples = total;
	s->weight = (double)total;
	for (i = 0; i < n; i++) {
		s->fns[i].binary = xstrdup(names[2 * i]);
		s->fns[i].function = xstrdup(names[2 * i + 1]);
		s->fns[i].samples = samples[i];
		s->fns[i].weight = (double)samples[i];
		s->fns[i].total_samples = samples[i];
		s->fns[i].total_weight = (double)samples[i];
	}
}

static void
test_build(void)
{
	static const char *const bn[] = { "work", "a", "work", "b", "libc", "memcpy",
	    "libc", "gone" };
	static const uint64_t bs[] = { 600, 200, 100, 100 };
	static const char *const nn[] = { "libc", "memcpy", "work", "a", "work", "b",
	    "work", "c" };
	static const uint64_t ns[] = { 100, 300, 200, 400 };
	struct diff_side base, now, then, since;
	struct diff_opts o = { .sort = DIFF_SORT_DELTA };
	struct diff d = { 0 };

	side(&base, 1000, bn, bs, 4);
	side(&now, 1000, nn, ns, 4);
	diff_build(&d, &base, &now, &o);
	CHECK_U64(d.n, 5);
	if (d.n == 5) {
		/* |delta|: a -30, c +40 (new), gone -10, b 0, memcpy 0. */
		CHECK_STR(d.rows[0].function, "c");
		CHECK(d.rows[0].state == DIFF_NEW);
		CHECK(NEAR(d.rows[0].delta_pp, 40, 1e-9));
		CHECK(d.rows[0].significant);
		CHECK_STR(d.rows[1].function, "a");
		CHECK(NEAR(d.rows[1].base_pct, 60, 1e-9));
		CHECK(NEAR(d.rows[1].now_pct, 30, 1e-9));
		CHECK(NEAR(d.rows[1].delta_pp, -30, 1e-9));
		CHECK(d.rows[1].significant);
		CHECK_STR(d.rows[2].function, "gone");
		CHECK(d.rows[2].state == DIFF_GONE);
		CHECK(d.rows[3].delta_pp == 0 && !d.rows[3].significant);
	}
	/* Reversed: the smallest change first. */
	o.reverse = true;
	diff_build(&d, &base, &now, &o);
	CHECK(d.n == 5 && fabs(d.rows[0].delta_pp) == 0);
	/* Filter and zoom. */
	o.reverse = false;
	o.filter = "MEM";
	diff_build(&d, &base, &now, &o);
	CHECK(d.n == 1 && strcmp(d.rows[0].function, "memcpy") == 0);
	o.filter = NULL;
	o.zoom = "libc";
	diff_build(&d, &base, &now, &o);
	CHECK_U64(d.n, 2);
	/* Grouped: libc (20 -> 10) and work (80 -> 90) change as much;
	 * the tie goes by name. Each subtotal above its functions. */
	o.zoom = NULL;
	o.group = true;
	diff_build(&d, &base, &now, &o);
	CHECK_U64(d.n, 7);
	if (d.n == 7) {
		CHECK(d.rows[0].group);
		CHECK_STR(d.rows[0].binary, "libc");
		CHECK(NEAR(d.rows[0].base_pct, 20, 1e-9));
		CHECK(NEAR(d.rows[0].delta_pp, -10, 1e-9));
		CHECK_STR(d.rows[1].function, "gone");
		CHECK_STR(d.rows[2].function, "memcpy");
		CHECK(d.rows[3].group);
		CHECK_STR(d.rows[3].binary, "work");
		CHECK(NEAR(d.rows[3].base_pct, 80, 1e-9));
		CHECK(NEAR(d.rows[3].now_pct, 90, 1e-9));
		CHECK_STR(d.rows[4].function, "c");
	}

	/* Since: now less then; a function whose count fell (zeroed)
	 * keeps now's. */
	{
		static const char *const tn[] = { "work", "a", "work", "b",
		    "work", "c" };
		static const uint64_t ts[] = { 250, 50, 500 };

		side(&then, 700, tn, ts, 3);
	}
	diff_side_since(&since, &now, &then);
	CHECK_U64(since.samples, 300);
	CHECK_U64(since.n, 4);
	if (since.n == 4) {
		/* Name order: libc memcpy, work a, b, c. */
		CHECK_U64(since.fns[0].samples, 100);
		CHECK_U64(since.fns[1].samples, 50);
		CHECK_U64(since.fns[2].samples, 150);
		CHECK_U64(since.fns[3].samples, 400);
	}
	diff_side_free(&since);
	diff_side_free(&then);
	diff_free(&d);
	diff_side_free(&base);
	diff_side_free(&now);
}

/* A baseline from a json snapshot, as export.c writes them. */
static void
test_json_side(void)
{
	static const char snap[] = "{\"target\":\"pid 1 (w)\",\"call_graph\":\"none\","
	    "\"events\":[{\"name\":\"page-faults\",\"samples\":10,\"functions\":[]},"
	    "{\"name\":\"cpu-clock\",\"samples\":200,\"lost\":0,\"functions\":["
	    "{\"binary\":\"work\",\"function\":\"a\",\"samples\":150,\"self_pct\":75.00,"
	    "\"total_pct\":75.00,\"address\":\"0x1130\"},"
	    "{\"binary\":\"work\",\"function\":\"b\",\"samples\":50,\"self_pct\":25.00,"
	    "\"total_pct\":25.00,\"address\":null}]}]}";
	struct diff_side s;
	struct json j;
	char *cause = NULL;

	parse_ok(snap, &j);
	CHECK(diff_side_from_json(&s, &j, "cpu-clock", &cause) == 0);
	CHECK_U64(s.samples, 200);
	CHECK_U64(s.n, 2);
	CHECK(!s.has_total);
	if (s.n == 2) {
		CHECK_STR(s.fns[0].function, "a");
		CHECK_U64(s.fns[0].samples, 150);
		CHECK(NEAR(s.fns[0].weight / s.weight * 100, 75, 1e-9));
	}
	diff_side_free(&s);
	CHECK(diff_side_from_json(&s, &j, "task-clock", &cause) == 1);
	json_free(&j);

	parse_ok("{\"events\":[{\"name\":\"cpu-clock\",\"samples\":1,"
	    "\"functions\":[{\"binary\":\"x\"}]}]}", &j);
	CHECK(diff_side_from_json(&s, &j, "cpu-clock", &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "function 1 lacks") != NULL);
	free(cause);
	cause = NULL;
	json_free(&j);
	/* Counts beyond what a double holds exactly, fractions, shares
	 * outside 0..100: refused, never cast (the fuzzer found the cast). */
	{
		static const char *const bad[] = {
			"{\"events\":[{\"name\":\"cpu-clock\",\"samples\":1e35,\"functions\":[]}]}",
			"{\"events\":[{\"name\":\"cpu-clock\",\"samples\":-1,\"functions\":[]}]}",
			"{\"events\":[{\"name\":\"cpu-clock\",\"samples\":2.5,\"functions\":[]}]}",
			"{\"events\":[{\"name\":\"cpu-clock\",\"samples\":9,\"functions\":[{\"binary\":\"x\",\"function\":\"f\",\"samples\":1e35,\"self_pct\":1}]}]}",
			"{\"events\":[{\"name\":\"cpu-clock\",\"samples\":9,\"functions\":[{\"binary\":\"x\",\"function\":\"f\",\"samples\":1,\"self_pct\":1e300}]}]}",
			"{\"events\":[{\"name\":\"cpu-clock\",\"samples\":9,\"functions\":[{\"binary\":\"x\",\"function\":\"f\",\"samples\":1,\"self_pct\":-3}]}]}",
		};

		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			parse_ok(bad[k], &j);
			CHECK(diff_side_from_json(&s, &j, "cpu-clock", &cause) == -1);
			CHECK(cause != NULL && strstr(cause, "a whole number") != NULL);
			free(cause);
			cause = NULL;
			json_free(&j);
		}
	}
	/* A total_pct out of range is no total: self is used. */
	parse_ok("{\"call_graph\":\"fp\",\"events\":[{\"name\":\"cpu-clock\",\"samples\":9,"
	    "\"functions\":[{\"binary\":\"x\",\"function\":\"f\",\"samples\":9,"
	    "\"self_pct\":100,\"total_pct\":1e300}]}]}", &j);
	CHECK(diff_side_from_json(&s, &j, "cpu-clock", &cause) == 0);
	CHECK(!s.has_total);
	diff_side_free(&s);
	json_free(&j);
	parse_ok("[1]", &j);
	CHECK(diff_side_from_json(&s, &j, "cpu-clock", &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "not an rrstat-top json snapshot") != NULL);
	free(cause);
	json_free(&j);
}

int
main(void)
{
	test_json();
	test_pvalue();
	test_build();
	test_json_side();
	return check_exit("test_diff");
}
