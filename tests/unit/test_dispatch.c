/* Unit tests of the dispatcher (src/ui/dispatch.c): intents, and keys
 * through keys_intent, carried out on a screen's state over a real
 * aggregator, without a terminal: the view options, the filter prompt,
 * the selection, freezing, events, help, zeroing, the status line. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "frames.h"
#include "dispatch.h"
#include "intent.h"
#include "keys.h"
#include "session.h"
#include "state.h"
#include "status.h"
#include "symtab.h"
#include "ui.h"
#include "ui_fixture.h"
#include "ui_int.h"
#include "view.h"

static const struct symtab_func test_app_funcs[] = {
	{ .start = 0x1000, .size = 0x100, .name = "main" },
	{ .start = 0x2000, .size = 0x100, .name = "compute" },
};
static const struct symtab_func test_libm_funcs[] = {
	{ .start = 0x6000, .size = 0x100, .name = "sin" },
};

static struct binary_cache *cache;
static struct binary *app, *libm;
static struct session sess;
static struct ui_params params;

/*
 * Event 0: app compute 30, libm sin 10, app main 5 samples.
 * Event 1: app main 7 samples.
 */
static void
test_fixture(struct ui *ui)
{
	unsigned i;

	memset(&sess, 0, sizeof sess);
	sess.agg = agg_new(2, 2);
	for (i = 0; i < 30; i++)
		agg_add(sess.agg, 0, test_frame(app, 0x2000), 1);
	for (i = 0; i < 10; i++)
		agg_add(sess.agg, 0, test_frame(libm, 0x6000), 1);
	for (i = 0; i < 5; i++)
		agg_add(sess.agg, 0, test_frame(app, 0x1000), 1);
	for (i = 0; i < 7; i++)
		agg_add(sess.agg, 1, test_frame(app, 0x1000), 1);
	sess.samples[0] = 45;
	sess.samples[1] = 7;
	test_ui_init(ui, &params, &sess);
}

/* Release what the fixture made. */
static void
test_release(struct ui *ui)
{
	struct agg *a = sess.agg;

	state_free(ui);
	agg_free(a);
}

/* The rows' functions joined by spaces; group rows as "[binary]". */
static const char *
test_rows(const struct ui *ui)
{
	static char buf[512];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < ui->view.n && len < sizeof buf - 64; i++) {
		const struct view_row *r = &ui->view.rows[i];

		if (r->kind == VIEW_ROW_GROUP)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s[%s]", i ? " " : "", r->binary);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "%s%s", i ? " " : "", r->function);
	}
	return buf;
}

/* Carry out an intent of kind what; returns whether to draw again. */
static bool
test_do(struct ui *ui, enum intent_what what, bool *quit)
{
	struct intent in = { .what = what };

	return dispatch_intent(ui, &in, quit);
}

/* Nothing draws nothing; quit leaves; a word goes to the status line
 * and goes away when its time is up. */
static void
test_basics(void)
{
	struct ui ui;
	struct intent in = { .what = INTENT_STATUS, .msg = "hello" };
	bool quit = false;

	test_fixture(&ui);
	CHECK_STR(test_rows(&ui), "compute sin main");
	CHECK(!test_do(&ui, INTENT_NONE, &quit) && !quit);
	CHECK(test_ui_key(&ui, 'x', &quit) == false && !quit);
	CHECK(dispatch_intent(&ui, &in, &quit) && !quit);
	CHECK_STR(ui.status, "hello");
	CHECK(!ui.status_error);
	CHECK(!status_expire(&ui, ui.status_until - 1));
	CHECK(status_expire(&ui, ui.status_until));
	CHECK(ui.status == NULL);
	test_do(&ui, INTENT_QUIT, &quit);
	CHECK(quit);
	quit = false;
	CHECK(!test_ui_key(&ui, 'q', &quit) && quit);
	test_release(&ui);
}

/* The view options: each rebuilds the rows as it asks. */
static void
test_options(void)
{
	struct ui ui;
	struct intent in = { .what = INTENT_SORT, .sort = VIEW_SORT_FUNCTION };
	bool quit = false;

	test_fixture(&ui);
	ui.vo.reverse = true;
	CHECK(dispatch_intent(&ui, &in, &quit));
	CHECK(ui.vo.sort == VIEW_SORT_FUNCTION && !ui.vo.reverse);
	CHECK_STR(test_rows(&ui), "compute main sin");
	CHECK(test_ui_key(&ui, 'r', &quit));
	CHECK_STR(test_rows(&ui), "sin main compute");
	CHECK(test_ui_key(&ui, '>', &quit));
	CHECK(ui.vo.sort == VIEW_SORT_BINARY);
	CHECK(test_ui_key(&ui, 'b', &quit));
	CHECK(ui.vo.group);
	CHECK_STR(test_rows(&ui), "[app] compute main [libm.so] sin");
	CHECK(test_ui_key(&ui, 'b', &quit));
	CHECK(!ui.vo.group);
	CHECK(test_ui_key(&ui, 'c', &quit));
	CHECK(ui.vo.window);
	CHECK(test_ui_key(&ui, 'c', &quit));
	CHECK(!ui.vo.window);

	/* Zoom into the selected row's binary, and out with d or Esc. */
	ui.vo.sort = VIEW_SORT_SELF;
	state_rebuild(&ui);
	in = (struct intent){ .what = INTENT_TABLE_SELECT, .row = 1, .pin = true };
	dispatch_intent(&ui, &in, &quit);
	CHECK(test_ui_key(&ui, 'd', &quit));
	CHECK(ui.vo.zoom == libm);
	CHECK_STR(test_rows(&ui), "sin");
	CHECK(test_ui_key(&ui, 27, &quit));
	CHECK(ui.vo.zoom == NULL);
	CHECK_STR(test_rows(&ui), "compute sin main");
	CHECK(!quit);
	test_release(&ui);
}

/* The filter prompt: typing filters as it goes, Enter keeps it, Esc on
 * the table drops it; Esc in the prompt drops it and closes it. */
static void
test_filter(void)
{
	struct ui ui;
	bool quit = false;

	test_fixture(&ui);
	CHECK(test_ui_key(&ui, '/', &quit));
	CHECK(ui.mode == UI_MODE_FILTER);
	CHECK(test_ui_key(&ui, 'i', &quit));
	CHECK(test_ui_key(&ui, 'n', &quit));
	CHECK_STR(ui.filter, "in");
	CHECK(ui.vo.filter == ui.filter);
	CHECK_STR(test_rows(&ui), "sin main");
	CHECK(test_ui_key(&ui, '\r', &quit));
	CHECK(ui.mode == UI_MODE_TABLE);
	CHECK_STR(test_rows(&ui), "sin main");
	CHECK(test_ui_key(&ui, 27, &quit));
	CHECK(ui.vo.filter == NULL && ui.filter[0] == '\0');
	CHECK_STR(test_rows(&ui), "compute sin main");

	test_ui_key(&ui, '/', &quit);
	test_ui_key(&ui, 'q', &quit);	/* typed, not quit */
	CHECK(!quit);
	CHECK_STR(test_rows(&ui), "");
	CHECK(test_ui_key(&ui, KEY_BACKSPACE, &quit));
	CHECK(ui.vo.filter == NULL);
	CHECK(ui.mode == UI_MODE_FILTER);
	test_ui_key(&ui, 'm', &quit);
	CHECK(test_ui_key(&ui, 27, &quit));
	CHECK(ui.mode == UI_MODE_TABLE && ui.vo.filter == NULL);
	CHECK_STR(test_rows(&ui), "compute sin main");
	test_release(&ui);
}

/* The selection: moved and pinned, it follows its function across a
 * rebuild; H takes the hottest; Home follows the top row again. */
static void
test_select(void)
{
	struct ui ui;
	bool quit = false;

	test_fixture(&ui);
	ui.page = 10;
	CHECK(test_ui_key(&ui, KEY_END, &quit));
	CHECK(ui.sel == 2 && ui.pinned);
	CHECK_STR(ui.view.rows[ui.sel].function, "main");
	test_ui_key(&ui, '<', &quit);	/* by binary: main moves to row 1 */
	CHECK(ui.sel == 1);
	CHECK_STR(ui.view.rows[ui.sel].function, "main");
	CHECK(test_ui_key(&ui, 'H', &quit));
	CHECK_STR(ui.view.rows[ui.sel].function, "compute");
	CHECK(test_ui_key(&ui, KEY_HOME, &quit));
	CHECK(ui.sel == 0 && !ui.pinned);
	test_release(&ui);
}

/* Freezing keeps the rows, and the samples at that moment; help opens
 * and closes back to the table; TAB shows the next event. */
static void
test_state_keys(void)
{
	struct ui ui;
	bool quit = false;

	test_fixture(&ui);
	CHECK(test_ui_key(&ui, ' ', &quit));
	CHECK(ui.frozen && ui.frozen_base == 45);
	CHECK(test_ui_key(&ui, 'Z', &quit));
	CHECK(!ui.frozen);

	CHECK(test_ui_key(&ui, 'h', &quit));
	CHECK(ui.mode == UI_MODE_HELP && ui.help_from == UI_MODE_TABLE);
	CHECK(test_ui_key(&ui, 'q', &quit));	/* closes help, does not quit */
	CHECK(!quit && ui.mode == UI_MODE_TABLE);

	CHECK(test_ui_key(&ui, '\t', &quit));
	CHECK(ui.cur == 1 && ui.vo.event == 1);
	CHECK_STR(test_rows(&ui), "main");
	CHECK(test_ui_key(&ui, 'E', &quit));
	CHECK(ui.cur == 0 && ui.vo.event == 0);
	ui.nevents = 1;
	CHECK(test_ui_key(&ui, 'e', &quit));
	CHECK(ui.cur == 0);
	CHECK_STR(ui.status, "no other event can be sampled here");

	CHECK(test_ui_key(&ui, 'z', &quit));
	CHECK_STR(ui.status, "counts zeroed");
	CHECK(ui.view.n == 0);
	test_release(&ui);
}

int
main(void)
{
	cache = binary_cache_new();
	app = binary_synthetic(cache, "app", test_app_funcs, 2);
	libm = binary_synthetic(cache, "libm.so", test_libm_funcs, 1);

	test_basics();
	test_options();
	test_filter();
	test_select();
	test_state_keys();

	binary_cache_free(cache);
	return check_exit("test_dispatch");
}
