/* Unit tests of the key table (src/ui/keys.c): no key bound twice, every
 * key of the contract (SPEC.md, "Screen", and C of the call graphs) bound,
 * every entry with help text and an action, the help screen and the
 * footer, both generated from the table, naming every binding; and what
 * each key asks for (keys_intent) on each screen (the table, the
 * drill-down, the caller/callee view, help, the filter prompt), with the
 * state left as it was. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "annotate.h"
#include "callers.h"
#include "check.h"
#include "footer.h"
#include "help.h"
#include "intent.h"
#include "keys.h"
#include "session.h"
#include "ui_int.h"
#include "view.h"

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
	{ 'C', "C (call graphs)" },
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
	CHECK(strstr(narrow, "C Callers") != NULL);
	free(narrow);
	narrow = footer_text_where(80, KEYS_IN_CALLERS);
	CHECK(strlen(narrow) <= 80);
	CHECK(strstr(narrow, "h Help") != NULL);
	CHECK(strstr(narrow, "C Callers") != NULL);
	CHECK(strstr(narrow, "w Write") != NULL);
	CHECK(strstr(narrow, "q Quit") != NULL);
	CHECK(strstr(narrow, "Sort") == NULL && strstr(narrow, "Lines") == NULL);
	free(narrow);
	narrow = footer_text_where(80, KEYS_IN_DRILL);
	CHECK(strstr(narrow, "Callers") == NULL);
	free(narrow);
	CHECK(strstr(help, "\nC ") != NULL);
	narrow = footer_text(10);
	CHECK(strlen(narrow) <= 10);
	free(narrow);
	free(help);
	free(footer);
}

/* Two binaries and three rows for the intent tests: a group row, then
 * two function rows. The pointers are only compared. */
static int test_bin_a, test_bin_b;
static const int test_func_a, test_func_b;
static struct view_row test_rows[] = {
	{ .kind = VIEW_ROW_GROUP, .bin = (void *)&test_bin_a,
	  .binary = "app", .function = "" },
	{ .kind = VIEW_ROW_FUNC, .bin = (void *)&test_bin_a,
	  .func = (const void *)&test_func_a, .binary = "app",
	  .function = "compute" },
	{ .kind = VIEW_ROW_FUNC, .bin = (void *)&test_bin_b,
	  .func = (const void *)&test_func_b, .binary = "libm.so",
	  .function = "sin" },
};
static struct annotate test_drill = { .naddrs = 5, .nlines = 2 };

/* The caller/callee view of compute: called by main, calling sin, and
 * samples of its own. */
static struct callers_row test_cg_rows[] = {
	{ .kind = AGG_EDGE_FUNC, .bin = (void *)&test_bin_a,
	  .func = (const void *)&test_func_b, .binary = "app",
	  .function = "main" },
	{ .kind = AGG_EDGE_FUNC, .callee = true, .bin = (void *)&test_bin_b,
	  .func = (const void *)&test_func_b, .binary = "libm.so",
	  .function = "sin" },
	{ .kind = AGG_EDGE_SELF, .callee = true, .binary = "",
	  .function = "[self]" },
};
static struct callers_step test_cg_steps[] = {
	{ .bin = (void *)&test_bin_a, .func = (const void *)&test_func_a,
	  .binary = "app", .function = "compute" },
};
static struct callers test_cg = {
	.steps = test_cg_steps, .nsteps = 1, .capsteps = 1,
	.rows = test_cg_rows, .nrows = 3, .ncallers = 1, .caprows = 3,
};

/* Sessions with call stacks kept (-g) and without. */
static struct session test_sess_g, test_sess;

/* A state on the table: three rows, the first function selected, 11
 * rows on screen; call stacks kept. */
static void
test_state(struct ui *ui)
{
	memset(ui, 0, sizeof *ui);
	ui->s = &test_sess_g;
	ui->mode = UI_MODE_TABLE;
	ui->view.rows = test_rows;
	ui->view.n = 3;
	ui->sel = 1;
	ui->page = 11;
	ui->drill_page = 3;
	ui->vo.sort = VIEW_SORT_SELF;
}

/* What key asks for in state ui, checking that asking changed nothing. */
static struct intent
test_ask(const struct ui *ui, int key)
{
	struct ui before;
	struct intent in;

	memcpy(&before, ui, sizeof before);
	in = keys_intent(ui, key);
	if (memcmp(&before, ui, sizeof before) != 0) {
		fprintf(stderr, "key %d changed the state\n", key);
		CHECK(memcmp(&before, ui, sizeof before) == 0);
	}
	return in;
}

/* The keys on the table: each asks for its intent, with its argument. */
static void
test_intents_table(void)
{
	struct ui ui;
	struct intent in;

	test_state(&ui);
	CHECK(test_ask(&ui, 'q').what == INTENT_QUIT);
	CHECK(test_ask(&ui, KEY_F(10)).what == INTENT_QUIT);
	CHECK(test_ask(&ui, 'h').what == INTENT_HELP_OPEN);
	CHECK(test_ask(&ui, '?').what == INTENT_HELP_OPEN);
	in = test_ask(&ui, '\t');
	CHECK(in.what == INTENT_EVENT_STEP && in.dir == 1);
	in = test_ask(&ui, 'E');
	CHECK(in.what == INTENT_EVENT_STEP && in.dir == -1);
	CHECK(test_ask(&ui, ' ').what == INTENT_FREEZE);
	in = test_ask(&ui, '>');
	CHECK(in.what == INTENT_SORT && in.sort == VIEW_SORT_TOTAL);
	in = test_ask(&ui, '<');	/* wraps round */
	CHECK(in.what == INTENT_SORT && in.sort == VIEW_SORT_COUNT - 1);
	CHECK(test_ask(&ui, 'r').what == INTENT_REVERSE);
	CHECK(test_ask(&ui, 'b').what == INTENT_GROUP);
	CHECK(test_ask(&ui, 'c').what == INTENT_WINDOW);
	CHECK(test_ask(&ui, 'z').what == INTENT_ZERO);
	CHECK(test_ask(&ui, 'w').what == INTENT_TABLE_WRITE);
	CHECK(test_ask(&ui, 'P').what == INTENT_TABLE_WRITE);
	CHECK(test_ask(&ui, '/').what == INTENT_FILTER_OPEN);
	CHECK(test_ask(&ui, 'H').what == INTENT_TABLE_HOTTEST);
	CHECK(test_ask(&ui, 12).what == INTENT_CLEAR);
	CHECK(test_ask(&ui, KEY_RESIZE).what == INTENT_CLEAR);
	CHECK(test_ask(&ui, 'x').what == INTENT_NONE);

	/* Drilling in: a function row, else a word why not. */
	in = test_ask(&ui, '\r');
	CHECK(in.what == INTENT_DRILL_OPEN && !in.lines);
	in = test_ask(&ui, 'l');
	CHECK(in.what == INTENT_DRILL_OPEN && in.lines);
	ui.sel = 0;
	in = test_ask(&ui, '\r');
	CHECK(in.what == INTENT_STATUS && in.msg != NULL);
	ui.view.n = 0;
	CHECK(test_ask(&ui, 'l').what == INTENT_STATUS);

	/* Zoom into the selected row's binary, or out; Esc backs out of the
	 * filter first, then the zoom. */
	test_state(&ui);
	ui.sel = 2;
	in = test_ask(&ui, 'd');
	CHECK(in.what == INTENT_ZOOM && in.zoom == test_rows[2].bin);
	ui.vo.zoom = test_rows[2].bin;
	in = test_ask(&ui, 'd');
	CHECK(in.what == INTENT_ZOOM && in.zoom == NULL);
	in = test_ask(&ui, 27);
	CHECK(in.what == INTENT_ZOOM && in.zoom == NULL);
	strcpy(ui.filter, "co");
	CHECK(test_ask(&ui, KEY_BACKSPACE).what == INTENT_FILTER_CLEAR);
	test_state(&ui);
	CHECK(test_ask(&ui, 27).what == INTENT_NONE);
	ui.view.n = 0;
	CHECK(test_ask(&ui, 'd').what == INTENT_STATUS);
}

/* Moving keys select a row of the table: pinned, except Home, which
 * goes back to following the top row; PgDn steps the rows on screen
 * less one, within the rows. */
static void
test_intents_move(void)
{
	struct ui ui;
	struct intent in;

	test_state(&ui);
	in = test_ask(&ui, KEY_DOWN);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 2 && in.pin);
	in = test_ask(&ui, KEY_UP);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 0 && in.pin);
	in = test_ask(&ui, KEY_HOME);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 0 && !in.pin);
	in = test_ask(&ui, KEY_END);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 2 && in.pin);
	in = test_ask(&ui, KEY_NPAGE);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 2);
	ui.sel = 2;
	in = test_ask(&ui, KEY_DOWN);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 2);
	in = test_ask(&ui, KEY_PPAGE);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 0);
	ui.view.n = 0;
	CHECK(test_ask(&ui, KEY_DOWN).what == INTENT_NONE);
}

/* The keys in the drill-down: its own moves (pages of the rows on
 * screen less one), back, the other view, hottest, its snapshot; the
 * table's keys are refused with a word. */
static void
test_intents_drill(void)
{
	struct ui ui;
	struct intent in;

	test_state(&ui);
	ui.mode = UI_MODE_DRILL;
	ui.drill = &test_drill;
	ui.drill_sel = 1;
	CHECK(test_ask(&ui, 27).what == INTENT_DRILL_CLOSE);
	CHECK(test_ask(&ui, 'l').what == INTENT_DRILL_SWITCH);
	CHECK(test_ask(&ui, 'H').what == INTENT_DRILL_HOTTEST);
	CHECK(test_ask(&ui, 'w').what == INTENT_DRILL_WRITE);
	CHECK(test_ask(&ui, 'q').what == INTENT_QUIT);
	CHECK(test_ask(&ui, ' ').what == INTENT_FREEZE);
	in = test_ask(&ui, KEY_NPAGE);
	CHECK(in.what == INTENT_DRILL_SELECT && in.row == 3);
	in = test_ask(&ui, KEY_END);
	CHECK(in.what == INTENT_DRILL_SELECT && in.row == 4);
	ui.drill_lines = true;	/* two line rows */
	in = test_ask(&ui, KEY_END);
	CHECK(in.what == INTENT_DRILL_SELECT && in.row == 1);
	in = test_ask(&ui, '>');
	CHECK(in.what == INTENT_STATUS && in.msg != NULL);
	CHECK(test_ask(&ui, '\r').what == INTENT_STATUS);
	CHECK(test_ask(&ui, 'd').what == INTENT_STATUS);
	ui.drill = NULL;
	CHECK(test_ask(&ui, KEY_DOWN).what == INTENT_NONE);
}

/* C on the table: the view of a function row, a word on a group row or
 * without rows, and without call stacks (no -g) how to get them. In the
 * view: its own moves (pages of the lines on screen less one), Enter and
 * C centre on a caller or callee function (a word on [self]), Backspace
 * and Esc go back, w writes it; the table's keys are refused. */
static void
test_intents_callers(void)
{
	struct ui ui;
	struct intent in;

	test_state(&ui);
	CHECK(test_ask(&ui, 'C').what == INTENT_CALLERS_OPEN);
	ui.sel = 2;
	CHECK(test_ask(&ui, 'C').what == INTENT_CALLERS_OPEN);
	ui.sel = 0;	/* the group row */
	in = test_ask(&ui, 'C');
	CHECK(in.what == INTENT_STATUS && strstr(in.msg, "select a function") != NULL);
	ui.view.n = 0;
	CHECK(test_ask(&ui, 'C').what == INTENT_STATUS);
	test_state(&ui);
	ui.s = &test_sess;
	in = test_ask(&ui, 'C');
	CHECK(in.what == INTENT_STATUS && strstr(in.msg, "-g") != NULL);
	CHECK_STR(in.msg, "no call graph: start rrstat-top with -g");
	/* Not in the drill-down. */
	test_state(&ui);
	ui.mode = UI_MODE_DRILL;
	ui.drill = &test_drill;
	in = test_ask(&ui, 'C');
	CHECK(in.what == INTENT_STATUS && strstr(in.msg, "drill-down") != NULL);

	test_state(&ui);
	ui.mode = UI_MODE_CALLERS;
	ui.callers = &test_cg;
	test_cg.sel = 1;
	test_cg.page = 3;
	in = test_ask(&ui, KEY_DOWN);
	CHECK(in.what == INTENT_CALLERS_SELECT && in.row == 2);
	in = test_ask(&ui, KEY_UP);
	CHECK(in.what == INTENT_CALLERS_SELECT && in.row == 0);
	in = test_ask(&ui, KEY_HOME);
	CHECK(in.what == INTENT_CALLERS_SELECT && in.row == 0);
	in = test_ask(&ui, KEY_END);
	CHECK(in.what == INTENT_CALLERS_SELECT && in.row == 2);
	in = test_ask(&ui, KEY_NPAGE);
	CHECK(in.what == INTENT_CALLERS_SELECT && in.row == 2);
	in = test_ask(&ui, KEY_PPAGE);
	CHECK(in.what == INTENT_CALLERS_SELECT && in.row == 0);
	in = test_ask(&ui, '\r');
	CHECK(in.what == INTENT_CALLERS_ENTER && in.row == 1);
	in = test_ask(&ui, KEY_ENTER);
	CHECK(in.what == INTENT_CALLERS_ENTER && in.row == 1);
	in = test_ask(&ui, 'C');
	CHECK(in.what == INTENT_CALLERS_ENTER && in.row == 1);
	test_cg.sel = 0;
	in = test_ask(&ui, '\n');
	CHECK(in.what == INTENT_CALLERS_ENTER && in.row == 0);
	test_cg.sel = 2;	/* [self] */
	in = test_ask(&ui, '\r');
	CHECK(in.what == INTENT_STATUS && strstr(in.msg, "caller or callee") != NULL);
	CHECK(test_ask(&ui, 'C').what == INTENT_STATUS);
	CHECK(test_ask(&ui, KEY_BACKSPACE).what == INTENT_CALLERS_BACK);
	CHECK(test_ask(&ui, 127).what == INTENT_CALLERS_BACK);
	CHECK(test_ask(&ui, 27).what == INTENT_CALLERS_BACK);
	CHECK(test_ask(&ui, 'w').what == INTENT_CALLERS_WRITE);
	CHECK(test_ask(&ui, 'P').what == INTENT_CALLERS_WRITE);
	CHECK(test_ask(&ui, ' ').what == INTENT_FREEZE);
	CHECK(test_ask(&ui, '\t').what == INTENT_EVENT_STEP);
	CHECK(test_ask(&ui, 'c').what == INTENT_WINDOW);
	CHECK(test_ask(&ui, 'z').what == INTENT_ZERO);
	CHECK(test_ask(&ui, 'h').what == INTENT_HELP_OPEN);
	CHECK(test_ask(&ui, 'q').what == INTENT_QUIT);
	in = test_ask(&ui, '>');
	CHECK(in.what == INTENT_STATUS && strstr(in.msg, "callers view") != NULL);
	CHECK(test_ask(&ui, 'l').what == INTENT_STATUS);
	CHECK(test_ask(&ui, 'H').what == INTENT_STATUS);
	CHECK(test_ask(&ui, 'd').what == INTENT_STATUS);
	CHECK(test_ask(&ui, '/').what == INTENT_STATUS);
	/* No rows (the function has no samples in this event). */
	test_cg.nrows = 0;
	CHECK(test_ask(&ui, KEY_DOWN).what == INTENT_NONE);
	CHECK(test_ask(&ui, '\r').what == INTENT_STATUS);
	test_cg.nrows = 3;
	/* Help over the view: any key closes it. */
	ui.mode = UI_MODE_HELP;
	CHECK(test_ask(&ui, 'C').what == INTENT_HELP_CLOSE);
}

/* On the help screen any key closes it (a resize only repaints); in the
 * filter prompt keys type, Backspace drops a whole character, Enter
 * keeps the filter, Esc drops it, moving keys still move. */
static void
test_intents_help_prompt(void)
{
	struct ui ui;
	struct intent in;

	test_state(&ui);
	ui.mode = UI_MODE_HELP;
	CHECK(test_ask(&ui, 'q').what == INTENT_HELP_CLOSE);
	CHECK(test_ask(&ui, 'x').what == INTENT_HELP_CLOSE);
	CHECK(test_ask(&ui, KEY_RESIZE).what == INTENT_CLEAR);

	test_state(&ui);
	ui.mode = UI_MODE_FILTER;
	strcpy(ui.filter, "ab");
	in = test_ask(&ui, 'q');
	CHECK(in.what == INTENT_FILTER_SET);
	CHECK_STR(in.filter, "abq");
	in = test_ask(&ui, KEY_BACKSPACE);
	CHECK(in.what == INTENT_FILTER_SET);
	CHECK_STR(in.filter, "a");
	in = test_ask(&ui, 21);	/* Ctrl-U */
	CHECK(in.what == INTENT_FILTER_SET);
	CHECK_STR(in.filter, "");
	CHECK(test_ask(&ui, '\r').what == INTENT_FILTER_CLOSE);
	CHECK(test_ask(&ui, 27).what == INTENT_FILTER_CLEAR);
	CHECK(test_ask(&ui, KEY_F(10)).what == INTENT_QUIT);
	CHECK(test_ask(&ui, 1).what == INTENT_NONE);
	in = test_ask(&ui, KEY_DOWN);
	CHECK(in.what == INTENT_TABLE_SELECT && in.row == 2);
	strcpy(ui.filter, "a\xc3\xa9");	/* a, e acute */
	in = test_ask(&ui, 127);
	CHECK_STR(in.filter, "a");
	ui.filter[0] = '\0';
	CHECK(test_ask(&ui, '\b').what == INTENT_FILTER_CLOSE);
	memset(ui.filter, 'x', sizeof ui.filter - 1);
	ui.filter[sizeof ui.filter - 1] = '\0';
	CHECK(test_ask(&ui, 'y').what == INTENT_NONE);
}

int
main(void)
{
	test_sess_g.agg = agg_new(1, 1);
	agg_keep_stacks(test_sess_g.agg, 0);
	test_sess.agg = agg_new(1, 1);
	test_no_duplicates();
	test_entries();
	test_spec();
	test_names();
	test_generated();
	test_intents_table();
	test_intents_move();
	test_intents_drill();
	test_intents_callers();
	test_intents_help_prompt();
	agg_free(test_sess_g.agg);
	agg_free(test_sess.agg);
	return check_exit("test_keys");
}
