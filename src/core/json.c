/*
 * The JSON reader: recursive descent over the text, bounded in depth,
 * every read checked against the end; a failure frees what was built and
 * names where the text went wrong.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "json.h"
#include "xmalloc.h"

struct json_in {
	const char *p;
	const char *start;
	const char *end;
	const char *err;	/* translated, static */
	int depth;
};

static int json_value(struct json_in *in, struct json *out);

/* Skip blanks. */
static void
json_ws(struct json_in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' ||
	    *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

/* Fail with why: -1. */
static int
json_fail(struct json_in *in, const char *why)
{
	if (in->err == NULL)
		in->err = why;
	return -1;
}

/* Consume the literal word. */
static int
json_word(struct json_in *in, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(in->end - in->p) < n || memcmp(in->p, word, n) != 0)
		return json_fail(in, _("unexpected character"));
	in->p += n;
	return 0;
}

/* Four hex digits into *v. */
static int
json_hex4(struct json_in *in, unsigned *v)
{
	int i;
	char c;

	if (in->end - in->p < 4)
		return json_fail(in, _("bad \\u escape"));
	*v = 0;
	for (i = 0; i < 4; i++) {
		c = *in->p++;
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return json_fail(in, _("bad \\u escape"));
	}
	return 0;
}

/* Append code point cp as UTF-8 at *o. */
static void
json_utf8(char **o, unsigned cp)
{
	char *q = *o;

	if (cp < 0x80)
		*q++ = (char)cp;
	else if (cp < 0x800) {
		*q++ = (char)(0xc0 | (cp >> 6));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | (cp >> 12));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | (cp >> 18));
		*q++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = q;
}

/* A string (at its opening quote) into *out (caller frees). The decoded
 * text is never longer than the quoted one. */
static int
json_string(struct json_in *in, char **out)
{
	const char *q;
	char *buf, *o;
	unsigned cp, lo;

	in->p++;
	for (q = in->p; q < in->end && *q != '"'; q++) {
		if (*q == '\\')
			q++;
	}
	if (q >= in->end)
		return json_fail(in, _("unterminated string"));
	buf = o = xmalloc((size_t)(q - in->p) + 1);
	while (*in->p != '"') {
		unsigned char c = (unsigned char)*in->p++;

		if (c < 0x20) {
			free(buf);
			return json_fail(in, _("control character in a string"));
		}
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		switch (*in->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (json_hex4(in, &cp) < 0)
				goto bad;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (in->end - in->p < 2 || in->p[0] != '\\' ||
				    in->p[1] != 'u')
					goto surrogate;
				in->p += 2;
				if (json_hex4(in, &lo) < 0)
					goto bad;
				if (lo < 0xdc00 || lo > 0xdfff)
					goto surrogate;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000)
				goto surrogate;
			if (cp == 0) {
				free(buf);
				return json_fail(in, _("NUL in a string"));
			}
			/* \uXXXX is 6 bytes, its UTF-8 at most 3; a pair
			 * is 12 bytes for 4. */
			json_utf8(&o, cp);
			break;
		default:
			free(buf);
			return json_fail(in, _("bad escape in a string"));
		}
		if (in->p >= in->end) {
			free(buf);
			return json_fail(in, _("unterminated string"));
		}
	}
	in->p++;
	*o = '\0';
	*out = buf;
	return 0;
surrogate:
	free(buf);
	return json_fail(in, _("bad surrogate pair"));
bad:
	free(buf);
	return -1;
}

/* A number, as RFC 8259 spells them. */
static int
json_number(struct json_in *in, double *out)
{
	const char *s = in->p;
	char buf[64];
	size_t n;

	if (in->p < in->end && *in->p == '-')
		in->p++;
	if (in->p >= in->end || *in->p < '0' || *in->p > '9')
		return json_fail(in, _("bad number"));
	if (*in->p == '0')
		in->p++;
	else
		while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
			in->p++;
	if (in->p < in->end && *in->p == '.') {
		in->p++;
		if (in->p >= in->end || *in->p < '0' || *in->p > '9')
			return json_fail(in, _("bad number"));
		while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
			in->p++;
	}
	if (in->p < in->end && (*in->p == 'e' || *in->p == 'E')) {
		in->p++;
		if (in->p < in->end && (*in->p == '+' || *in->p == '-'))
			in->p++;
		if (in->p >= in->end || *in->p < '0' || *in->p > '9')
			return json_fail(in, _("bad number"));
		while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
			in->p++;
	}
	n = (size_t)(in->p - s);
	if (n >= sizeof buf)
		return json_fail(in, _("number too long"));
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (!isfinite(*out))
		return json_fail(in, _("number out of range"));
	return 0;
}

/* Members or items up to close, into out. */
static int
json_list(struct json_in *in, struct json *out, char close)
{
	size_t cap = 0;
	char *key = NULL;

	in->p++;
	json_ws(in);
	if (in->p < in->end && *in->p == close) {
		in->p++;
		return 0;
	}
	for (;;) {
		json_ws(in);
		if (close == '}') {
			if (in->p >= in->end || *in->p != '"')
				return json_fail(in, _("expected a member name"));
			if (json_string(in, &key) < 0)
				return -1;
			json_ws(in);
			if (in->p >= in->end || *in->p != ':') {
				free(key);
				return json_fail(in, _("expected ':'"));
			}
			in->p++;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			out->items = xreallocarray(out->items, cap,
			    sizeof *out->items);
			if (close == '}')
				out->keys = xreallocarray(out->keys, cap,
				    sizeof *out->keys);
		}
		if (close == '}')
			out->keys[out->n] = key;
		key = NULL;
		memset(&out->items[out->n], 0, sizeof out->items[out->n]);
		out->n++;
		if (json_value(in, &out->items[out->n - 1]) < 0)
			return -1;
		json_ws(in);
		if (in->p < in->end && *in->p == ',') {
			in->p++;
			continue;
		}
		if (in->p < in->end && *in->p == close) {
			in->p++;
			return 0;
		}
		return json_fail(in, close == '}' ? _("expected ',' or '}'") :
		    _("expected ',' or ']'"));
	}
}

/* One value into out (zeroed by the caller). */
static int
json_value(struct json_in *in, struct json *out)
{
	int rc;

	json_ws(in);
	if (in->p >= in->end)
		return json_fail(in, _("unexpected end"));
	switch (*in->p) {
	case '{':
	case '[':
		if (++in->depth > JSON_MAX_DEPTH)
			return json_fail(in, _("nested too deeply"));
		out->type = *in->p == '{' ? JSON_OBJECT : JSON_ARRAY;
		rc = json_list(in, out, *in->p == '{' ? '}' : ']');
		in->depth--;
		return rc;
	case '"':
		out->type = JSON_STRING;
		return json_string(in, &out->string);
	case 't':
		out->type = JSON_TRUE;
		return json_word(in, "true");
	case 'f':
		out->type = JSON_FALSE;
		return json_word(in, "false");
	case 'n':
		out->type = JSON_NULL;
		return json_word(in, "null");
	default:
		out->type = JSON_NUMBER;
		return json_number(in, &out->number);
	}
}

/* The line and column of in->p, 1-based. */
static void
json_where(const struct json_in *in, size_t *line, size_t *col)
{
	const char *s;

	*line = 1;
	*col = 1;
	for (s = in->start; s < in->p && s < in->end; s++) {
		if (*s == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* Parse a whole text. */
int
json_parse(const char *text, size_t len, struct json *out, char **cause)
{
	struct json_in in = { .p = text, .start = text, .end = text + len };
	size_t line, col;

	memset(out, 0, sizeof *out);
	if (json_value(&in, out) == 0) {
		json_ws(&in);
		if (in.p == in.end)
			return 0;
		json_fail(&in, _("text after the value"));
	}
	json_where(&in, &line, &col);
	*cause = xasprintf(_("line %zu, column %zu: %s"), line, col,
	    in.err != NULL ? in.err : _("bad JSON"));
	json_free(out);
	return -1;
}

/* Read and parse a file. */
int
json_load(const char *path, struct json *out, char **cause)
{
	struct stat st;
	char *buf, *why;
	size_t got = 0;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	why = NULL;
	if (fstat(fd, &st) < 0)
		why = xasprintf("%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		why = xasprintf(_("%s: not a regular file"), path);
	else if ((uint64_t)st.st_size > JSON_MAX_BYTES)
		why = xasprintf(_("%s: larger than %lu bytes"), path,
		    JSON_MAX_BYTES);
	if (why != NULL) {
		*cause = why;
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	rc = json_parse(buf, got, out, &why);
	free(buf);
	if (rc < 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return rc;
}

/* Free a tree. */
void
json_free(struct json *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		json_free(&j->items[i]);
		if (j->keys != NULL)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->string);
	memset(j, 0, sizeof *j);
}

/* A member of an object. */
const struct json *
json_get(const struct json *j, const char *key)
{
	size_t i;

	if (j == NULL || j->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < j->n; i++) {
		if (strcmp(j->keys[i], key) == 0)
			return &j->items[i];
	}
	return NULL;
}

/* A string value. */
const char *
json_str(const struct json *j)
{
	return j != NULL && j->type == JSON_STRING ? j->string : NULL;
}

/* A number value. */
bool
json_num(const struct json *j, double *out)
{
	if (j == NULL || j->type != JSON_NUMBER)
		return false;
	*out = j->number;
	return true;
}
