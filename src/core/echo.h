/*
 * User input as a message quotes it: cut short and on one line, so that a
 * 100 KB argument or one with a newline in it never floods or breaks the
 * one line a failure prints.
 */
#ifndef RS_ECHO_H
#define RS_ECHO_H

#define ECHO_MAX	64		/* bytes of the argument kept at most */
#define ECHO_SIZE	(ECHO_MAX + 4)	/* and "..." and the NUL */

/* s as a message quotes it, in buf (ECHO_SIZE bytes): at most ECHO_MAX
 * bytes, cut at a character's start with "..." where it was cut, control
 * characters as '?'. Returns buf. */
const char *echo_arg(char *buf, const char *s);

/* echo_arg into a buffer that lives as long as the enclosing block: for
 * the arguments of one xasprintf. */
#define ECHO(s)	echo_arg((char [ECHO_SIZE]){ 0 }, (s))

#endif
