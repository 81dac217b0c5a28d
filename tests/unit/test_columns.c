/*
 * Unit tests for the columns table: one row per function across events,
 * each event's share in its column, sorted by any column or by name,
 * filtered and zoomed; IPC and cache misses per 1,000 instructions from
 * the events' weights (estimated counts) where the PMU events were
 * sampled as themselves, none where they fell back; the text and csv.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "columns.h"
#include "frames.h"
#include "symtab.h"

static const struct symtab_func app_funcs[] = {
	{ .start = 0x1000, .size = 0x100, .name = "hot" },
	{ .start = 0x2000, .size = 0x100, .name = "faulty" },
	{ .start = 0x3000, .size = 0x100, .name = "cold" },
};

static struct binary_cache *cache;
static struct binary *app;

/* n samples of weight w for event ev at offset. */
static void
add(struct agg *a, unsigned ev, uint64_t offset, unsigned n, uint64_t w)
{
	while (n-- > 0)
		agg_add(a, ev, test_frame(app, offset), w);
}

/* The row of function name, or NULL. */
static const struct columns_row *
row(const struct columns *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->rows[i].function, name) == 0)
			return &c->rows[i];
	return NULL;
}

int
main(void)
{
	struct agg *a = agg_new(EVENT_COUNT, 2);
	struct columns_opts o = { 0 };
	struct columns c = { 0 };
	const struct columns_row *r;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	cache = binary_cache_new();
	app = binary_synthetic(cache, "app", app_funcs, 3);
	/* cpu-clock: hot 80, faulty 10, cold 10; page-faults: faulty all. */
	add(a, EVENT_CPU_CLOCK, 0x1000, 80, 1);
	add(a, EVENT_CPU_CLOCK, 0x2000, 10, 1);
	add(a, EVENT_CPU_CLOCK, 0x3000, 10, 1);
	add(a, EVENT_PAGE_FAULTS, 0x2000, 5, 1);
	/* cycles and instructions: hot runs 2 instructions a cycle,
	 * faulty 0.5; cache misses 10 per 1,000 instructions in hot. */
	add(a, EVENT_CPU_CYCLES, 0x1000, 10, 1000);
	add(a, EVENT_INSTRUCTIONS, 0x1000, 20, 1000);
	add(a, EVENT_CPU_CYCLES, 0x2000, 10, 1000);
	add(a, EVENT_INSTRUCTIONS, 0x2000, 5, 1000);
	add(a, EVENT_CACHE_MISSES, 0x1000, 4, 50);

	o.events[o.nevents++] = EVENT_CPU_CLOCK;
	o.events[o.nevents++] = EVENT_PAGE_FAULTS;
	columns_build(&c, a, &o);
	CHECK_U64(c.n, 3);
	CHECK_STR(c.rows[0].function, "hot");
	r = row(&c, "faulty");
	CHECK(r != NULL && fabs(r->pct[0] - 10) < 1e-9 && fabs(r->pct[1] - 100) < 1e-9);
	CHECK(r != NULL && r->samples[1] == 5);
	r = row(&c, "cold");
	CHECK(r != NULL && r->pct[1] == 0);
	CHECK_U64(columns_nsort(&o), 4);

	/* Sorted by page-faults: faulty first; by function: cold first;
	 * reversed by binary then function: hot first. */
	o.sort = 1;
	columns_build(&c, a, &o);
	CHECK_STR(c.rows[0].function, "faulty");
	o.sort = 2;
	columns_build(&c, a, &o);
	CHECK_STR(c.rows[0].function, "cold");
	o.sort = 3;
	o.reverse = true;
	columns_build(&c, a, &o);
	CHECK_STR(c.rows[0].function, "hot");
	o.reverse = false;

	/* Filtered. */
	o.sort = 0;
	o.filter = "FAUL";
	columns_build(&c, a, &o);
	CHECK(c.n == 1 && strcmp(c.rows[0].function, "faulty") == 0);
	o.filter = NULL;

	/* Derived columns from the weights. */
	o.nevents = 0;
	o.events[o.nevents++] = EVENT_CPU_CYCLES;
	o.events[o.nevents++] = EVENT_INSTRUCTIONS;
	o.events[o.nevents++] = EVENT_CACHE_MISSES;
	o.derived[COLUMNS_IPC] = COLUMNS_OK;
	o.derived[COLUMNS_CMPKI] = COLUMNS_OK;
	columns_build(&c, a, &o);
	r = row(&c, "hot");
	CHECK(r != NULL && r->has_derived[COLUMNS_IPC] &&
	    fabs(r->derived[COLUMNS_IPC] - 2.0) < 1e-9);
	CHECK(r != NULL && r->has_derived[COLUMNS_CMPKI] &&
	    fabs(r->derived[COLUMNS_CMPKI] - 10.0) < 1e-9);
	r = row(&c, "faulty");
	CHECK(r != NULL && fabs(r->derived[COLUMNS_IPC] - 0.5) < 1e-9);
	CHECK(r != NULL && r->has_derived[COLUMNS_CMPKI] &&
	    r->derived[COLUMNS_CMPKI] == 0);
	fp = open_memstream(&text, &len);
	columns_write_csv(fp, &c);
	fclose(fp);
	CHECK(strstr(text, "binary,function,cpu-cycles_pct,cpu-cycles_samples,"
	    "instructions_pct,instructions_samples,cache-misses_pct,"
	    "cache-misses_samples,ipc,cm_per_ki\r\n") == text);
	CHECK(strstr(text, "app,hot,50.00,10,80.00,20,100.00,4,2.000,10.000\r\n") != NULL);
	free(text);

	/* Fallen back: no numbers, and the cells say why. */
	o.derived[COLUMNS_IPC] = COLUMNS_NO_PMU;
	o.derived[COLUMNS_CMPKI] = COLUMNS_ABSENT;
	columns_build(&c, a, &o);
	r = row(&c, "hot");
	CHECK(r != NULL && !r->has_derived[COLUMNS_IPC]);
	fp = open_memstream(&text, &len);
	columns_write_text(fp, &c);
	fclose(fp);
	CHECK(strstr(text, "IPC") != NULL && strstr(text, "CM/KI") == NULL);
	CHECK(strstr(text, "no PMU  app     hot\n") != NULL);
	free(text);

	columns_free(&c);
	agg_free(a);
	binary_cache_free(cache);
	return check_exit("test_columns");
}
