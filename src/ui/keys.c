/*
 * The key table and what each key asks for. An action reads the state
 * and returns an intent (intent.h), changing nothing; dispatch.c carries
 * it out. keys_intent routes a key by what is on screen: the help screen,
 * the filter prompt, or the table's entries where they work (the table,
 * the drill-down, the caller/callee view). The help screen and the
 * footer are generated from the table.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "callers.h"
#include "cols.h"
#include "delta.h"
#include "drill.h"
#include "i18n.h"
#include "intent.h"
#include "keys.h"
#include "session.h"
#include "table.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

#define KEYS_ESC	27
#define KEYS_DEL	127
#define KEYS_CTRL(c)	((c) & 0x1f)

/* An intent without arguments. */
static struct intent
keys_do(enum intent_what what)
{
	return (struct intent){ .what = what };
}

/* An intent to say msg in the status line. */
static struct intent
keys_say(const char *msg)
{
	return (struct intent){ .what = INTENT_STATUS, .msg = msg };
}

/* h, ?, F1: the help screen. */
static struct intent
keys_help(const struct ui *ui, int key)
{
	return keys_do(INTENT_HELP_OPEN);
}

/* m: the columns view (one share column per event), or back. */
static struct intent
keys_columns(const struct ui *ui, int key)
{
	return keys_do(INTENT_COLS_TOGGLE);
}

/* D: the diff view against the frozen table or --baseline, or back. */
static struct intent
keys_diff(const struct ui *ui, int key)
{
	const char *why;

	if (!ui->diff && !delta_available(ui, &why))
		return keys_say(why);
	return keys_do(INTENT_DIFF_TOGGLE);
}

/* S: save the settings. */
static struct intent
keys_save(const struct ui *ui, int key)
{
	if (ui->p->rcfile == NULL)
		return keys_say(_("no settings file: neither XDG_CONFIG_HOME nor HOME is set"));
	return keys_do(INTENT_SETTINGS_SAVE);
}

/* q, F10: leave. */
static struct intent
keys_quit(const struct ui *ui, int key)
{
	return keys_do(INTENT_QUIT);
}

/* TAB, e: the next event. */
static struct intent
keys_event_next(const struct ui *ui, int key)
{
	return (struct intent){ .what = INTENT_EVENT_STEP, .dir = 1 };
}

/* Shift-TAB, E: the previous event. */
static struct intent
keys_event_prev(const struct ui *ui, int key)
{
	return (struct intent){ .what = INTENT_EVENT_STEP, .dir = -1 };
}

/* Space, Z: freeze the table, or let it follow the counts again. */
static struct intent
keys_freeze(const struct ui *ui, int key)
{
	return keys_do(INTENT_FREEZE);
}

/* The index a move key takes a selection to, in n rows with pages of
 * page rows; false for any other key or no rows. */
static bool
keys_step(int key, size_t n, size_t page, size_t *sel)
{
	size_t at = *sel;

	if (n == 0)
		return false;
	switch (key) {
	case KEY_UP:
		at = at > 0 ? at - 1 : 0;
		break;
	case KEY_DOWN:
		at = at + 1 < n ? at + 1 : n - 1;
		break;
	case KEY_PPAGE:
		at = at > page ? at - page : 0;
		break;
	case KEY_NPAGE:
		at = at + page < n ? at + page : n - 1;
		break;
	case KEY_HOME:
		at = 0;
		break;
	case KEY_END:
		at = n - 1;
		break;
	default:
		return false;
	}
	*sel = at;
	return true;
}

/* The page a move key steps: the rows on screen at the last draw, less
 * one. */
static size_t
keys_page(int rows)
{
	return rows > 1 ? (size_t)rows - 1 : 1;
}

/* Up, Down, PgUp, PgDn, Home, End: move the selection of the table, of
 * the drill-down or of the caller/callee view. Home goes back to
 * following the table's top row. */
static struct intent
keys_move(const struct ui *ui, int key)
{
	struct intent in = { .what = INTENT_NONE };

	if (ui->mode == UI_MODE_CALLERS) {
		in.row = callers_sel(ui);
		if (keys_step(key, callers_nrows(ui), keys_page(callers_page(ui)),
		    &in.row))
			in.what = INTENT_CALLERS_SELECT;
		return in;
	}
	if (ui->mode == UI_MODE_DRILL) {
		in.row = ui->drill_sel;
		if (keys_step(key, drill_nrows(ui), keys_page(ui->drill_page),
		    &in.row))
			in.what = INTENT_DRILL_SELECT;
		return in;
	}
	if (ui->columns) {
		in.row = ui->col_sel;
		if (keys_step(key, ui->cv.n, keys_page(ui->col_page),
		    &in.row))
			in.what = INTENT_COLS_SELECT;
		return in;
	}
	if (ui->diff) {
		in.row = ui->diff_sel;
		if (keys_step(key, ui->dv.n, keys_page(ui->diff_page),
		    &in.row))
			in.what = INTENT_DIFF_SELECT;
		return in;
	}
	in.row = ui->sel;
	if (keys_step(key, ui->view.n, keys_page(ui->page), &in.row)) {
		in.what = INTENT_TABLE_SELECT;
		in.pin = key != KEY_HOME;
	}
	return in;
}

/* Drill into the selected function (lines: its source lines), or say
 * why not. */
static struct intent
keys_drill_into(const struct ui *ui, bool lines)
{
	const struct view_row *r = table_selected(ui);

	if (ui->diff)
		return keys_say(_("not in the diff view (D goes back to the table)"));
	if (ui->columns)
		return keys_say(_("not in the columns view (m goes back to the table)"));
	if (r == NULL || r->kind != VIEW_ROW_FUNC)
		return keys_say(_("select a function to drill into"));
	return (struct intent){ .what = INTENT_DRILL_OPEN, .lines = lines };
}

/* Centre the caller/callee view on the function of its selected row, or
 * say why not. */
static struct intent
keys_recentre(const struct ui *ui)
{
	const struct callers_row *r = callers_selected(ui);

	if (r == NULL || r->kind != AGG_EDGE_FUNC)
		return keys_say(_("select a caller or callee function to centre on"));
	return (struct intent){ .what = INTENT_CALLERS_ENTER,
	    .row = callers_sel(ui) };
}

/* Enter: drill into the selected function's addresses; in the
 * caller/callee view, centre it on the selected function. */
static struct intent
keys_enter(const struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_CALLERS)
		return keys_recentre(ui);
	return keys_drill_into(ui, false);
}

/* C: the callers and callees of the selected function (in the view, of
 * its selected caller or callee), or why not: no call stacks are kept
 * without -g. */
static struct intent
keys_callers(const struct ui *ui, int key)
{
	const struct view_row *r;

	if (!agg_has_stacks(ui->s->agg))
		return keys_say(_("no call graph: start rrstat-top with -g"));
	if (ui->mode == UI_MODE_CALLERS)
		return keys_recentre(ui);
	if (ui->diff)
		return keys_say(_("not in the diff view (D goes back to the table)"));
	if (ui->columns)
		return keys_say(_("not in the columns view (m goes back to the table)"));
	r = table_selected(ui);
	if (r == NULL || r->kind != VIEW_ROW_FUNC)
		return keys_say(_("select a function to see its callers"));
	return keys_do(INTENT_CALLERS_OPEN);
}

/* l: in the drill-down, the line view or the address view; on the
 * table, drill into the selected function's source lines. */
static struct intent
keys_lines(const struct ui *ui, int key)
{
	if (ui->mode != UI_MODE_DRILL)
		return keys_drill_into(ui, true);
	return keys_do(INTENT_DRILL_SWITCH);
}

/* H: select the hottest row (address or line; on the table, function). */
static struct intent
keys_hottest(const struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_DRILL)
		return keys_do(INTENT_DRILL_HOTTEST);
	if (ui->diff)
		return (struct intent){ .what = INTENT_DIFF_SELECT, .row = 0 };
	if (ui->columns)
		return (struct intent){ .what = INTENT_COLS_SELECT, .row = 0 };
	return keys_do(INTENT_TABLE_HOTTEST);
}

/* Esc, Backspace: the caller/callee view's previous function (from the
 * first, the table), or leave the drill-down, else drop the filter, else
 * the zoom. */
static struct intent
keys_back(const struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_CALLERS)
		return keys_do(INTENT_CALLERS_BACK);
	if (ui->mode == UI_MODE_DRILL)
		return keys_do(INTENT_DRILL_CLOSE);
	if (ui->filter[0] != '\0')
		return keys_do(INTENT_FILTER_CLEAR);
	if (ui->diff && ui->diff_zoom != NULL)
		return (struct intent){ .what = INTENT_DIFF_ZOOM, .pin = false };
	if (ui->diff)
		return keys_do(INTENT_DIFF_TOGGLE);
	if (ui->columns && ui->vo.zoom == NULL)
		return keys_do(INTENT_COLS_TOGGLE);
	if (ui->vo.zoom != NULL)
		return (struct intent){ .what = INTENT_ZOOM, .zoom = NULL };
	return keys_do(INTENT_NONE);
}

/* Sort by the column dir steps away (wrapping), in its own order. */
static struct intent
keys_sort_step(const struct ui *ui, int dir)
{
	int s = ((int)ui->vo.sort + dir + VIEW_SORT_COUNT) % VIEW_SORT_COUNT;
	struct intent in = { .what = INTENT_SORT, .sort = (enum view_sort)s };

	if (ui->columns)
		return (struct intent){ .what = INTENT_COLS_SORT, .dir = dir };
	return in;
}

/* <: the previous sort column. */
static struct intent
keys_sort_prev(const struct ui *ui, int key)
{
	return keys_sort_step(ui, -1);
}

/* >, F6: the next sort column. */
static struct intent
keys_sort_next(const struct ui *ui, int key)
{
	return keys_sort_step(ui, 1);
}

/* r: the other order. */
static struct intent
keys_reverse(const struct ui *ui, int key)
{
	return keys_do(INTENT_REVERSE);
}

/* /, F4: open the filter prompt on the current filter. */
static struct intent
keys_filter(const struct ui *ui, int key)
{
	return keys_do(INTENT_FILTER_OPEN);
}

/* d: zoom into the selected row's binary, or out again. */
static struct intent
keys_zoom(const struct ui *ui, int key)
{
	const struct view_row *r;

	if (ui->diff) {
		if (ui->diff_zoom == NULL && ui->dv.n == 0)
			return keys_say(_("no row to zoom into"));
		return (struct intent){ .what = INTENT_DIFF_ZOOM,
		    .pin = ui->diff_zoom == NULL };
	}
	if (ui->vo.zoom != NULL)
		return (struct intent){ .what = INTENT_ZOOM, .zoom = NULL };
	if (ui->columns) {
		if (cols_selected(ui) == NULL || cols_selected(ui)->bin == NULL)
			return keys_say(_("no row to zoom into"));
		return (struct intent){ .what = INTENT_ZOOM,
		    .zoom = cols_selected(ui)->bin };
	}
	r = table_selected(ui);
	if (r == NULL || r->bin == NULL)
		return keys_say(_("no row to zoom into"));
	return (struct intent){ .what = INTENT_ZOOM, .zoom = r->bin };
}

/* b: a subtotal row per binary, or not. */
static struct intent
keys_group(const struct ui *ui, int key)
{
	return keys_do(INTENT_GROUP);
}

/* z: forget the counts. */
static struct intent
keys_zero(const struct ui *ui, int key)
{
	return keys_do(INTENT_ZERO);
}

/* c: cumulative counts or the rolling window. */
static struct intent
keys_window(const struct ui *ui, int key)
{
	return keys_do(INTENT_WINDOW);
}

/* w, P: write a snapshot of what is shown: the table, the drill-down's
 * view or the caller/callee view. */
static struct intent
keys_write(const struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_CALLERS)
		return keys_do(INTENT_CALLERS_WRITE);
	if (ui->mode == UI_MODE_DRILL)
		return keys_do(INTENT_DRILL_WRITE);
	if (ui->diff)
		return keys_do(INTENT_DIFF_WRITE);
	if (ui->columns)
		return keys_do(INTENT_COLS_WRITE);
	return keys_do(INTENT_TABLE_WRITE);
}

/* Ctrl-L: repaint everything. */
static struct intent
keys_redraw(const struct ui *ui, int key)
{
	return keys_do(INTENT_CLEAR);
}

/* The table. Its order is the order of the help screen and the footer. */
const struct keys_entry keys_table[] = {
	{ .name = "help", .keys = { 'h', '?', KEY_F(1) },
	  .help = N_("this help, made from the table that binds the keys"),
	  .label = N_("Help"), .action = keys_help,
	  .where = KEYS_IN_ALL },
	{ .name = "event-next", .keys = { '\t', 'e' },
	  .help = N_("next event (one not sampled yet starts now)"),
	  .label = N_("Event"), .action = keys_event_next,
	  .where = KEYS_IN_ALL },
	{ .name = "event-prev", .keys = { KEY_BTAB, 'E' },
	  .help = N_("previous event"),
	  .action = keys_event_prev,
	  .where = KEYS_IN_ALL },
	{ .name = "freeze", .keys = { ' ', 'Z' },
	  .help = N_("freeze or unfreeze the table (sampling goes on)"),
	  .label = N_("Freeze"), .action = keys_freeze,
	  .where = KEYS_IN_ALL },
	{ .name = "move", .keys = { KEY_UP, KEY_DOWN, KEY_PPAGE, KEY_NPAGE,
	    KEY_HOME, KEY_END },
	  .help = N_("move the selection (it stays on its function)"),
	  .action = keys_move,
	  .where = KEYS_IN_ALL },
	{ .name = "enter", .keys = { '\r', '\n', KEY_ENTER },
	  .help = N_("drill into the function; callers view: centre on it"),
	  .action = keys_enter,
	  .where = KEYS_IN_TABLE | KEYS_IN_CALLERS },
	{ .name = "back", .keys = { KEYS_ESC, KEY_BACKSPACE, KEYS_DEL, '\b' },
	  .help = N_("back: callers step, drill-down, view, filter, zoom"),
	  .action = keys_back,
	  .where = KEYS_IN_ALL },
	{ .name = "callers", .keys = { 'C' },
	  .help = N_("callers and callees of the function (needs -g)"),
	  .label = N_("Callers"), .action = keys_callers,
	  .where = KEYS_IN_TABLE | KEYS_IN_CALLERS },
	{ .name = "lines", .keys = { 'l' },
	  .help = N_("drill-down: lines or addresses; table: lines"),
	  .label = N_("Lines"), .where = KEYS_IN_TABLE | KEYS_IN_DRILL,
	  .action = keys_lines },
	{ .name = "hottest", .keys = { 'H' },
	  .help = N_("select the hottest row (address, line or function)"),
	  .label = N_("Hottest"), .where = KEYS_IN_TABLE | KEYS_IN_DRILL,
	  .action = keys_hottest },
	{ .name = "sort-prev", .keys = { '<' },
	  .help = N_("sort by the previous column"),
	  .action = keys_sort_prev,
	  .where = KEYS_IN_TABLE },
	{ .name = "sort-next", .keys = { '>', KEY_F(6) },
	  .help = N_("sort by the next column"),
	  .label = N_("Sort"), .action = keys_sort_next,
	  .where = KEYS_IN_TABLE },
	{ .name = "reverse", .keys = { 'r' },
	  .help = N_("reverse the order"),
	  .action = keys_reverse,
	  .where = KEYS_IN_TABLE },
	{ .name = "filter", .keys = { '/', KEY_F(4) },
	  .help = N_("filter rows by part of a function or binary name"),
	  .label = N_("Filter"), .action = keys_filter,
	  .where = KEYS_IN_TABLE },
	{ .name = "zoom", .keys = { 'd' },
	  .help = N_("zoom into the selected row's binary, or out again"),
	  .label = N_("Zoom"), .action = keys_zoom,
	  .where = KEYS_IN_TABLE },
	{ .name = "group", .keys = { 'b' },
	  .help = N_("group rows by binary, with a subtotal row for each"),
	  .label = N_("Group"), .action = keys_group,
	  .where = KEYS_IN_TABLE },
	{ .name = "write", .keys = { 'w', 'P' },
	  .help = N_("write the view shown (-o file, else named by pid)"),
	  .label = N_("Write"), .action = keys_write,
	  .where = KEYS_IN_ALL },
	{ .name = "columns", .keys = { 'm' },
	  .help = N_("columns: a share column per event (IPC, CM/KI)"),
	  .action = keys_columns,
	  .where = KEYS_IN_TABLE },
	{ .name = "diff", .keys = { 'D' },
	  .help = N_("diff against the frozen table or --baseline"),
	  .action = keys_diff,
	  .where = KEYS_IN_TABLE },
	{ .name = "save", .keys = { 'S' },
	  .help = N_("save the settings to the settings file"),
	  .action = keys_save,
	  .where = KEYS_IN_ALL },
	{ .name = "window", .keys = { 'c' },
	  .help = N_("cumulative counts or the rolling window"),
	  .label = N_("Window"), .action = keys_window,
	  .where = KEYS_IN_ALL },
	{ .name = "zero", .keys = { 'z' },
	  .help = N_("zero the counts"),
	  .label = N_("Zero"), .action = keys_zero,
	  .where = KEYS_IN_ALL },
	{ .name = "redraw", .keys = { KEYS_CTRL('l') },
	  .help = N_("repaint the screen"),
	  .action = keys_redraw,
	  .where = KEYS_IN_ALL },
	{ .name = "quit", .keys = { 'q', KEY_F(10) },
	  .help = N_("quit (and write the -o file)"),
	  .label = N_("Quit"), .action = keys_quit,
	  .where = KEYS_IN_ALL },
};
const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

/* Where the keys of the screen shown work. */
int
keys_where(const struct ui *ui)
{
	switch (ui->mode) {
	case UI_MODE_DRILL:
		return KEYS_IN_DRILL;
	case UI_MODE_CALLERS:
		return KEYS_IN_CALLERS;
	default:
		return KEYS_IN_TABLE;
	}
}

/* The entry that binds key, or NULL. */
const struct keys_entry *
keys_find(int key)
{
	size_t i, j;

	if (key == 0)
		return NULL;
	for (i = 0; i < keys_count; i++) {
		for (j = 0; j < KEYS_MAX && keys_table[i].keys[j] != 0; j++) {
			if (keys_table[i].keys[j] == key)
				return &keys_table[i];
		}
	}
	return NULL;
}

/* The name of a key code. */
const char *
keys_name(int key, char *buf, size_t len)
{
	switch (key) {
	case '\t':
		return _("TAB");
	case KEY_BTAB:
		return _("Shift-TAB");
	case ' ':
		return _("Space");
	case '\r':
	case '\n':
	case KEY_ENTER:
		return _("Enter");
	case KEYS_ESC:
		return _("Esc");
	case KEY_BACKSPACE:
	case KEYS_DEL:
	case '\b':
		return _("Backspace");
	case KEY_UP:
		return _("Up");
	case KEY_DOWN:
		return _("Down");
	case KEY_PPAGE:
		return _("PgUp");
	case KEY_NPAGE:
		return _("PgDn");
	case KEY_HOME:
		return _("Home");
	case KEY_END:
		return _("End");
	default:
		break;
	}
	if (key >= KEY_F(1) && key <= KEY_F(63))
		snprintf(buf, len, "F%d", key - KEY_F0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, len, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "%s", keyname(key) != NULL ? keyname(key) : "?");
	return buf;
}

/* The keys of an entry, each name once. */
char *
keys_names(const struct keys_entry *e)
{
	char *out = xstrdup(""), *tmp, buf[32];
	const char *name;
	size_t j;

	for (j = 0; j < KEYS_MAX && e->keys[j] != 0; j++) {
		name = keys_name(e->keys[j], buf, sizeof buf);
		if (*out != '\0') {
			/* Several codes may share a name (Enter, Backspace). */
			size_t nlen = strlen(name);
			const char *p = out;
			bool seen = false;

			while ((p = strstr(p, name)) != NULL) {
				if ((p == out || p[-1] == ' ') &&
				    (p[nlen] == ' ' || p[nlen] == '\0')) {
					seen = true;
					break;
				}
				p += nlen;
			}
			if (seen)
				continue;
		}
		tmp = xasprintf("%s%s%s", out, *out != '\0' ? " " : "", name);
		free(out);
		out = tmp;
	}
	return out;
}

/* A key in the filter prompt: typing filters as it goes, Enter keeps the
 * filter, Esc clears it, Backspace edits (and on an empty prompt closes
 * it). Moving keys still move the selection. */
static struct intent
keys_prompt(const struct ui *ui, int key)
{
	struct intent in = { .what = INTENT_FILTER_SET };
	size_t len = strlen(ui->filter);

	memcpy(in.filter, ui->filter, len + 1);
	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		return keys_do(INTENT_FILTER_CLOSE);
	case KEYS_ESC:
		return keys_do(INTENT_FILTER_CLEAR);
	case KEY_BACKSPACE:
	case KEYS_DEL:
	case '\b':
		if (len == 0)
			return keys_do(INTENT_FILTER_CLOSE);
		/* Drop the last character, all of its bytes. */
		while (len > 0 && ((unsigned char)in.filter[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		in.filter[len] = '\0';
		return in;
	case KEYS_CTRL('u'):
		in.filter[0] = '\0';
		return in;
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
		return keys_move(ui, key);
	case KEY_F(10):
		return keys_do(INTENT_QUIT);
	default:
		if (key < 0x20 || key == KEYS_DEL || key > 0xff)
			return keys_do(INTENT_NONE);
		if (len + 1 >= sizeof in.filter)
			return keys_do(INTENT_NONE);
		in.filter[len] = (char)key;
		in.filter[len + 1] = '\0';
		return in;
	}
}

/* A key on the help screen: where it does not fit the screen, a move
 * key scrolls it; any other key closes it. */
static struct intent
keys_help_key(const struct ui *ui, int key)
{
	size_t page = ui->help_page > 0 ? (size_t)ui->help_page : 1, top;

	top = ui->help_top;
	if (page < keys_count &&
	    keys_step(key, keys_count - page + 1, keys_page(ui->help_page),
	    &top))
		return (struct intent){ .what = INTENT_HELP_SCROLL,
		    .row = top };
	return keys_do(INTENT_HELP_CLOSE);
}

/* What key asks for on the screen shown: a resize repaints, a move key
 * scrolls a help screen that does not fit and any other closes it, the filter prompt takes its own keys, else the
 * entry that binds it, where it works on the screen shown. */
struct intent
keys_intent(const struct ui *ui, int key)
{
	const struct keys_entry *e;
	int where;

	if (key == KEY_RESIZE)
		return keys_do(INTENT_CLEAR);
	if (ui->mode == UI_MODE_HELP)
		return keys_help_key(ui, key);
	if (ui->mode == UI_MODE_FILTER)
		return keys_prompt(ui, key);
	e = keys_find(key);
	if (e == NULL)
		return keys_do(INTENT_NONE);
	where = keys_where(ui);
	if (!(e->where & where) && where == KEYS_IN_CALLERS)
		return keys_say(
		    _("not in the callers view (Esc goes back, to the table at last)"));
	if (!(e->where & where))
		return keys_say(
		    _("not in the drill-down (Esc goes back to the table)"));
	return e->action(ui, key);
}
