/* Unit tests of the pprof encoder (src/core/pprof.c) and the pprof
 * snapshot (export.c): every profile is inflated and decoded back here,
 * with a wire-format reader of its own. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "export.h"
#include "frames.h"
#include "pprof.h"
#include "symtab.h"
#include "view.h"
#include "xmalloc.h"

/* ---- A protobuf wire-format reader. ---- */

#define PB_MAX_FIELDS 4096

/* One field of a message: a varint, or bytes (wire type 2). */
struct pb_field {
	unsigned num;
	int wt;
	uint64_t v;
	const uint8_t *p;
	size_t len;
};

/* Read a varint at *p (below end); false where it is malformed. */
static bool
pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0)
			return true;
		shift += 7;
	}
	return false;
}

/* Split a message into its fields; how many, or -1 where malformed. */
static int
pb_fields(const uint8_t *p, size_t len, struct pb_field *out, size_t max)
{
	const uint8_t *end = p + len;
	uint64_t key;
	size_t n = 0;

	while (p < end) {
		if (n == max || !pb_varint(&p, end, &key))
			return -1;
		out[n].num = (unsigned)(key >> 3);
		out[n].wt = (int)(key & 7);
		if (out[n].wt == 0) {
			if (!pb_varint(&p, end, &out[n].v))
				return -1;
		} else if (out[n].wt == 2) {
			if (!pb_varint(&p, end, &out[n].v) ||
			    out[n].v > (uint64_t)(end - p))
				return -1;
			out[n].p = p;
			out[n].len = (size_t)out[n].v;
			p += out[n].len;
		} else
			return -1;
		n++;
	}
	return (int)n;
}

/* The varint field num of a message (0 where absent). */
static uint64_t
pb_get(const uint8_t *p, size_t len, unsigned num)
{
	struct pb_field f[64];
	int n = pb_fields(p, len, f, 64), i;
	uint64_t v = 0;

	for (i = 0; i < n; i++)
		if (f[i].num == num && f[i].wt == 0)
			v = f[i].v;
	return v;
}

/* The numbers of a packed field (appended to out, *n of max). */
static void
pb_packed(const struct pb_field *f, uint64_t *out, size_t *n, size_t max)
{
	const uint8_t *p = f->p, *end = f->p + f->len;

	while (p < end && *n < max)
		if (!pb_varint(&p, end, &out[(*n)++]))
			break;
}

/* ---- The decoded profile. ---- */

struct dec {
	uint8_t *raw;
	size_t len;
	struct pb_field top[PB_MAX_FIELDS];
	int n;
	const char *strs[512];
	size_t slen[512];
	size_t nstrs;
};

/* Free a decoded profile. */
static void
dec_free(struct dec *d)
{
	free(d->raw);
	free(d);
}

/* Inflate a gzip stream; NULL where it is not one. */
static uint8_t *
dec_gunzip(const uint8_t *in, size_t len, size_t *outlen)
{
	z_stream zs;
	size_t cap = 1 << 20;
	uint8_t *out = xmalloc(cap);
	int rc;

	if (len < 2 || in[0] != 0x1f || in[1] != 0x8b) {
		free(out);
		return NULL;
	}
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 16) != Z_OK) {
		free(out);
		return NULL;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	rc = inflate(&zs, Z_FINISH);
	*outlen = cap - zs.avail_out;
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.avail_in != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Decode a gzip-compressed profile; false where it fails. */
static bool
dec_open(struct dec *d, const uint8_t *gz, size_t len)
{
	int i;

	memset(d, 0, sizeof *d);
	d->raw = dec_gunzip(gz, len, &d->len);
	if (d->raw == NULL)
		return false;
	d->n = pb_fields(d->raw, d->len, d->top, PB_MAX_FIELDS);
	if (d->n < 0)
		return false;
	for (i = 0; i < d->n; i++) {
		if (d->top[i].num == 6 && d->top[i].wt == 2 && d->nstrs < 512) {
			d->slen[d->nstrs] = d->top[i].len;
			d->strs[d->nstrs++] = (const char *)d->top[i].p;
		}
	}
	return true;
}

/* Whether string i is s. */
static bool
dec_str_is(const struct dec *d, uint64_t i, const char *s)
{
	return i < d->nstrs && d->slen[i] == strlen(s) &&
	    memcmp(d->strs[i], s, d->slen[i]) == 0;
}

/* The k-th top-level field num (its index), or -1. */
static int
dec_nth(const struct dec *d, unsigned num, int k)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (d->top[i].num == num && k-- == 0)
			return i;
	return -1;
}

/* How many top-level fields num. */
static int
dec_count(const struct dec *d, unsigned num)
{
	int i, n = 0;

	for (i = 0; i < d->n; i++)
		n += d->top[i].num == num;
	return n;
}

/* The top-level varint field num (0 where absent). */
static uint64_t
dec_get(const struct dec *d, unsigned num)
{
	return pb_get(d->raw, d->len, num);
}

/* The field k (message num) as its sub-field sub. */
static uint64_t
dec_sub(const struct dec *d, unsigned num, int k, unsigned sub)
{
	int i = dec_nth(d, num, k);

	return i < 0 ? 0 : pb_get(d->top[i].p, d->top[i].len, sub);
}

/* The function id named name, or 0. */
static uint64_t
dec_func_named(const struct dec *d, const char *name)
{
	int k;

	for (k = 0; k < dec_count(d, 5); k++)
		if (dec_str_is(d, dec_sub(d, 5, k, 2), name))
			return dec_sub(d, 5, k, 1);
	return 0;
}

/* The function id of location id's line li (innermost first), or 0. */
static uint64_t
dec_loc_func(const struct dec *d, uint64_t id, int li)
{
	struct pb_field f[64];
	int k, n, i;

	for (k = 0; k < dec_count(d, 4); k++) {
		int t = dec_nth(d, 4, k);

		if (dec_sub(d, 4, k, 1) != id)
			continue;
		n = pb_fields(d->top[t].p, d->top[t].len, f, 64);
		for (i = 0; i < n; i++)
			if (f[i].num == 4 && li-- == 0)
				return pb_get(f[i].p, f[i].len, 1);
	}
	return 0;
}

/* Sum value vi of the samples whose leaf's innermost function is fid
 * (0: every sample). */
static uint64_t
dec_sum(const struct dec *d, uint64_t fid, int vi)
{
	struct pb_field f[64];
	uint64_t locs[256], vals[64], sum = 0;
	size_t nl, nv;
	int k, n, i;

	for (k = 0; k < dec_count(d, 2); k++) {
		int t = dec_nth(d, 2, k);

		n = pb_fields(d->top[t].p, d->top[t].len, f, 64);
		nl = nv = 0;
		for (i = 0; i < n; i++) {
			if (f[i].num == 1 && f[i].wt == 2)
				pb_packed(&f[i], locs, &nl, 256);
			if (f[i].num == 2 && f[i].wt == 2)
				pb_packed(&f[i], vals, &nv, 64);
		}
		if (nv > (size_t)vi && (fid == 0 ||
		    (nl > 0 && dec_loc_func(d, locs[0], 0) == fid)))
			sum += vals[vi];
	}
	return sum;
}

/* ---- The encoder. ---- */

/* The profile p as written (caller frees), *len bytes. */
static uint8_t *
test_bytes(struct pprof *p, size_t *len)
{
	char *buf = NULL, *cause = NULL;
	FILE *fp = open_memstream(&buf, len);

	CHECK(pprof_write(p, fp, &cause) == 0);
	free(cause);
	fclose(fp);
	return (uint8_t *)buf;
}

/* Everything the encoder writes decodes back as given. */
static void
test_encoder(void)
{
	struct pprof *p = pprof_new();
	struct pprof_mapping_info mi = { .file = "/bin/app",
	    .build_id = "abcd", .cover = true };
	struct pprof_line inl[2] = {
		{ .function = "inner", .file = "a.h", .line = 7 },
		{ .function = "outer", .file = "a.c", .start_line = 10,
		    .line = 12 },
	};
	struct pprof_line one = { .function = "outer", .file = "a.c",
	    .start_line = 10, .line = 11 };
	uint64_t map, l1, l2, l3, locs[2];
	int64_t vals[2];
	uint8_t *gz;
	size_t len;
	struct dec *d = xcalloc(1, sizeof *d);

	CHECK(pprof_string(p, NULL) == 0);
	CHECK(pprof_string(p, "x") == pprof_string(p, "x"));
	pprof_sample_type(p, "cpu-clock-samples", "count");
	pprof_sample_type(p, "cpu-clock", "nanoseconds");
	CHECK_U64(pprof_nsample_types(p), 2);
	pprof_default_type(p, "cpu-clock");
	pprof_period(p, "cpu-clock", "nanoseconds", 1000000);
	pprof_time(p, 1700000000123456789, 2500000000);
	pprof_comment(p, "target: pid 1 (app)");
	map = pprof_mapping(p, &mi);
	CHECK_U64(map, 1);
	l1 = pprof_location(p, map, 0x1234, inl, 2);
	l2 = pprof_location(p, map, 0x2000, &one, 1);
	l3 = pprof_location(p, map, 0x1234, inl, 2);
	CHECK_U64(l1, 1);
	CHECK_U64(l2, 2);
	CHECK_U64(l3, l1);
	locs[0] = l1;
	locs[1] = l2;
	vals[0] = 3;
	vals[1] = -1;			/* ten bytes on the wire */
	pprof_sample(p, locs, 2, vals, "syscall", "read");
	vals[0] = 5;
	vals[1] = 5000000;
	pprof_sample(p, &l2, 1, vals, NULL, NULL);
	gz = test_bytes(p, &len);
	pprof_free(p);

	CHECK(dec_open(d, gz, len));
	CHECK(d->nstrs > 0 && d->slen[0] == 0);
	CHECK_U64(dec_count(d, 1), 2);
	CHECK(dec_str_is(d, dec_sub(d, 1, 0, 1), "cpu-clock-samples"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 0, 2), "count"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 1, 1), "cpu-clock"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 1, 2), "nanoseconds"));
	CHECK(dec_str_is(d, dec_get(d, 14), "cpu-clock"));
	CHECK_U64(dec_get(d, 9), 1700000000123456789ull);
	CHECK_U64(dec_get(d, 10), 2500000000ull);
	CHECK_U64(dec_get(d, 12), 1000000);
	CHECK(dec_str_is(d, dec_sub(d, 11, 0, 1), "cpu-clock"));
	CHECK(dec_str_is(d, dec_get(d, 13), "target: pid 1 (app)"));
	/* One mapping, its limit grown past its last location. */
	CHECK_U64(dec_count(d, 3), 1);
	CHECK_U64(dec_sub(d, 3, 0, 1), 1);
	CHECK_U64(dec_sub(d, 3, 0, 3), 0x2001);
	CHECK(dec_str_is(d, dec_sub(d, 3, 0, 5), "/bin/app"));
	CHECK(dec_str_is(d, dec_sub(d, 3, 0, 6), "abcd"));
	CHECK_U64(dec_sub(d, 3, 0, 7), 1);
	CHECK_U64(dec_sub(d, 3, 0, 9), 1);
	CHECK_U64(dec_sub(d, 3, 0, 10), 1);
	/* Two locations, three functions ("outer" at start line 10 once). */
	CHECK_U64(dec_count(d, 4), 2);
	CHECK_U64(dec_sub(d, 4, 0, 2), 1);
	CHECK_U64(dec_sub(d, 4, 0, 3), 0x1234);
	CHECK_U64(dec_count(d, 5), 2);
	CHECK_U64(dec_loc_func(d, l1, 0), dec_func_named(d, "inner"));
	CHECK_U64(dec_loc_func(d, l1, 1), dec_func_named(d, "outer"));
	CHECK_U64(dec_loc_func(d, l2, 0), dec_func_named(d, "outer"));
	CHECK(dec_str_is(d, dec_sub(d, 5, 1, 4), "a.c"));
	CHECK_U64(dec_sub(d, 5, 1, 5), 10);
	/* Two samples; their values and totals. */
	CHECK_U64(dec_count(d, 2), 2);
	CHECK_U64(dec_sum(d, 0, 0), 8);
	CHECK_U64(dec_sum(d, dec_func_named(d, "inner"), 1), UINT64_MAX);
	CHECK_U64(dec_sum(d, dec_func_named(d, "outer"), 1), 5000000);
	/* Each string once. */
	for (size_t i = 0; i < d->nstrs; i++)
		for (size_t j = i + 1; j < d->nstrs; j++)
			CHECK(d->slen[i] != d->slen[j] ||
			    memcmp(d->strs[i], d->strs[j], d->slen[i]) != 0);
	dec_free(d);
	free(gz);
}

/* An empty profile is a valid one: "" alone in the string table. */
static void
test_empty(void)
{
	struct pprof *p = pprof_new();
	struct dec *d = xcalloc(1, sizeof *d);
	uint8_t *gz;
	size_t len;

	gz = test_bytes(p, &len);
	pprof_free(p);
	CHECK(dec_open(d, gz, len));
	CHECK_U64(d->nstrs, 1);
	CHECK_U64(d->slen[0], 0);
	dec_free(d);
	free(gz);
}

/* ---- The snapshot. ---- */

static const struct symtab_func test_funcs[] = {
	{ .start = 0x1000, .size = 0x100, .name = "main" },
	{ .start = 0x2000, .size = 0x100, .name = "work" },
	{ .start = 0x3000, .size = 0x100, .name = "leaf" },
};

static const char *const test_names[] = { "cpu-clock", "page-faults" };
static const char *const test_units[] = { "nanoseconds", "count" };
static const unsigned char test_sampled[] = { 1, 1 };
static const uint64_t test_lost[] = { 0, 2 };

/* The pprof snapshot of a, decoded into d. */
static void
test_snapshot(struct dec *d, const struct agg *a, const struct view_opts *o)
{
	struct export_meta m;
	char *buf = NULL, *cause = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	memset(&m, 0, sizeof m);
	m.target = "pid 7 (app), 1 thread";
	m.sampler = "perf";
	m.window = "cumulative";
	m.time = 1700000000;
	m.nevents = 2;
	m.event_names = test_names;
	m.event_units = test_units;
	m.lost = test_lost;
	m.sampled = test_sampled;
	m.time_nanos = 1700000000000000000;
	m.duration_nanos = 3000000000;
	CHECK(export_write(fp, EXPORT_PPROF, a, o, &m, &cause) == 0);
	free(cause);
	fclose(fp);
	CHECK(dec_open(d, (uint8_t *)buf, len));
	free(buf);
}

/* Without stacks: each address a one-frame sample; two values per event;
 * the totals those of the view. */
static void
test_export_flat(struct binary *bin)
{
	struct agg *a = agg_new(2, 4);
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	struct dec *d = xcalloc(1, sizeof *d);
	int k;

	for (k = 0; k < 30; k++)
		agg_add(a, 0, test_frame(bin, 0x2000 + (unsigned)k % 3),
		    1000000);
	for (k = 0; k < 10; k++)
		agg_add(a, 0, test_frame(bin, 0x1000), 1000000);
	agg_add(a, 0, test_frame(bin, 0x9000), 500000);
	agg_add(a, 1, test_frame(bin, 0x3000), 7);
	test_snapshot(d, a, &o);

	CHECK_U64(dec_count(d, 1), 4);
	CHECK(dec_str_is(d, dec_sub(d, 1, 0, 1), "cpu-clock-samples"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 1, 1), "cpu-clock"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 1, 2), "nanoseconds"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 2, 1), "page-faults-samples"));
	CHECK(dec_str_is(d, dec_sub(d, 1, 3, 2), "count"));
	CHECK(dec_str_is(d, dec_get(d, 14), "cpu-clock"));
	/* The period: cpu-clock's mean weight of one sample. */
	CHECK_U64(dec_get(d, 12), (40 * 1000000 + 500000 + 20) / 41);
	CHECK_U64(dec_get(d, 9), 1700000000000000000ull);
	CHECK_U64(dec_get(d, 10), 3000000000ull);
	CHECK(dec_count(d, 13) >= 5);
	/* One location per sampled address, in one mapping. */
	CHECK_U64(dec_count(d, 3), 1);
	CHECK_U64(dec_count(d, 4), 6);
	CHECK_U64(dec_count(d, 2), 6);
	CHECK_U64(dec_sum(d, dec_func_named(d, "work"), 0), 30);
	CHECK_U64(dec_sum(d, dec_func_named(d, "work"), 1), 30000000);
	CHECK_U64(dec_sum(d, dec_func_named(d, "main"), 0), 10);
	CHECK_U64(dec_sum(d, dec_func_named(d, "[app]"), 0), 1);
	CHECK_U64(dec_sum(d, 0, 0), 41);
	CHECK_U64(dec_sum(d, 0, 2), 1);
	CHECK_U64(dec_sum(d, 0, 3), 7);
	CHECK_U64(dec_sum(d, dec_func_named(d, "leaf"), 3), 7);
	/* Addresses are file offsets; the mapping covers them. */
	CHECK_U64(dec_sub(d, 3, 0, 2), 0);
	CHECK_U64(dec_sub(d, 3, 0, 3), 0x9001);
	dec_free(d);

	/* The default type and the period are the shown event's. */
	d = xcalloc(1, sizeof *d);
	o.event = 1;
	test_snapshot(d, a, &o);
	CHECK(dec_str_is(d, dec_get(d, 14), "page-faults"));
	CHECK(dec_str_is(d, dec_sub(d, 11, 0, 1), "page-faults"));
	CHECK(dec_str_is(d, dec_sub(d, 11, 0, 2), "count"));
	CHECK_U64(dec_get(d, 12), 7);
	dec_free(d);
	o.event = 0;

	/* A filter keeps its functions' samples only. */
	d = xcalloc(1, sizeof *d);
	o.filter = "mai";
	test_snapshot(d, a, &o);
	CHECK_U64(dec_sum(d, 0, 0), 10);
	dec_free(d);
	agg_free(a);
}

/* With stacks: one sample per distinct stack, leaf first, a blocked one
 * labelled with its system call. */
static void
test_export_stacks(struct binary *bin)
{
	struct agg *a = agg_new(2, 4);
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	struct dec *d = xcalloc(1, sizeof *d);
	struct rs_frame fr[3];
	struct pb_field f[64];
	uint64_t locs[8];
	size_t nl = 0;
	int k, t, n, i;

	agg_keep_stacks(a, 0);
	fr[0] = *test_frame(bin, 0x3010);
	fr[1] = *test_frame(bin, 0x2010);
	fr[2] = *test_frame(bin, 0x1010);
	for (k = 0; k < 4; k++)
		agg_add_stack(a, 0, fr, 3, false, AGG_NOSYS, 1000);
	agg_add_stack(a, 0, &fr[1], 2, true, 0, 5000);	/* read */
	test_snapshot(d, a, &o);

	CHECK_U64(dec_count(d, 2), 2);
	CHECK_U64(dec_count(d, 4), 3);
	CHECK_U64(dec_sum(d, dec_func_named(d, "leaf"), 0), 4);
	CHECK_U64(dec_sum(d, dec_func_named(d, "work"), 1), 5000);
	CHECK_U64(dec_sum(d, 0, 1), 9000);
	/* The stack of 4 is leaf, work, main, its locations at the
	 * functions' starts. */
	for (k = 0; k < 2; k++) {
		t = dec_nth(d, 2, k);
		n = pb_fields(d->top[t].p, d->top[t].len, f, 64);
		nl = 0;
		for (i = 0; i < n; i++)
			if (f[i].num == 1)
				pb_packed(&f[i], locs, &nl, 8);
		if (nl == 3)
			break;
	}
	CHECK_U64(nl, 3);
	CHECK_U64(dec_loc_func(d, locs[0], 0), dec_func_named(d, "leaf"));
	CHECK_U64(dec_loc_func(d, locs[1], 0), dec_func_named(d, "work"));
	CHECK_U64(dec_loc_func(d, locs[2], 0), dec_func_named(d, "main"));
	for (k = 0; k < 3; k++)
		if (dec_sub(d, 4, k, 1) == locs[0])
			CHECK_U64(dec_sub(d, 4, k, 3), 0x3000);
	/* The blocked one's label: syscall=read. */
	for (k = 0; k < 2; k++) {
		t = dec_nth(d, 2, k);
		n = pb_fields(d->top[t].p, d->top[t].len, f, 64);
		for (i = 0; i < n; i++) {
			if (f[i].num != 3)
				continue;
			CHECK(dec_str_is(d, pb_get(f[i].p, f[i].len, 1),
			    "syscall"));
			CHECK(dec_str_is(d, pb_get(f[i].p, f[i].len, 2),
			    "read"));
		}
	}
	dec_free(d);
	agg_free(a);
}

/* File names: .pb.gz names pprof; the files of further formats. */
static void
test_paths(void)
{
	char *s;

	CHECK(export_format_parse("pprof") == EXPORT_PPROF);
	CHECK_STR(export_format_ext(EXPORT_PPROF), "pb.gz");
	CHECK(export_format_of_path("dir/run.pb.gz") == EXPORT_PPROF);
	CHECK(export_format_of_path("run.gz") == -1);
	CHECK(export_format_of_path(".pb.gz") == -1);
	CHECK(export_format_of_path("run.csv") == EXPORT_CSV);
	CHECK(export_format_of_path("a.b/run.json") == EXPORT_JSON);
	CHECK(export_format_of_path("run.folded") == EXPORT_FOLDED);
	CHECK(export_format_of_path("run.txt") == EXPORT_TEXT);
	CHECK(export_format_of_path("a.b/run") == -1);
	CHECK(export_format_of_path(".csv") == -1);
	s = export_path_for("out/run.csv", EXPORT_PPROF);
	CHECK_STR(s, "out/run.pb.gz");
	free(s);
	s = export_path_for("run.pb.gz", EXPORT_CSV);
	CHECK_STR(s, "run.csv");
	free(s);
	s = export_path_for("run", EXPORT_JSON);
	CHECK_STR(s, "run.json");
	free(s);
	s = export_path_for("a.b/run.data", EXPORT_FOLDED);
	CHECK_STR(s, "a.b/run.data.folded");
	free(s);
}

int
main(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *bin = binary_synthetic(c, "app", test_funcs,
	    sizeof test_funcs / sizeof test_funcs[0]);

	test_encoder();
	test_empty();
	test_export_flat(bin);
	test_export_stacks(bin);
	test_paths();
	binary_cache_free(c);
	return check_exit("test_pprof");
}
