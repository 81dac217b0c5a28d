/*
 * Small parsers of outside text: /proc files, perf maps, /proc/kallsyms.
 *
 * Each one reads the text at *pp and never reads at or past end (the text
 * need not end in a NUL, and a NUL is just another character). On success
 * it returns true and moves *pp past what it read; on failure it returns
 * false and leaves *pp and *out untouched. None allocates.
 */
#ifndef RS_PARSE_H
#define RS_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Skip spaces and tabs; true if there was at least one. */
bool parse_blanks(const char **pp, const char *end);

/* A hex number (digits 0-9, a-f, A-F; no prefix, no sign): false if there
 * is no digit or its value is above max. Leading zeros are allowed. */
bool parse_hex(const char **pp, const char *end, uint64_t max,
    uint64_t *out);

/* The same, after an optional "0x" or "0X" (taken as a prefix only when a
 * hex digit follows it: "0x" alone reads as the number 0, stopping at x). */
bool parse_hex0x(const char **pp, const char *end, uint64_t max,
    uint64_t *out);

/* A decimal number (digits 0-9; no sign): false if there is no digit or
 * its value is above max. Leading zeros are allowed. */
bool parse_dec(const char **pp, const char *end, uint64_t max,
    uint64_t *out);

/* The next line of [*pp, end): [*line, *eol), without its newline (the
 * last line may have none); *pp moves past the newline. False (nothing
 * changed) when *pp is at end. */
bool parse_line(const char **pp, const char *end, const char **line,
    const char **eol);

#endif
