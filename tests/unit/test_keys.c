/* Unit tests of the key table (src/ui/keys.c): no key bound twice, every
 * key of the contract (SPEC.md, "Screen") bound, every entry with help
 * text and an action, and the help screen and the footer, both generated
 * from the table, naming every binding. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "footer.h"
#include "help.h"
#include "keys.h"
#include "ui_int.h"

/* The keys of SPEC.md's table (Enter included: it is bound, to a notice). */
static const struct {
	int key;
	const char *what;
} test_spec_keys[] = {
	{ 'q', "q" }, { KEY_F(10), "F10" },
	{ 'h', "h" }, { '?', "?" }, { KEY_F(1), "F1" },
	{ '\t', "TAB" }, { KEY_BTAB, "Shift-TAB" }, { 'e', "e" }, { 'E', "E" },
	{ ' ', "space" }, { 'Z', "Z" },
	{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_PPAGE, "PgUp" },
	{ KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
	{ '\r', "Enter" }, { '\n', "Enter (newline)" }, { KEY_ENTER, "keypad Enter" },
	{ 27, "Esc" }, { KEY_BACKSPACE, "Backspace" }, { 127, "Backspace (DEL)" },
	{ '<', "<" }, { '>', ">" }, { KEY_F(6), "F6" }, { 'r', "r" },
	{ '/', "/" }, { KEY_F(4), "F4" },
	{ 'd', "d" }, { 'b', "b" }, { 'z', "z" }, { 'c', "c" },
	{ 'w', "w" }, { 'P', "P" },
};

/* Which entry each SPEC key must reach, where two keys share an action. */
static const struct {
	int a, b;
} test_same_action[] = {
	{ 'q', KEY_F(10) }, { 'h', '?' }, { 'h', KEY_F(1) },
	{ '\t', 'e' }, { KEY_BTAB, 'E' }, { ' ', 'Z' },
	{ '>', KEY_F(6) }, { '/', KEY_F(4) }, { 'w', 'P' },
	{ 27, KEY_BACKSPACE }, { KEY_UP, KEY_END },
};

/* Whether the word w is in text as a whole token (spaces or line ends
 * around it). */
static int
test_has_token(const char *text, const char *w)
{
	size_t n = strlen(w);
	const char *p = text;

	while ((p = strstr(p, w)) != NULL) {
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return 1;
		p++;
	}
	return 0;
}

/* No key code is bound twice; unused slots are all at the end. */
static void
test_no_duplicates(void)
{
	size_t i, j, k, l;

	for (i = 0; i < keys_count; i++) {
		int ended = 0;

		for (j = 0; j < KEYS_MAX; j++) {
			int key = keys_table[i].keys[j];

			if (key == 0) {
				ended = 1;
				continue;
			}
			CHECK(!ended);
			for (k = 0; k < keys_count; k++) {
				for (l = 0; l < KEYS_MAX; l++) {
					if (k == i && l == j)
						continue;
					if (keys_table[k].keys[l] == key) {
						fprintf(stderr, "key %d bound by %s and %s\n", key,
						    keys_table[i].name, keys_table[k].name);
						CHECK(keys_table[k].keys[l] != key);
					}
				}
			}
		}
	}
}

/* Every entry has a name, at least one key, help text and an action;
 * every label is short enough for the footer. */
static void
test_entries(void)
{
	size_t i;

	CHECK(keys_count >= 15);
	for (i = 0; i < keys_count; i++) {
		const struct keys_entry *e = &keys_table[i];

		CHECK(e->name != NULL && *e->name != '\0');
		CHECK(e->keys[0] != 0);
		CHECK(e->help != NULL && strlen(e->help) > 5);
		CHECK(e->action != NULL);
		CHECK(e->label == NULL || (strlen(e->label) > 0 && strlen(e->label) < 12));
	}
}

/* Every key of the contract is bound, and keys that share an action in
 * the contract reach the same entry. */
static void
test_spec(void)
{
	size_t i;

	for (i = 0; i < sizeof test_spec_keys / sizeof test_spec_keys[0]; i++) {
		if (keys_find(test_spec_keys[i].key) == NULL) {
			fprintf(stderr, "SPEC key %s is not bound\n", test_spec_keys[i].what);
			CHECK(keys_find(test_spec_keys[i].key) != NULL);
		}
	}
	for (i = 0; i < sizeof test_same_action / sizeof test_same_action[0]; i++)
		CHECK(keys_find(test_same_action[i].a) == keys_find(test_same_action[i].b));
	CHECK(keys_find(0) == NULL);
	CHECK(keys_find('x') == NULL);
	CHECK(strcmp(keys_find('q')->name, "quit") == 0);
	CHECK(strcmp(keys_find('h')->name, "help") == 0);
}

/* The key names the help and the footer use. */
static void
test_names(void)
{
	char buf[32];
	char *s;

	CHECK_STR(keys_name('\t', buf, sizeof buf), "TAB");
	CHECK_STR(keys_name(KEY_BTAB, buf, sizeof buf), "Shift-TAB");
	CHECK_STR(keys_name(KEY_F(10), buf, sizeof buf), "F10");
	CHECK_STR(keys_name('q', buf, sizeof buf), "q");
	CHECK_STR(keys_name(' ', buf, sizeof buf), "Space");
	CHECK_STR(keys_name(12, buf, sizeof buf), "^L");
	/* Enter has three codes and one name. */
	s = keys_names(keys_find('\r'));
	CHECK_STR(s, "Enter");
	free(s);
	s = keys_names(keys_find(27));
	CHECK_STR(s, "Esc Backspace");
	free(s);
	s = keys_names(keys_find('q'));
	CHECK_STR(s, "q F10");
	free(s);
}

/* The help screen names every key of every entry, with its help text;
 * the footer, wide enough, has every labelled entry, and at 80 columns
 * fits and still has help and quit. */
static void
test_generated(void)
{
	char *help = help_text(), *footer = footer_text(10000), *narrow;
	char buf[32], line[512];
	size_t i, j;

	for (i = 0; i < keys_count; i++) {
		const struct keys_entry *e = &keys_table[i];

		for (j = 0; j < KEYS_MAX && e->keys[j] != 0; j++) {
			const char *name = keys_name(e->keys[j], buf, sizeof buf);

			if (!test_has_token(help, name)) {
				fprintf(stderr, "help lacks key %s of %s\n", name, e->name);
				CHECK(test_has_token(help, name));
			}
		}
		CHECK(strstr(help, e->help) != NULL);
		if (e->label != NULL) {
			snprintf(line, sizeof line, "%s %s",
			    keys_name(e->keys[0], buf, sizeof buf), e->label);
			if (strstr(footer, line) == NULL) {
				fprintf(stderr, "footer lacks \"%s\": %s\n", line, footer);
				CHECK(strstr(footer, line) != NULL);
			}
		}
	}
	narrow = footer_text(80);
	CHECK(strlen(narrow) <= 80);
	CHECK(strstr(narrow, "h Help") != NULL);
	CHECK(strstr(narrow, "q Quit") != NULL);
	free(narrow);
	narrow = footer_text(10);
	CHECK(strlen(narrow) <= 10);
	free(narrow);
	free(help);
	free(footer);
}

int
main(void)
{
	test_no_duplicates();
	test_entries();
	test_spec();
	test_names();
	test_generated();
	return check_exit("test_keys");
}
