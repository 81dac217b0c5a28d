/*
 * Unit tests for parse: hex and decimal numbers at their limits and past
 * them, prefixes, blanks and lines; nothing read at or past end, and
 * nothing moved or written on failure.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "xmalloc.h"

#define UNTOUCHED	UINT64_C(0x5a5a5a5a5a5a5a5a)

/* Parse all of s with fn; the value, how far it read (-1 on failure). */
static long
run(bool (*fn)(const char **, const char *, uint64_t, uint64_t *),
    const char *s, uint64_t max, uint64_t *out)
{
	size_t len = strlen(s);
	char *copy = xmalloc(len != 0 ? len : 1);	/* no NUL after it */
	const char *p = copy;
	long used;

	memcpy(copy, s, len);
	*out = UNTOUCHED;
	if (fn(&p, copy + len, max, out))
		used = (long)(p - copy);
	else
		used = p == copy ? -1 : -2;	/* -2: moved on failure */
	free(copy);
	return used;
}

/* Hex numbers: digits, case, limits, overflow, what stops them. */
static void
test_hex(void)
{
	uint64_t v;

	CHECK(run(parse_hex, "0", UINT64_MAX, &v) == 1);
	CHECK_U64(v, 0);
	CHECK(run(parse_hex, "7f1e33C0aBcD", UINT64_MAX, &v) == 12);
	CHECK_U64(v, UINT64_C(0x7f1e33c0abcd));
	CHECK(run(parse_hex, "55a4c6e00000-55a4c6e02000", UINT64_MAX,
	    &v) == 12);
	CHECK_U64(v, UINT64_C(0x55a4c6e00000));
	CHECK(run(parse_hex, "ffffffffffffffff", UINT64_MAX, &v) == 16);
	CHECK_U64(v, UINT64_MAX);
	/* Leading zeros do not count towards the limit. */
	CHECK(run(parse_hex, "00000000000000000000ffffffffffffffff", UINT64_MAX,
	    &v) == 36);
	CHECK_U64(v, UINT64_MAX);

	/* One past the top, and far past it. */
	CHECK(run(parse_hex, "10000000000000000", UINT64_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);
	CHECK(run(parse_hex, "fffffffffffffffff", UINT64_MAX, &v) == -1);
	CHECK(run(parse_hex, "123456789abcdef0123456789", UINT64_MAX,
	    &v) == -1);

	/* A smaller limit: 32 bits (device numbers), and a tiny one. */
	CHECK(run(parse_hex, "ffffffff", UINT32_MAX, &v) == 8);
	CHECK_U64(v, UINT32_MAX);
	CHECK(run(parse_hex, "100000000", UINT32_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);
	CHECK(run(parse_hex, "5", 5, &v) == 1);
	CHECK_U64(v, 5);
	CHECK(run(parse_hex, "6", 5, &v) == -1);
	CHECK(run(parse_hex, "f", 5, &v) == -1);
	CHECK(run(parse_hex, "0", 0, &v) == 1);
	CHECK(run(parse_hex, "1", 0, &v) == -1);

	/* No digit: nothing read, nothing written. */
	CHECK(run(parse_hex, "", UINT64_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);
	CHECK(run(parse_hex, "g", UINT64_MAX, &v) == -1);
	CHECK(run(parse_hex, " 1", UINT64_MAX, &v) == -1);
	CHECK(run(parse_hex, "-1", UINT64_MAX, &v) == -1);
	CHECK(run(parse_hex, "+1", UINT64_MAX, &v) == -1);
	/* No prefix here: "0x10" is 0, then x. */
	CHECK(run(parse_hex, "0x10", UINT64_MAX, &v) == 1);
	CHECK_U64(v, 0);
	/* Stops at the first non-digit, a NUL included. */
	CHECK(run(parse_hex, "12g4", UINT64_MAX, &v) == 2);
	CHECK_U64(v, 0x12);
	{
		const char text[] = { '1', '2', '\0', '3' };
		const char *p = text;

		CHECK(parse_hex(&p, text + sizeof text, UINT64_MAX, &v));
		CHECK(p == text + 2);
		CHECK_U64(v, 0x12);
	}
}

/* Hex numbers after an optional 0x or 0X. */
static void
test_hex0x(void)
{
	uint64_t v;

	CHECK(run(parse_hex0x, "0x4000", UINT64_MAX, &v) == 6);
	CHECK_U64(v, 0x4000);
	CHECK(run(parse_hex0x, "0X4a", UINT64_MAX, &v) == 4);
	CHECK_U64(v, 0x4a);
	CHECK(run(parse_hex0x, "4000", UINT64_MAX, &v) == 4);
	CHECK_U64(v, 0x4000);
	CHECK(run(parse_hex0x, "0xffffffffffffffff", UINT64_MAX, &v) == 18);
	CHECK_U64(v, UINT64_MAX);
	CHECK(run(parse_hex0x, "0x10000000000000000", UINT64_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);

	/* "0x" with no digit after it is the number 0, stopping at x. */
	CHECK(run(parse_hex0x, "0x", UINT64_MAX, &v) == 1);
	CHECK_U64(v, 0);
	CHECK(run(parse_hex0x, "0xg", UINT64_MAX, &v) == 1);
	CHECK_U64(v, 0);
	CHECK(run(parse_hex0x, "0x 5", UINT64_MAX, &v) == 1);
	CHECK(run(parse_hex0x, "x5", UINT64_MAX, &v) == -1);
	CHECK(run(parse_hex0x, "0x0x5", UINT64_MAX, &v) == 3);
	CHECK_U64(v, 0);
	CHECK(run(parse_hex0x, "", UINT64_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);
	/* The prefix is never read past end. */
	{
		const char text[] = { '0', 'x', '5' };
		const char *p = text;

		CHECK(parse_hex0x(&p, text + 2, UINT64_MAX, &v));
		CHECK(p == text + 1);
		CHECK_U64(v, 0);
	}
}

/* Decimal numbers: limits, overflow, what stops them. */
static void
test_dec(void)
{
	uint64_t v;

	CHECK(run(parse_dec, "0", UINT64_MAX, &v) == 1);
	CHECK_U64(v, 0);
	CHECK(run(parse_dec, "1835049 /usr/bin/x", UINT64_MAX, &v) == 7);
	CHECK_U64(v, 1835049);
	CHECK(run(parse_dec, "18446744073709551615", UINT64_MAX, &v) == 20);
	CHECK_U64(v, UINT64_MAX);
	CHECK(run(parse_dec, "000000000000000000000018446744073709551615",
	    UINT64_MAX, &v) == 42);
	CHECK_U64(v, UINT64_MAX);
	CHECK(run(parse_dec, "18446744073709551616", UINT64_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);
	CHECK(run(parse_dec, "99999999999999999999", UINT64_MAX, &v) == -1);
	CHECK(run(parse_dec, "184467440737095516150", UINT64_MAX, &v) == -1);

	CHECK(run(parse_dec, "4294967295", UINT32_MAX, &v) == 10);
	CHECK_U64(v, UINT32_MAX);
	CHECK(run(parse_dec, "4294967296", UINT32_MAX, &v) == -1);
	CHECK(run(parse_dec, "7", 7, &v) == 1);
	CHECK(run(parse_dec, "8", 7, &v) == -1);
	CHECK(run(parse_dec, "9", 0, &v) == -1);
	/* An odd limit is exact. */
	CHECK(run(parse_dec, "18446744073709551609", UINT64_MAX - 6, &v) == 20);
	CHECK(run(parse_dec, "18446744073709551610", UINT64_MAX - 6, &v) == -1);

	CHECK(run(parse_dec, "", UINT64_MAX, &v) == -1);
	CHECK(run(parse_dec, "-1", UINT64_MAX, &v) == -1);
	CHECK(run(parse_dec, "+1", UINT64_MAX, &v) == -1);
	CHECK(run(parse_dec, " 1", UINT64_MAX, &v) == -1);
	CHECK(run(parse_dec, "a1", UINT64_MAX, &v) == -1);
	CHECK_U64(v, UNTOUCHED);
	CHECK(run(parse_dec, "12a", UINT64_MAX, &v) == 2);
	CHECK_U64(v, 12);
}

/* Blanks are spaces and tabs, nothing else. */
static void
test_blanks(void)
{
	const char text[] = " \t \tx\n \r";
	const char *p = text, *end = text + sizeof text - 1;

	CHECK(parse_blanks(&p, end));
	CHECK(p == text + 4);
	CHECK(!parse_blanks(&p, end));
	CHECK(p == text + 4);
	p = text + 5;	/* a newline */
	CHECK(!parse_blanks(&p, end));
	CHECK(p == text + 5);
	p = text + 6;	/* a space, then a CR */
	CHECK(parse_blanks(&p, end));
	CHECK(p == text + 7);
	p = end;
	CHECK(!parse_blanks(&p, end));
	/* Bounded by end, not by the text. */
	p = text;
	CHECK(parse_blanks(&p, text + 2));
	CHECK(p == text + 2);
}

/* Lines: with and without a last newline, empty ones, a NUL inside. */
static void
test_line(void)
{
	const char text[] = "one\n\ntw\0o\nlast";
	const char *p = text, *end = text + sizeof text - 1, *line, *eol;

	CHECK(parse_line(&p, end, &line, &eol));
	CHECK(line == text && eol == text + 3);
	CHECK(parse_line(&p, end, &line, &eol));
	CHECK(line == text + 4 && eol == text + 4);
	CHECK(parse_line(&p, end, &line, &eol));
	CHECK(line == text + 5 && eol == text + 9);
	CHECK(parse_line(&p, end, &line, &eol));
	CHECK(line == text + 10 && eol == end);
	CHECK(p == end);
	CHECK(!parse_line(&p, end, &line, &eol));
	CHECK(p == end);

	/* A text that ends in a newline has no empty line after it. */
	p = text;
	end = text + 4;
	CHECK(parse_line(&p, end, &line, &eol));
	CHECK(eol == text + 3 && p == end);
	CHECK(!parse_line(&p, end, &line, &eol));

	/* Nothing at all. */
	p = text;
	line = eol = NULL;
	CHECK(!parse_line(&p, text, &line, &eol));
	CHECK(line == NULL && eol == NULL && p == text);
}

/* Check one parse of [buf, buf + len) against strtoull on the digits. */
static int
agrees(bool (*fn)(const char **, const char *, uint64_t, uint64_t *),
    const char *buf, size_t len, const char *set, int base)
{
	char copy[64], *end;
	const char *p = buf;
	unsigned long long want;
	size_t run;
	uint64_t v = UNTOUCHED;
	bool ok;

	memcpy(copy, buf, len);
	copy[len] = '\0';
	run = strspn(copy, set);
	copy[run] = '\0';
	errno = 0;
	want = strtoull(copy, &end, base);
	ok = fn(&p, buf + len, UINT64_MAX, &v);
	if (run == 0 || errno == ERANGE)
		return !ok && p == buf && v == UNTOUCHED;
	return ok && p == buf + run && v == want;
}

/* Random text: each parser agrees with strtoull on its digits. */
static void
test_random(void)
{
	const char *chars = "0123456789abcdefABCxX \t-+";
	char buf[64];
	uint64_t seed = 1;
	size_t len;
	int bad = 0;

	for (int i = 0; i < 50000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		len = (size_t)(seed >> 59) + (size_t)(seed >> 61) * 4 + 1;
		for (size_t k = 0; k < len; k++) {
			seed = seed * 6364136223846793005ull + 1;
			buf[k] = chars[(seed >> 33) % strlen(chars)];
			/* Mostly digits, so that long numbers come up. */
			if ((seed >> 40) % 4 != 0)
				buf[k] = chars[(seed >> 45) % 10];
		}
		if (!agrees(parse_hex, buf, len, "0123456789abcdefABCDEF", 16))
			bad++;
		if (!agrees(parse_dec, buf, len, "0123456789", 10))
			bad++;
	}
	CHECK(bad == 0);
}

int
main(void)
{
	test_hex();
	test_hex0x();
	test_dec();
	test_blanks();
	test_line();
	test_random();
	return check_exit("test_parse");
}
