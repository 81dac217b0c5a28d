/*
 * Small parsers of outside text, shared by the readers of /proc/PID/maps,
 * perf maps, /proc thread files and /proc/kallsyms. Every one is bounded by
 * end, checks for overflow before it happens, and moves *pp only on
 * success.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"

/* Value of one hex digit, or -1. */
static int
parse_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Skip spaces and tabs; true if there was at least one. */
bool
parse_blanks(const char **pp, const char *end)
{
	const char *p = *pp;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == *pp)
		return false;
	*pp = p;
	return true;
}

/* Read a hex number of at most max at *pp (before end); advance *pp. */
bool
parse_hex(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	int d;

	while (p < end && (d = parse_hexdigit(*p)) >= 0) {
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / 16)
			return false;
		v = v * 16 + (uint64_t)d;
		p++;
	}
	if (p == *pp)
		return false;
	*pp = p;
	*out = v;
	return true;
}

/* Read a hex number after an optional 0x or 0X; advance *pp. */
bool
parse_hex0x(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char *p = *pp;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    parse_hexdigit(p[2]) >= 0)
		p += 2;
	if (!parse_hex(&p, end, max, out))
		return false;
	*pp = p;
	return true;
}

/* Read a decimal number of at most max at *pp (before end); advance *pp. */
bool
parse_dec(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0, d;

	while (p < end && *p >= '0' && *p <= '9') {
		d = (uint64_t)(*p - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		p++;
	}
	if (p == *pp)
		return false;
	*pp = p;
	*out = v;
	return true;
}

/* Take the next line of [*pp, end) and move *pp past its newline. */
bool
parse_line(const char **pp, const char *end, const char **line,
    const char **eol)
{
	const char *p = *pp, *nl;

	if (p >= end)
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	*line = p;
	if (nl == NULL) {
		*eol = end;
		*pp = end;
	} else {
		*eol = nl;
		*pp = nl + 1;
	}
	return true;
}
