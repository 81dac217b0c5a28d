/* User input as a message quotes it: cut short, on one line. */
#include "config.h"

#include <stddef.h>

#include "echo.h"

/* s, cut to ECHO_MAX bytes at a character's start, in buf. */
const char *
echo_arg(char *buf, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, keep;

	if (s == NULL) {
		buf[0] = '\0';
		return buf;
	}
	while (n <= ECHO_MAX && u[n] != '\0')
		n++;
	keep = n;
	if (n > ECHO_MAX) {
		keep = ECHO_MAX;
		/* Back up over UTF-8 continuation bytes. */
		while (keep > 0 && (u[keep] & 0xc0) == 0x80)
			keep--;
	}
	for (size_t i = 0; i < keep; i++)
		buf[i] = u[i] < 0x20 || u[i] == 0x7f ? '?' : (char)u[i];
	if (keep < n) {
		buf[keep++] = '.';
		buf[keep++] = '.';
		buf[keep++] = '.';
	}
	buf[keep] = '\0';
	return buf;
}
