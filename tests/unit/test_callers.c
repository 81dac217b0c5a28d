/* Unit tests of the caller/callee view (src/ui/callers.c, through keys
 * and the dispatcher, and callers_draw.c on a screen in memory): over
 * synthetic stacks, main -> outer -> {left 60, right 40} under libc's
 * start, its rows and shares, re-centring and going back, the table's
 * selection kept, freezing, zeroing, event switching, the text
 * snapshot, the budget's "[other]"; the header's call graph line; and
 * an 80x24 drawing of the view, the help and the footers. */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "agg.h"
#include "binary.h"
#include "callers.h"
#include "check.h"
#include "dispatch.h"
#include "draw.h"
#include "footer.h"
#include "frames.h"
#include "intent.h"
#include "keys.h"
#include "page.h"
#include "session.h"
#include "state.h"
#include "symtab.h"
#include "ui.h"
#include "ui_fixture.h"
#include "ui_int.h"
#include "view.h"

enum { F_MAIN, F_OUTER, F_LEFT, F_RIGHT, F_START, F_N };

static const struct symtab_func test_app_funcs[] = {
	{ .start = 0x1000, .size = 0x100, .name = "main" },
	{ .start = 0x2000, .size = 0x100, .name = "outer" },
	{ .start = 0x3000, .size = 0x100, .name = "left" },
	{ .start = 0x4000, .size = 0x100, .name = "right" },
};
static const struct symtab_func test_libc_funcs[] = {
	{ .start = 0x5000, .size = 0x100, .name = "__libc_start_call_main" },
};

static struct binary_cache *cache;
static struct binary *app, *libc;
static struct session sess;
static struct ui_params params;

/* Add n samples of event ev whose stack is fs[0..depth), root first. */
static void
test_stacks(unsigned ev, const int *fs, size_t depth, unsigned n)
{
	struct rs_frame fr[16];
	size_t i;

	for (i = 0; i < depth; i++) {
		if (fs[i] == F_START)
			fr[depth - 1 - i] = *test_frame(libc, 0x5004);
		else
			fr[depth - 1 - i] = *test_frame(app,
			    test_app_funcs[fs[i]].start + 4);
	}
	for (i = 0; i < n; i++)
		agg_add_stack(sess.agg, ev, fr, depth, false, 0, 1);
	sess.samples[ev] += n;
	sess.stack_samples += n;
}

static const int test_s_left[] = { F_START, F_MAIN, F_OUTER, F_LEFT };
static const int test_s_right[] = { F_START, F_MAIN, F_OUTER, F_RIGHT };
static const int test_s_main[] = { F_START, F_MAIN };

/*
 * Event 0: start -> main -> outer -> left 60 samples, -> right 40.
 * Event 1: start -> main 7 samples.
 */
static void
test_fixture(struct ui *ui, size_t budget)
{
	memset(&sess, 0, sizeof sess);
	sess.agg = agg_new(2, 2);
	agg_keep_stacks(sess.agg, budget);
	test_stacks(0, test_s_left, 4, 60);
	test_stacks(0, test_s_right, 4, 40);
	test_stacks(1, test_s_main, 2, 7);
	test_ui_init(ui, &params, &sess);
}

/* Release what the fixture made. */
static void
test_release(struct ui *ui)
{
	struct agg *a = sess.agg;

	state_free(ui);
	agg_free(a);
	free(sess.callgraph);
	sess.callgraph = NULL;
}

/* Press key (never one that quits); returns whether to draw again. */
static bool
test_key(struct ui *ui, int key)
{
	bool quit = false, draw = test_ui_key(ui, key, &quit);

	CHECK(!quit);
	return draw;
}

/* Select the table row of function name. */
static void
test_select(struct ui *ui, const char *name)
{
	struct intent in = { .what = INTENT_TABLE_SELECT, .pin = true };
	bool quit = false;
	size_t i;

	for (i = 0; i < ui->view.n; i++) {
		if (strcmp(ui->view.rows[i].function, name) == 0)
			break;
	}
	CHECK(i < ui->view.n);
	in.row = i;
	dispatch_intent(ui, &in, &quit);
}

/* The view's rows as "function pct samples" joined by ", ", the
 * function's own line as "| function |". */
static const char *
test_rows(const struct ui *ui)
{
	static char buf[1024];
	const struct callers *cg = ui->callers;
	size_t i, len = 0;

	buf[0] = '\0';
	if (cg == NULL || cg->nsteps == 0)
		return buf;
	for (i = 0; i <= cg->nrows && len < sizeof buf - 128; i++) {
		if (i == cg->ncallers)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s| %s |", i > 0 ? " " : "",
			    cg->steps[cg->nsteps - 1].function);
		if (i == cg->nrows)
			break;
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		    " %s %.0f %llu", cg->rows[i].function, cg->rows[i].pct,
		    (unsigned long long)cg->rows[i].samples);
	}
	return buf;
}

/* The function of the selected row of the view, or "". */
static const char *
test_sel(const struct ui *ui)
{
	const struct callers_row *r = callers_selected(ui);

	return r != NULL ? r->function : "";
}

/* C on outer: its callers above, callees below, with their shares of its
 * total; not on a group row; the function's shares of the event. */
static void
test_open(void)
{
	struct ui ui;

	test_fixture(&ui, 0);
	test_select(&ui, "outer");
	CHECK(test_key(&ui, 'C'));
	CHECK(ui.mode == UI_MODE_CALLERS);
	CHECK_STR(test_rows(&ui), " main 100 100 | outer | left 60 60 right 40 40");
	CHECK_U64(ui.callers->ncallers, 1);
	CHECK(ui.callers->found);
	CHECK_U64(ui.callers->total_samples, 100);
	CHECK(ui.callers->total_pct > 99.99 && ui.callers->total_pct < 100.01);
	CHECK(ui.callers->self_pct == 0.0);
	/* The hottest callee is selected first. */
	CHECK_U64(callers_sel(&ui), 1);
	CHECK_STR(test_sel(&ui), "left");
	CHECK(ui.callers->rows[1].callee && !ui.callers->rows[0].callee);
	CHECK(ui.callers->rows[1].bin == app);
	CHECK_STR(ui.callers->rows[1].binary, "app");

	/* left: called by outer, all of it its own. */
	test_key(&ui, 27);
	test_select(&ui, "left");
	test_key(&ui, 'C');
	CHECK_STR(test_rows(&ui), " outer 100 60 | left | [self] 100 60");
	CHECK(ui.callers->self_pct > 59.99 && ui.callers->self_pct < 60.01);
	test_key(&ui, 27);

	/* A group row has no callers: a word in the status line. */
	ui.vo.group = true;
	state_rebuild(&ui);
	test_key(&ui, KEY_HOME);
	CHECK(ui.view.rows[ui.sel].kind == VIEW_ROW_GROUP);
	CHECK(test_key(&ui, 'C'));
	CHECK(ui.mode == UI_MODE_TABLE);
	CHECK(ui.status != NULL && strstr(ui.status, "select a function") != NULL);
	test_release(&ui);
}

/* Enter on a caller or callee centres the view on it; Backspace and Esc
 * go back one step, on the row selected there; from the first one, back
 * to the table on the same row. */
static void
test_recentre(void)
{
	struct ui ui;
	const struct view_row *r;

	test_fixture(&ui, 0);
	test_select(&ui, "outer");
	test_key(&ui, 'C');
	CHECK(test_key(&ui, KEY_DOWN));
	CHECK_STR(test_sel(&ui), "right");
	CHECK(test_key(&ui, '\r'));
	CHECK_U64(ui.callers->nsteps, 2);
	CHECK_STR(test_rows(&ui), " outer 100 40 | right | [self] 100 40");
	/* Up to main, then libc's start, whose caller is the root. */
	CHECK(test_key(&ui, KEY_HOME));
	CHECK_STR(test_sel(&ui), "outer");
	CHECK(test_key(&ui, '\r'));
	CHECK(test_key(&ui, KEY_HOME));
	CHECK(test_key(&ui, 'C'));	/* C centres too */
	CHECK_STR(test_rows(&ui), " __libc_start_call_main 100 100 | main | outer 100 100");
	CHECK(test_key(&ui, KEY_HOME));
	CHECK(test_key(&ui, '\n'));
	CHECK_STR(test_rows(&ui),
	    " [root] 100 100 | __libc_start_call_main | main 100 100");
	CHECK_STR(ui.callers->rows[0].binary, "");
	CHECK_STR(ui.callers->steps[ui.callers->nsteps - 1].binary, "libc.so.6");
	CHECK_U64(ui.callers->nsteps, 5);
	/* [root] is no function to centre on. */
	CHECK(test_key(&ui, KEY_HOME));
	CHECK_STR(test_sel(&ui), "[root]");
	CHECK(test_key(&ui, '\r'));
	CHECK_U64(ui.callers->nsteps, 5);
	CHECK(ui.status != NULL && strstr(ui.status, "caller or callee") != NULL);

	/* Back, step by step, each on the row selected there. */
	CHECK(test_key(&ui, KEY_BACKSPACE));
	CHECK_STR(test_rows(&ui), " __libc_start_call_main 100 100 | main | outer 100 100");
	CHECK_STR(test_sel(&ui), "__libc_start_call_main");
	CHECK(test_key(&ui, 27));
	CHECK(test_key(&ui, 127));
	CHECK_STR(test_rows(&ui), " outer 100 40 | right | [self] 100 40");
	CHECK_STR(test_sel(&ui), "outer");
	CHECK(test_key(&ui, 27));
	CHECK_STR(test_rows(&ui), " main 100 100 | outer | left 60 60 right 40 40");
	CHECK_STR(test_sel(&ui), "right");
	CHECK_U64(ui.callers->nsteps, 1);
	CHECK(test_key(&ui, 27));
	CHECK(ui.mode == UI_MODE_TABLE);
	r = &ui.view.rows[ui.sel];
	CHECK_STR(r->function, "outer");
	/* Esc on the table does not come back to the view. */
	test_key(&ui, 27);
	CHECK(ui.mode == UI_MODE_TABLE);

	/* Opened again: no history, the hottest callee. */
	test_key(&ui, 'C');
	CHECK_U64(ui.callers->nsteps, 1);
	CHECK_STR(test_sel(&ui), "left");
	/* Keys of the table only are refused in the view. */
	CHECK(test_key(&ui, '>'));
	CHECK(ui.mode == UI_MODE_CALLERS && ui.vo.sort == VIEW_SORT_SELF);
	CHECK(ui.status != NULL && strstr(ui.status, "not in the callers view") != NULL);
	/* Help, and back to the view. */
	CHECK(test_key(&ui, 'h'));
	CHECK(ui.mode == UI_MODE_HELP);
	CHECK(test_key(&ui, 'x'));
	CHECK(ui.mode == UI_MODE_CALLERS);
	test_release(&ui);
}

/* Rows folded by the aggregator's row budget while the table is frozen
 * and the callers view is shown: the rows are rebuilt (as z does), none
 * keeps a pointer to a row gone or moved, the view finds its function. */
static void
test_fold_frozen(void)
{
	struct binary *lib, *evb;
	struct agg_budget_stats st;
	const struct view_row *r;
	struct ui ui;
	size_t i, j;
	int t;

	lib = test_many_funcs(cache, "cold", "c", 30, &evb);
	memset(&sess, 0, sizeof sess);
	sess.agg = agg_new(2, 2);
	agg_keep_stacks(sess.agg, 0);
	agg_set_func_budget(sess.agg, 8);
	agg_set_evicted(sess.agg, evb, binary_func_at(evb, 0));
	for (i = 0; i < 30; i++)
		agg_add(sess.agg, 0, test_frame(lib, i * 0x100), 1);
	sess.samples[0] += 30;
	test_stacks(0, test_s_left, 4, 3000);
	test_ui_init(&ui, &params, &sess);
	CHECK(ui.view.n >= 30);
	test_select(&ui, "outer");
	test_key(&ui, 'C');
	CHECK(test_key(&ui, ' '));
	CHECK(ui.frozen);
	for (t = 0; t < 70; t++) {
		test_stacks(0, test_s_left, 4, 1);
		agg_tick(sess.agg);
		state_refresh(&ui);
	}
	agg_budget_stats(sess.agg, &st);
	CHECK_U64(st.funcs_evicted, 30);
	CHECK(ui.frozen);
	CHECK(ui.mode == UI_MODE_CALLERS);
	CHECK(ui.callers->found);
	for (i = 0; i < ui.view.n; i++) {
		r = &ui.view.rows[i];
		if (r->af == NULL)
			continue;
		for (j = 0; j < agg_nfuncs(sess.agg); j++)
			if (agg_func_at(sess.agg, j) == r->af)
				break;
		CHECK(j < agg_nfuncs(sess.agg));
		CHECK(r->af->func == r->func && r->af->bin == r->bin);
	}
	test_release(&ui);
}

/* Frozen, the rows stay as they were while samples come; unfrozen they
 * catch up; the window switch rebuilds them; z empties them. */
static void
test_freeze_zero(void)
{
	struct ui ui;

	test_fixture(&ui, 0);
	test_select(&ui, "outer");
	test_key(&ui, 'C');
	CHECK(test_key(&ui, ' '));
	CHECK(ui.frozen);
	test_stacks(0, test_s_right, 4, 50);	/* right: 90 of 150 */
	/* What a tick does while frozen: nothing; help comes back to the
	 * rows as they were. */
	test_key(&ui, 'h');
	test_key(&ui, 'q');
	CHECK(ui.mode == UI_MODE_CALLERS);
	CHECK_STR(test_rows(&ui), " main 100 100 | outer | left 60 60 right 40 40");
	CHECK(test_key(&ui, 'Z'));
	CHECK(!ui.frozen);
	CHECK_STR(test_rows(&ui), " main 100 150 | outer | right 60 90 left 40 60");
	/* The selection was not moved: it follows the hottest callee. */
	CHECK_STR(test_sel(&ui), "right");
	test_key(&ui, KEY_END);
	CHECK_STR(test_sel(&ui), "left");
	test_stacks(0, test_s_right, 4, 10);
	state_rebuild(&ui);
	CHECK_STR(test_sel(&ui), "left");	/* moved: it stays */

	/* The window (two ticks): the counts so far fall out of it, then
	 * five samples of right come. */
	agg_tick(sess.agg);
	agg_tick(sess.agg);
	agg_tick(sess.agg);
	CHECK(test_key(&ui, 'c'));
	CHECK(ui.vo.window);
	CHECK_U64(callers_nrows(&ui), 0);
	CHECK(ui.callers->found);
	test_stacks(0, test_s_right, 4, 5);
	state_rebuild(&ui);
	CHECK_STR(test_rows(&ui), " main 100 5 | outer | right 100 5");
	CHECK(test_key(&ui, 'c'));
	CHECK_STR(test_rows(&ui), " main 100 165 | outer | right 64 105 left 36 60");

	CHECK(test_key(&ui, 'z'));
	CHECK(ui.mode == UI_MODE_CALLERS);
	CHECK_U64(callers_nrows(&ui), 0);
	CHECK(!ui.callers->found);
	CHECK(callers_selected(&ui) == NULL);
	CHECK(test_key(&ui, KEY_DOWN) == false);	/* nothing to move */
	CHECK(test_key(&ui, '\r'));	/* a word why not */
	test_stacks(0, test_s_left, 4, 5);
	state_rebuild(&ui);
	CHECK_STR(test_rows(&ui), " main 100 5 | outer | left 100 5");
	test_release(&ui);
}

/* TAB follows the function into the next event, or says it has no
 * samples there; back in the first event the rows come back. */
static void
test_event(void)
{
	struct ui ui;

	test_fixture(&ui, 0);
	test_select(&ui, "main");
	test_key(&ui, 'C');
	CHECK_STR(test_rows(&ui), " __libc_start_call_main 100 100 | main | outer 100 100");
	CHECK(test_key(&ui, '\t'));
	CHECK(ui.vo.event == 1 && ui.mode == UI_MODE_CALLERS);
	CHECK_STR(test_rows(&ui), " __libc_start_call_main 100 7 | main | [self] 100 7");
	CHECK(ui.status == NULL);
	CHECK(test_key(&ui, KEY_HOME));
	CHECK(test_key(&ui, '\r'));	/* __libc_start_call_main */
	CHECK(test_key(&ui, KEY_END));
	CHECK(test_key(&ui, '\r'));	/* main again */
	CHECK(test_key(&ui, KEY_END));
	CHECK_STR(test_sel(&ui), "[self]");
	test_key(&ui, 'E');
	CHECK(ui.vo.event == 0);
	CHECK_STR(test_sel(&ui), "outer");
	CHECK(test_key(&ui, '\r'));	/* outer, which event 1 lacks */
	CHECK(test_key(&ui, '\t'));
	CHECK(!ui.callers->found);
	CHECK_U64(callers_nrows(&ui), 0);
	CHECK(ui.status != NULL && strstr(ui.status, "outer: no samples in") != NULL);
	CHECK(test_key(&ui, 'E'));
	CHECK_STR(test_rows(&ui), " main 100 100 | outer | left 60 60 right 40 40");
	test_release(&ui);
}

/* The view as text: the function, its shares, callers and callees. */
static void
test_text(void)
{
	struct ui ui;
	char *buf = NULL, *cause = NULL;
	size_t len = 0;
	FILE *fp;

	test_fixture(&ui, 0);
	test_select(&ui, "outer");
	test_key(&ui, 'C');
	fp = open_memstream(&buf, &len);
	CHECK(fp != NULL);
	CHECK(callers_text(fp, &ui, &cause) == 0);
	fclose(fp);
	fputs(buf, stderr);
	CHECK(strstr(buf, "binary: app\nfunction: outer\n") != NULL);
	CHECK(strstr(buf, "total: 100 samples, 100.00%\n") != NULL);
	CHECK(strstr(buf, "self: 0 samples, 0.00%\n") != NULL);
	CHECK(strstr(buf, "callers (share of the function's total):\n") != NULL);
	CHECK(strstr(buf, "       100 100.00%  app                   main\n") != NULL);
	CHECK(strstr(buf, "        60  60.00%  app                   left\n") != NULL);
	CHECK(strstr(buf, "        40  40.00%  app                   right\n") != NULL);
	CHECK(strstr(buf, "main") < strstr(buf, "callees"));
	CHECK(strstr(buf, "callees") < strstr(buf, "left"));
	free(buf);
	test_release(&ui);
}

/* The stack table's budget cuts frames short: "[other]" callees. */
static void
test_other(void)
{
	struct ui ui;

	test_fixture(&ui, 4);	/* start, main, outer, left: right is cut */
	test_select(&ui, "outer");
	test_key(&ui, 'C');
	CHECK_STR(test_rows(&ui), " main 100 100 | outer | left 60 60 [other] 40 40");
	CHECK(ui.callers->rows[2].kind == AGG_EDGE_OTHER);
	test_release(&ui);
}

/* The lines of the screen in memory, each with its trailing blanks cut,
 * into out (one line each, '\n' ended); checks every line fits. */
static void
test_capture(char *out, size_t size)
{
	wchar_t line[512];
	char mb[2048];
	size_t len = 0, n;
	int y;

	out[0] = '\0';
	for (y = 0; y < LINES; y++) {
		line[0] = L'\0';
		mvwinnwstr(stdscr, y, 0, line, COLS);
		n = wcslen(line);
		while (n > 0 && line[n - 1] == L' ')
			line[--n] = L'\0';
		if (wcstombs(mb, line, sizeof mb) == (size_t)-1)
			strcpy(mb, "?");
		len += (size_t)snprintf(out + len, size - len, "%s\n", mb);
		if (len >= size)
			break;
	}
}

/* Line y of a capture (into a static buffer). */
static const char *
test_line(const char *cap, int y)
{
	static char buf[2048];
	const char *p = cap, *e;

	while (y-- > 0 && p != NULL) {
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return "";
	e = strchr(p, '\n');
	snprintf(buf, sizeof buf, "%.*s", e != NULL ? (int)(e - p) : (int)strlen(p), p);
	return buf;
}

/* The view, the help and the footers drawn at 80x24 on a screen in
 * memory (no terminal: the output goes to /dev/null), as text: the
 * header's call graph line, the title with the shares, the callers,
 * the function, the callees; every help entry with C; C in the footer. */
static void
test_screen(void)
{
	static char cap[16384];
	struct ui ui;
	SCREEN *scr;
	FILE *out, *in;
	char *t;

	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	scr = out != NULL && in != NULL ? newterm("xterm", out, in) : NULL;
	if (scr == NULL) {
		fprintf(stderr, "no xterm terminfo: the screen is not drawn\n");
		if (out != NULL)
			fclose(out);
		if (in != NULL)
			fclose(in);
		return;
	}
	resize_term(24, 80);
	test_fixture(&ui, 0);
	draw_glyphs(&ui);
	ui.target = strdup("pid 4242 (callgraph)");
	ui.threads = 1;
	sess.callgraph = strdup("dwarf (chosen: no frame pointers in callgraph)");
	sess.stack_truncated = 5;	/* of 107 */
	test_select(&ui, "outer");
	test_key(&ui, 'C');
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	fprintf(stderr, "--- the callers view at 80x24\n%s---\n", cap);
	CHECK(!ui.too_small);
	CHECK(strstr(test_line(cap, 3), "call graph: dwarf (chosen: no frame pointers in callgraph)") != NULL);
	CHECK(strstr(test_line(cap, 3), "truncated stacks 5%") != NULL);
	CHECK(strncmp(test_line(cap, 4), "outer  in app  TOTAL 100.00%  SELF 0.00%  of ", 45) == 0);
	CHECK(strstr(test_line(cap, 4), "Esc: back to the table") != NULL);
	CHECK(strstr(test_line(cap, 5), "SHARE") != NULL);
	CHECK(strstr(test_line(cap, 5), "SAMPLES  BINARY") != NULL);
	CHECK(strstr(test_line(cap, 6), "100.00%") != NULL);
	CHECK(strstr(test_line(cap, 6), "100  app       main") != NULL);
	CHECK(strstr(test_line(cap, 7), "100  app     outer") != NULL);
	CHECK(strstr(test_line(cap, 8), " 60.00%") != NULL);
	CHECK(strstr(test_line(cap, 8), "60  app       left") != NULL);
	CHECK(strstr(test_line(cap, 9), "40  app       right") != NULL);
	CHECK(strstr(test_line(cap, 23), "C Callers") != NULL);
	CHECK(strstr(test_line(cap, 23), "q Quit") != NULL);

	/* One step in: Esc names where it goes back to; the status line. */
	test_key(&ui, KEY_HOME);
	test_key(&ui, '\r');
	test_key(&ui, KEY_HOME);
	test_key(&ui, '\r');
	test_key(&ui, KEY_HOME);
	test_key(&ui, '\r');
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	fprintf(stderr, "--- two steps up, Enter on [root]\n%s---\n", cap);
	CHECK(strstr(test_line(cap, 4), "Esc: back to main") != NULL);
	CHECK(strstr(test_line(cap, 6), "[root]") != NULL);
	CHECK(strstr(test_line(cap, 22), "select a caller or callee") != NULL);

	/* The table's footer lists C at 80 columns too. */
	test_key(&ui, 27);
	test_key(&ui, 27);
	test_key(&ui, 27);
	CHECK(ui.mode == UI_MODE_TABLE);
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	fprintf(stderr, "--- the table\n%s---\n", cap);
	CHECK(strstr(test_line(cap, 23), "C Callers") != NULL);
	CHECK(strstr(test_line(cap, 23), "h Help") != NULL);

	/* The help lists C on its first page, and scrolls to its last
	 * entries; the note stays on the last line. */
	test_key(&ui, 'h');
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	fprintf(stderr, "--- the help\n%s---\n", cap);
	CHECK(strstr(cap, "\n C ") != NULL);
	CHECK(strstr(test_line(cap, 23), "Columns:") != NULL);
	test_key(&ui, KEY_END);
	CHECK(ui.mode == UI_MODE_HELP);
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	fprintf(stderr, "--- the help's end\n%s---\n", cap);
	CHECK(strstr(cap, "\n q F10 ") != NULL);
	CHECK(strstr(test_line(cap, 23), "Columns:") != NULL);
	test_key(&ui, 'x');

	/* Without stacks yet, the call graph line has no truncated share. */
	sess.stack_samples = 0;
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	CHECK(strstr(test_line(cap, 3), "call graph: dwarf") != NULL);
	CHECK(strstr(test_line(cap, 3), "truncated") == NULL);
	free(sess.callgraph);
	sess.callgraph = NULL;
	page_draw(&ui);
	test_capture(cap, sizeof cap);
	CHECK(strstr(cap, "call graph") == NULL);

	t = footer_text_where(80, KEYS_IN_CALLERS);
	CHECK(strstr(t, "C Callers") != NULL && strlen(t) <= 80);
	free(t);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	free(ui.target);
	ui.target = NULL;
	test_release(&ui);
}

/* Without call stacks (no -g), C says how to get them. */
static void
test_no_stacks(void)
{
	struct ui ui;

	test_fixture(&ui, 0);
	agg_free(sess.agg);
	sess.agg = agg_new(2, 2);
	agg_add(sess.agg, 0, test_frame(app, 0x3004), 1);
	state_rebuild(&ui);
	CHECK(test_key(&ui, 'C'));
	CHECK(ui.mode == UI_MODE_TABLE);
	CHECK_STR(ui.status, "no call graph: start rrstat-top with -g");
	test_release(&ui);
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "C");
	cache = binary_cache_new();
	app = binary_synthetic(cache, "app", test_app_funcs, F_START);
	libc = binary_synthetic(cache, "libc.so.6", test_libc_funcs, 1);

	test_open();
	test_recentre();
	test_freeze_zero();
	test_fold_frozen();
	test_event();
	test_text();
	test_other();
	test_screen();
	test_no_stacks();

	binary_cache_free(cache);
	return check_exit("test_callers");
}
