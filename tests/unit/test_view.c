/* Unit tests of the view (src/core/view.c): sort keys, reverse, filter,
 * zoom, grouping, window, view_find, what blocked rows wait in. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "frames.h"
#include "procstat.h"
#include "symtab.h"
#include "view.h"

static const struct symtab_func test_app_funcs[] = {
	{ .start = 0x1000, .size = 0x100, .name = "main" },
	{ .start = 0x2000, .size = 0x100, .name = "compute" },
	{ .start = 0x3000, .size = 0x100, .name = "idle" },
};
static const struct symtab_func test_libc_funcs[] = {
	{ .start = 0x4000, .size = 0x100, .name = "memcpy" },
	{ .start = 0x5000, .size = 0x100, .name = "malloc" },
};
static const struct symtab_func test_libm_funcs[] = {
	{ .start = 0x6000, .size = 0x100, .name = "sin" },
	{ .start = 0x7000, .size = 0x100, .name = "Cos" },
};

static struct binary_cache *cache;
static struct binary *app, *libc, *libm;

/* One function's samples in the fixture. */
struct test_load {
	struct binary **bin;
	uint64_t offset;
	unsigned samples;
	uint64_t weight;	/* per sample */
};

/*
 * Event 0:        samples  weight
 *   app  compute     30      300
 *   libc malloc      10      200   (ties memcpy on weight)
 *   libc memcpy      40      200
 *   libm sin        100      100
 *   app  main         5       50
 *   libm Cos          2       50   (ties main on weight)
 *   app  [unknown]    1       10
 * total             188      910
 * Event 1: app idle 7 samples of weight 7.
 */
static const struct test_load test_loads[] = {
	{ &app, 0x2000, 30, 10 },
	{ &libc, 0x5000, 10, 20 },
	{ &libc, 0x4000, 40, 5 },
	{ &libm, 0x6000, 100, 1 },
	{ &app, 0x1000, 5, 10 },
	{ &libm, 0x7000, 2, 25 },
	{ &app, 0x9000, 1, 10 },
};

/* Fill an aggregator with the fixture. */
static struct agg *
test_fixture(void)
{
	struct agg *a = agg_new(2, 2);
	size_t i;
	unsigned j;

	for (i = 0; i < sizeof test_loads / sizeof test_loads[0]; i++) {
		for (j = 0; j < test_loads[i].samples; j++)
			agg_add(a, 0, test_frame(*test_loads[i].bin,
			    test_loads[i].offset + j % 16),
			    test_loads[i].weight);
	}
	for (j = 0; j < 7; j++)
		agg_add(a, 1, test_frame(app, 0x3000), 1);
	return a;
}

/* The rows of v as "binary:function" joined by spaces; group rows as
 * "[binary]". */
static char *
test_rows(const struct view *v)
{
	static char buf[1024];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < v->n && len < sizeof buf - 64; i++) {
		if (v->rows[i].kind == VIEW_ROW_GROUP)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s[%s]", i ? " " : "", v->rows[i].binary);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s%s:%s", i ? " " : "", v->rows[i].binary,
			    v->rows[i].function);
	}
	return buf;
}

/* Build v with the given sort and reverse, other options default. */
static const char *
test_sorted(struct view *v, const struct agg *a, enum view_sort sort,
    bool reverse)
{
	struct view_opts o = { .sort = sort, .reverse = reverse };

	view_build(v, a, &o);
	return test_rows(v);
}

/* Names and parsing of sort keys. */
static void
test_sort_names(void)
{
	CHECK_STR(view_sort_names[VIEW_SORT_SELF], "self");
	CHECK_STR(view_sort_names[VIEW_SORT_TOTAL], "total");
	CHECK_STR(view_sort_names[VIEW_SORT_SAMPLES], "samples");
	CHECK_STR(view_sort_names[VIEW_SORT_FUNCTION], "function");
	CHECK_STR(view_sort_names[VIEW_SORT_BINARY], "binary");
	CHECK(view_sort_parse("self") == VIEW_SORT_SELF);
	CHECK(view_sort_parse("total") == VIEW_SORT_TOTAL);
	CHECK(view_sort_parse("samples") == VIEW_SORT_SAMPLES);
	CHECK(view_sort_parse("function") == VIEW_SORT_FUNCTION);
	CHECK(view_sort_parse("binary") == VIEW_SORT_BINARY);
	CHECK(view_sort_parse("cpu") == -1);
	CHECK(view_sort_parse("") == -1);
	CHECK(view_sort_parse(NULL) == -1);
}

/* Every sort key, both directions, with deterministic ties. */
static void
test_sort(void)
{
	struct agg *a = test_fixture();
	struct view v = { 0 };
	const struct view_row *r;
	ssize_t i;

	CHECK_STR(test_sorted(&v, a, VIEW_SORT_SELF, false),
	    "app:compute libc.so.6:malloc libc.so.6:memcpy libm.so:sin "
	    "app:main libm.so:Cos app:[unknown]");
	CHECK_U64(v.n, 7);
	CHECK_U64(v.total_samples, 188);
	CHECK_U64(v.total_weight, 910);
	CHECK_U64(v.shown_samples, 188);
	r = &v.rows[0];
	CHECK(r->kind == VIEW_ROW_FUNC);
	CHECK(r->bin == app && r->func == binary_lookup(app, 0x2000));
	CHECK(r->af != NULL && r->af->func == r->func);
	CHECK_U64(r->samples, 30);
	CHECK_U64(r->weight, 300);
	CHECK(fabs(r->self_pct - 300.0 * 100.0 / 910.0) < 1e-9);
	CHECK(r->total_pct == r->self_pct);
	CHECK(r->has_address && r->address == 0x2000);
	i = view_find(&v, app, NULL);
	CHECK(i == 6);
	if (i >= 0) {
		CHECK(!v.rows[i].has_address);
		CHECK_STR(v.rows[i].function, "[unknown]");
		CHECK(v.rows[i].func == NULL);
	}

	CHECK_STR(test_sorted(&v, a, VIEW_SORT_TOTAL, false),
	    "app:compute libc.so.6:malloc libc.so.6:memcpy libm.so:sin "
	    "app:main libm.so:Cos app:[unknown]");
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_SAMPLES, false),
	    "libm.so:sin libc.so.6:memcpy app:compute libc.so.6:malloc "
	    "app:main libm.so:Cos app:[unknown]");
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_FUNCTION, false),
	    "app:[unknown] app:compute libm.so:Cos app:main libc.so.6:malloc "
	    "libc.so.6:memcpy libm.so:sin");
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_BINARY, false),
	    "app:compute app:main app:[unknown] libc.so.6:malloc "
	    "libc.so.6:memcpy libm.so:sin libm.so:Cos");

	/* Reverse turns the key around; ties keep their order. */
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_SELF, true),
	    "app:[unknown] app:main libm.so:Cos libm.so:sin "
	    "libc.so.6:malloc libc.so.6:memcpy app:compute");
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_SAMPLES, true),
	    "app:[unknown] libm.so:Cos app:main libc.so.6:malloc "
	    "app:compute libc.so.6:memcpy libm.so:sin");
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_FUNCTION, true),
	    "libm.so:sin libc.so.6:memcpy libc.so.6:malloc app:main "
	    "libm.so:Cos app:compute app:[unknown]");
	CHECK_STR(test_sorted(&v, a, VIEW_SORT_BINARY, true),
	    "libm.so:sin libm.so:Cos libc.so.6:malloc libc.so.6:memcpy "
	    "app:compute app:main app:[unknown]");

	/* view_find follows a function wherever it sorts. */
	i = view_find(&v, libc, binary_lookup(libc, 0x4000));
	CHECK(i == 3);
	i = view_find(&v, libc, NULL);
	CHECK(i == -1);
	/* idle has samples of event 1 only */
	i = view_find(&v, app, binary_lookup(app, 0x3000));
	CHECK(i == -1);

	view_free(&v);
	CHECK(v.rows == NULL && v.n == 0);
	agg_free(a);
}

/* Filter (case-insensitive, function or binary) and zoom. */
static void
test_filter_zoom(void)
{
	struct agg *a = test_fixture();
	struct view v = { 0 };
	struct view_opts o = { .sort = VIEW_SORT_SELF };

	o.filter = "LIBC";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "libc.so.6:malloc libc.so.6:memcpy");
	CHECK_U64(v.shown_samples, 50);
	CHECK_U64(v.total_samples, 188);
	CHECK(fabs(v.rows[0].self_pct - 200.0 * 100.0 / 910.0) < 1e-9);

	o.filter = "MemC";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "libc.so.6:memcpy");

	o.filter = "cos";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "libm.so:Cos");

	o.filter = "UNKNOWN";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "app:[unknown]");

	o.filter = "a";		/* binary app, function malloc */
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v),
	    "app:compute libc.so.6:malloc app:main app:[unknown]");

	o.filter = "zzz";
	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);
	CHECK_U64(v.shown_samples, 0);
	CHECK_U64(v.total_samples, 188);

	o.filter = "";
	view_build(&v, a, &o);
	CHECK_U64(v.n, 7);

	o.filter = NULL;
	o.zoom = libm;
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "libm.so:sin libm.so:Cos");
	CHECK_U64(v.shown_samples, 102);
	CHECK(fabs(v.rows[0].self_pct - 100.0 * 100.0 / 910.0) < 1e-9);

	o.filter = "s";		/* sin and Cos (function); libm.so (binary) */
	o.zoom = app;
	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);
	o.filter = "MAI";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "app:main");

	view_free(&v);
	agg_free(a);
}

/* Group rows: subtotals, order of groups and of their functions. */
static void
test_group(void)
{
	struct agg *a = test_fixture();
	struct view v = { 0 };
	struct view_opts o = { .sort = VIEW_SORT_SELF, .group = true };
	ssize_t i;

	/* libc 400, app 360, libm 150 */
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v),
	    "[libc.so.6] libc.so.6:malloc libc.so.6:memcpy "
	    "[app] app:compute app:main app:[unknown] "
	    "[libm.so] libm.so:sin libm.so:Cos");
	CHECK_U64(v.n, 10);
	CHECK_U64(v.shown_samples, 188);
	CHECK(v.rows[0].kind == VIEW_ROW_GROUP);
	CHECK(v.rows[0].af == NULL && v.rows[0].func == NULL);
	CHECK(v.rows[0].bin == libc);
	CHECK_STR(v.rows[0].function, "");
	CHECK(!v.rows[0].has_address);
	CHECK_U64(v.rows[0].samples, 50);
	CHECK_U64(v.rows[0].weight, 400);
	CHECK(fabs(v.rows[0].self_pct - 400.0 * 100.0 / 910.0) < 1e-9);
	CHECK_U64(v.rows[3].samples, 36);
	CHECK_U64(v.rows[3].weight, 360);
	CHECK_U64(v.rows[7].samples, 102);
	CHECK_U64(v.rows[7].weight, 150);

	/* view_find skips the group row of app for app's [unknown]. */
	i = view_find(&v, app, NULL);
	CHECK(i == 6);
	i = view_find(&v, libm, binary_lookup(libm, 0x7000));
	CHECK(i == 9);

	o.sort = VIEW_SORT_SAMPLES;	/* libm 102, libc 50, app 36 */
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v),
	    "[libm.so] libm.so:sin libm.so:Cos "
	    "[libc.so.6] libc.so.6:memcpy libc.so.6:malloc "
	    "[app] app:compute app:main app:[unknown]");

	o.sort = VIEW_SORT_SELF;
	o.reverse = true;
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v),
	    "[libm.so] libm.so:Cos libm.so:sin "
	    "[app] app:[unknown] app:main app:compute "
	    "[libc.so.6] libc.so.6:malloc libc.so.6:memcpy");

	o.sort = VIEW_SORT_BINARY;
	o.reverse = false;
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v),
	    "[app] app:compute app:main app:[unknown] "
	    "[libc.so.6] libc.so.6:malloc libc.so.6:memcpy "
	    "[libm.so] libm.so:sin libm.so:Cos");

	/* Subtotals count only the rows the filter keeps: app 350 (compute,
	 * main), libc 400, libm 150 (binary name has an m). */
	o.sort = VIEW_SORT_SELF;
	o.filter = "m";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v),
	    "[libc.so.6] libc.so.6:malloc libc.so.6:memcpy "
	    "[app] app:compute app:main "
	    "[libm.so] libm.so:sin libm.so:Cos");
	CHECK_U64(v.rows[3].weight, 350);
	CHECK_U64(v.rows[3].samples, 35);
	CHECK_U64(v.shown_samples, 187);

	o.filter = NULL;
	o.zoom = app;
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "[app] app:compute app:main app:[unknown]");

	o.zoom = NULL;
	o.filter = "nothing matches";
	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);

	view_free(&v);
	agg_free(a);
}

/* Event selection, window counts and skipping of empty functions. */
static void
test_window_event(void)
{
	struct agg *a = test_fixture();
	struct view v = { 0 };
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	ssize_t i;
	int k;

	o.event = 1;
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "app:idle");
	CHECK_U64(v.total_samples, 7);
	CHECK(fabs(v.rows[0].self_pct - 100.0) < 1e-9);

	o.event = 5;	/* no such event */
	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);
	CHECK_U64(v.total_samples, 0);

	/* Window of 2 ticks: the fixture leaves after two more ticks. */
	o.event = 0;
	o.window = true;
	view_build(&v, a, &o);
	CHECK_U64(v.n, 7);
	agg_tick(a);
	agg_tick(a);
	view_build(&v, a, &o);
	CHECK_U64(v.n, 7);
	agg_tick(a);
	for (k = 0; k < 4; k++)
		agg_add(a, 0, test_frame(libc, 0x4000), 1);
	agg_add(a, 0, test_frame(libm, 0x6000), 4);
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "libc.so.6:memcpy libm.so:sin");
	CHECK_U64(v.total_samples, 5);
	CHECK_U64(v.total_weight, 8);
	CHECK_U64(v.rows[0].samples, 4);
	CHECK(fabs(v.rows[0].self_pct - 50.0) < 1e-9);
	i = view_find(&v, app, binary_lookup(app, 0x2000));
	CHECK(i == -1);

	/* Cumulative counts still have everything. */
	o.window = false;
	view_build(&v, a, &o);
	CHECK_U64(v.n, 7);
	CHECK_U64(v.total_samples, 193);
	i = view_find(&v, libc, binary_lookup(libc, 0x4000));
	CHECK(i >= 0 && v.rows[i].samples == 44);

	/* After zeroing nothing is shown. */
	agg_zero(a);
	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);
	CHECK_U64(v.total_samples, 0);
	CHECK(view_find(&v, libc, NULL) == -1);

	view_free(&v);
	view_free(&v);
	agg_free(a);
}

/* The name that the view gives system call nr. */
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

/* The row of function func of bin in v, or NULL. */
static const struct view_row *
test_row(const struct view *v, struct binary *bin, uint64_t func)
{
	ssize_t i = view_find(v, bin, binary_lookup(bin, func));

	return i >= 0 ? &v->rows[i] : NULL;
}

/* What blocked rows wait in: the hottest system call, the "+" marker, the
 * blocked share, in cumulative and window counts; none on group rows or
 * on events without blocked samples. */
static void
test_wait(void)
{
	struct agg *a = test_fixture();
	struct view v = { 0 };
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	const struct view_row *r;
	struct view_wait *w = NULL;
	size_t i, n, cap = 0;
	const char *p;
	int k;

	/* Event 0 only ran. */
	view_build(&v, a, &o);
	CHECK(!v.has_wait);
	for (i = 0; i < v.n; i++)
		CHECK(v.rows[i].wait == NULL && !v.rows[i].wait_more &&
		    v.rows[i].wait_pct == 0.0);
	CHECK_U64(view_row_waits(&v, a, &v.rows[0], &w, &cap), 0);
	agg_free(a);

	/* One wait-time event:
	 *   libc malloc: read 3 x 100, futex 1 x 100, ran 1 x 100
	 *   libc memcpy: futex 2 x 50
	 *   app main: ran 5 x 10
	 *   app compute: outside a system call 1 x 10
	 *   app idle: system call 4000 (unknown) 1 x 10, ran 1 x 30
	 *   libm sin: read 1 x 10 and write 1 x 10 (a tie) */
	a = agg_new(1, 2);
	for (k = 0; k < 3; k++)
		agg_add_blocked(a, 0, test_frame(libc, 0x5010), 0, 100);
	agg_add_blocked(a, 0, test_frame(libc, 0x5020), 202, 100);
	agg_add(a, 0, test_frame(libc, 0x5000), 100);
	agg_add_blocked(a, 0, test_frame(libc, 0x4000), 202, 50);
	agg_add_blocked(a, 0, test_frame(libc, 0x4000), 202, 50);
	for (k = 0; k < 5; k++)
		agg_add(a, 0, test_frame(app, 0x1000), 10);
	agg_add_blocked(a, 0, test_frame(app, 0x2000), AGG_NOSYS, 10);
	agg_add_blocked(a, 0, test_frame(app, 0x3000), 4000, 10);
	agg_add(a, 0, test_frame(app, 0x3000), 30);
	agg_add_blocked(a, 0, test_frame(libm, 0x6000), 1, 10);
	agg_add_blocked(a, 0, test_frame(libm, 0x6004), 0, 10);

	view_build(&v, a, &o);
	CHECK(v.has_wait);
	CHECK_STR(test_rows(&v), "libc.so.6:malloc libc.so.6:memcpy "
	    "app:main app:idle libm.so:sin app:compute");
	r = test_row(&v, libc, 0x5000);
	CHECK(r != NULL && r->wait != NULL);
	if (r != NULL) {
		CHECK_STR(r->wait, test_sysname(0));
		CHECK(r->wait_more);
		CHECK(fabs(r->wait_pct - 80.0) < 1e-9);
		CHECK_U64(r->samples, 5);
		n = view_row_waits(&v, a, r, &w, &cap);
		CHECK_U64(n, 2);
		if (n == 2) {
			CHECK(w[0].sys == 0 && w[0].samples == 3 &&
			    w[0].weight == 300 && fabs(w[0].pct - 60.0) < 1e-9);
			CHECK(w[0].name == r->wait);
			CHECK(w[1].sys == 202 && w[1].samples == 1 &&
			    fabs(w[1].pct - 20.0) < 1e-9);
			CHECK_STR(w[1].name, test_sysname(202));
		}
	}
	r = test_row(&v, libc, 0x4000);
	CHECK(r != NULL && r->wait != NULL && !r->wait_more &&
	    fabs(r->wait_pct - 100.0) < 1e-9);
	if (r != NULL && r->wait != NULL)
		CHECK_STR(r->wait, test_sysname(202));
	r = test_row(&v, app, 0x1000);
	CHECK(r != NULL && r->wait == NULL && !r->wait_more &&
	    r->wait_pct == 0.0);
	if (r != NULL)
		CHECK_U64(view_row_waits(&v, a, r, &w, &cap), 0);
	r = test_row(&v, app, 0x2000);
	CHECK(r != NULL && r->wait != NULL && !r->wait_more);
	if (r != NULL && r->wait != NULL)
		CHECK_STR(r->wait, VIEW_WAIT_FAULT);
	CHECK_STR(VIEW_WAIT_FAULT, "(fault)");
	r = test_row(&v, app, 0x3000);
	CHECK(r != NULL && r->wait != NULL && !r->wait_more &&
	    fabs(r->wait_pct - 25.0) < 1e-9);
	if (r != NULL && r->wait != NULL) {
		CHECK_STR(r->wait, "syscall_4000");
		/* made up once, kept while the view lives */
		p = view_syscall_name(&v, 4000);
		CHECK(p == r->wait);
		view_build(&v, a, &o);
		CHECK(view_syscall_name(&v, 4000) == p);
	}
	/* a tie in weight and samples: the lower number, marked */
	r = test_row(&v, libm, 0x6000);
	CHECK(r != NULL && r->wait != NULL && r->wait_more &&
	    fabs(r->wait_pct - 100.0) < 1e-9);
	if (r != NULL && r->wait != NULL) {
		CHECK_STR(r->wait, test_sysname(0));
		n = view_row_waits(&v, a, r, &w, &cap);
		CHECK(n == 2 && w[0].sys == 0 && w[1].sys == 1);
	}
	CHECK_STR(view_syscall_name(&v, AGG_NOSYS), VIEW_WAIT_FAULT);
	CHECK_STR(view_syscall_name(&v, 202), test_sysname(202));

	/* Group rows carry no wait; their functions do. */
	o.group = true;
	view_build(&v, a, &o);
	CHECK(v.has_wait);
	for (i = 0; i < v.n; i++) {
		if (v.rows[i].kind == VIEW_ROW_GROUP) {
			CHECK(v.rows[i].wait == NULL);
			CHECK_U64(view_row_waits(&v, a, &v.rows[i], &w, &cap), 0);
		}
	}
	r = test_row(&v, libc, 0x5000);
	CHECK(r != NULL && r->wait != NULL && r->wait_more);
	o.group = false;

	/* The filter and zoom hide rows, not the column. */
	o.filter = "main";
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "app:main");
	CHECK(v.has_wait);
	CHECK(v.rows[0].wait == NULL);
	o.filter = NULL;

	/* The window: malloc waits in futex only within it; then nothing
	 * blocked is left in the window at all. */
	o.window = true;
	agg_tick(a);
	agg_add_blocked(a, 0, test_frame(libc, 0x5020), 202, 100);
	agg_add(a, 0, test_frame(libc, 0x5000), 300);
	view_build(&v, a, &o);
	r = test_row(&v, libc, 0x5000);
	CHECK(r != NULL && r->wait != NULL && r->wait_more &&
	    r->samples == 7);
	agg_tick(a);
	agg_tick(a);	/* the first tick leaves */
	view_build(&v, a, &o);
	CHECK(v.has_wait);
	CHECK_STR(test_rows(&v), "libc.so.6:malloc");
	r = &v.rows[0];
	CHECK_STR(r->wait, test_sysname(202));
	CHECK(!r->wait_more && fabs(r->wait_pct - 25.0) < 1e-9);
	n = view_row_waits(&v, a, r, &w, &cap);
	CHECK(n == 1 && w[0].samples == 1 && w[0].weight == 100);
	agg_add(a, 0, test_frame(app, 0x1000), 1);
	agg_tick(a);
	agg_tick(a);	/* only main's running sample is left */
	view_build(&v, a, &o);
	CHECK_STR(test_rows(&v), "app:main");
	CHECK(!v.has_wait && v.rows[0].wait == NULL);
	/* cumulative counts still have them */
	o.window = false;
	view_build(&v, a, &o);
	CHECK(v.has_wait);
	r = test_row(&v, libc, 0x5000);
	CHECK(r != NULL && r->wait != NULL && r->wait_more &&
	    fabs(r->wait_pct - 500.0 / 9.0) < 1e-9);
	if (r != NULL && r->wait != NULL)
		CHECK_STR(r->wait, test_sysname(0));

	agg_zero(a);
	view_build(&v, a, &o);
	CHECK(!v.has_wait && v.n == 0);
	free(w);
	view_free(&v);
	agg_free(a);
}

/* Run the tests. */
/* Nothing sampled yet (a target still asleep at the first tick): no rows,
 * grouped or not, and no undefined behaviour on the empty arrays. */
static void
test_empty(void)
{
	struct agg *a = agg_new(2, 2);
	struct view v = { 0 };
	struct view_opts o = { 0 };

	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);
	CHECK_U64(v.total_samples, 0);
	o.group = true;
	o.filter = "x";
	view_build(&v, a, &o);
	CHECK_U64(v.n, 0);
	CHECK(view_find(&v, NULL, NULL) == -1);
	view_free(&v);
	agg_free(a);
}

int
main(void)
{
	test_empty();
	cache = binary_cache_new();
	app = binary_synthetic(cache, "app", test_app_funcs, 3);
	libc = binary_synthetic(cache, "libc.so.6", test_libc_funcs, 2);
	libm = binary_synthetic(cache, "libm.so", test_libm_funcs, 2);

	test_sort_names();
	test_sort();
	test_filter_zoom();
	test_group();
	test_window_event();
	test_wait();

	binary_cache_free(cache);
	return check_exit("test_view");
}
