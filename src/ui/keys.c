/*
 * The key table and its actions. Each action does its work on the UI
 * state (through table.h, drill.h, state.h) and returns reaction flags
 * (keys.h) that loop.c interprets in one place; the help screen and the
 * footer are generated from the table.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "drill.h"
#include "i18n.h"
#include "keys.h"
#include "session.h"
#include "state.h"
#include "status.h"
#include "table.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

#define KEYS_ESC	27
#define KEYS_DEL	127
#define KEYS_CTRL(c)	((c) & 0x1f)

/* Open the help screen. */
static int
keys_help(struct ui *ui, int key)
{
	ui->help_from = ui->mode;
	ui->mode = UI_MODE_HELP;
	return KEYS_REDRAW;
}

/* Leave. */
static int
keys_quit(struct ui *ui, int key)
{
	return KEYS_QUIT;
}

/* Show the next (dir 1) or previous (dir -1) event. */
static int
keys_event_step(struct ui *ui, int dir)
{
	return state_event_step(ui, dir) ? KEYS_REBUILD : KEYS_REDRAW;
}

/* TAB, e: the next event. */
static int
keys_event_next(struct ui *ui, int key)
{
	return keys_event_step(ui, 1);
}

/* Shift-TAB, E: the previous event. */
static int
keys_event_prev(struct ui *ui, int key)
{
	return keys_event_step(ui, -1);
}

/* Freeze the table, or let it follow the counts again. */
static int
keys_freeze(struct ui *ui, int key)
{
	ui->frozen = !ui->frozen;
	if (!ui->frozen)
		return KEYS_REBUILD;
	ui->frozen_base = ui->s->samples[ui->vo.event];
	return KEYS_REDRAW;
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

/* Move the selection. Home goes back to following the top row. */
static int
keys_move(struct ui *ui, int key)
{
	size_t sel = ui->sel;
	size_t page = ui->page > 1 ? (size_t)ui->page - 1 : 1;

	if (ui->mode == UI_MODE_DRILL) {
		sel = ui->drill_sel;
		page = ui->drill_page > 1 ? (size_t)ui->drill_page - 1 : 1;
		if (!keys_step(key, drill_nrows(ui), page, &sel))
			return 0;
		drill_select(ui, sel);
		return KEYS_REDRAW;
	}
	if (!keys_step(key, ui->view.n, page, &sel))
		return 0;
	table_select(ui, sel, key != KEY_HOME);
	return KEYS_REDRAW;
}

/* Drill into the selected function (lines: its source lines), or say
 * why not. */
static int
keys_drill_into(struct ui *ui, bool lines)
{
	const struct view_row *r = table_selected(ui);

	if (r == NULL || r->kind != VIEW_ROW_FUNC)
		status_set(ui, false, _("select a function to drill into"));
	else
		drill_open(ui, r, lines);
	return KEYS_REDRAW;
}

/* Enter: drill into the selected function's addresses. */
static int
keys_enter(struct ui *ui, int key)
{
	return keys_drill_into(ui, false);
}

/* l: in the drill-down, the line view or the address view; on the
 * table, drill into the selected function's source lines. */
static int
keys_lines(struct ui *ui, int key)
{
	if (ui->mode != UI_MODE_DRILL)
		return keys_drill_into(ui, true);
	drill_switch(ui);
	return KEYS_REDRAW;
}

/* H: select the hottest row (address or line; on the table, function). */
static int
keys_hottest(struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_DRILL)
		drill_hottest(ui);
	else
		table_hottest(ui);
	return KEYS_REDRAW;
}

/* Esc, Backspace: leave the drill-down, else drop the filter, else the
 * zoom. */
static int
keys_back(struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_DRILL) {
		drill_close(ui);
		return KEYS_REDRAW;
	}
	if (ui->filter[0] != '\0') {
		ui->filter[0] = '\0';
		ui->vo.filter = NULL;
		return KEYS_REBUILD;
	}
	if (ui->vo.zoom != NULL) {
		ui->vo.zoom = NULL;
		return KEYS_REBUILD;
	}
	return 0;
}

/* Sort by the key dir steps away (wrapping), in its own direction. */
static int
keys_sort_step(struct ui *ui, int dir)
{
	int s = ((int)ui->vo.sort + dir + VIEW_SORT_COUNT) % VIEW_SORT_COUNT;

	ui->vo.sort = (enum view_sort)s;
	ui->vo.reverse = false;
	return KEYS_REBUILD;
}

/* <: the previous sort column. */
static int
keys_sort_prev(struct ui *ui, int key)
{
	return keys_sort_step(ui, -1);
}

/* >, F6: the next sort column. */
static int
keys_sort_next(struct ui *ui, int key)
{
	return keys_sort_step(ui, 1);
}

/* r: the other order. */
static int
keys_reverse(struct ui *ui, int key)
{
	ui->vo.reverse = !ui->vo.reverse;
	return KEYS_REBUILD;
}

/* /, F4: open the filter prompt on the current filter. */
static int
keys_filter(struct ui *ui, int key)
{
	ui->mode = UI_MODE_FILTER;
	return KEYS_REDRAW;
}

/* d: zoom into the selected row's binary, or out again. */
static int
keys_zoom(struct ui *ui, int key)
{
	const struct view_row *r;

	if (ui->vo.zoom != NULL) {
		ui->vo.zoom = NULL;
		return KEYS_REBUILD;
	}
	r = table_selected(ui);
	if (r == NULL || r->bin == NULL) {
		status_set(ui, false, _("no row to zoom into"));
		return KEYS_REDRAW;
	}
	ui->vo.zoom = r->bin;
	return KEYS_REBUILD;
}

/* b: a subtotal row per binary, or not. */
static int
keys_group(struct ui *ui, int key)
{
	ui->vo.group = !ui->vo.group;
	return KEYS_REBUILD;
}

/* z: forget the counts; the rows must be rebuilt (agg_func pointers
 * die with them). */
static int
keys_zero(struct ui *ui, int key)
{
	agg_zero(ui->s->agg);
	status_set(ui, false, _("counts zeroed"));
	return KEYS_REBUILD;
}

/* c: cumulative counts or the rolling window. */
static int
keys_window(struct ui *ui, int key)
{
	ui->vo.window = !ui->vo.window;
	return KEYS_REBUILD;
}

/* w, P: write a snapshot of what the table shows, or of the
 * drill-down's view. */
static int
keys_write(struct ui *ui, int key)
{
	if (ui->mode == UI_MODE_DRILL)
		drill_write(ui);
	else
		table_write(ui);
	return KEYS_REDRAW;
}

/* Ctrl-L: repaint everything. */
static int
keys_redraw(struct ui *ui, int key)
{
	return KEYS_CLEAR | KEYS_REDRAW;
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
	  .help = N_("drill into the selected function: its hot addresses, with instruction and source line"),
	  .action = keys_enter,
	  .where = KEYS_IN_TABLE },
	{ .name = "back", .keys = { KEYS_ESC, KEY_BACKSPACE, KEYS_DEL, '\b' },
	  .help = N_("back out of the drill-down, the filter, then the zoom"),
	  .action = keys_back,
	  .where = KEYS_IN_ALL },
	{ .name = "lines", .keys = { 'l' },
	  .help = N_("drill-down: source lines or addresses (on the table: drill into the lines)"),
	  .label = N_("Lines"), .where = KEYS_IN_ALL, .action = keys_lines },
	{ .name = "hottest", .keys = { 'H' },
	  .help = N_("select the hottest row (address, line or function)"),
	  .label = N_("Hottest"), .where = KEYS_IN_ALL, .action = keys_hottest },
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
	  .help = N_("filter rows by a part of the function or binary name"),
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
	  .help = N_("write a snapshot now (the -o file, or one named after the pid; in the drill-down, that view)"),
	  .label = N_("Write"), .action = keys_write,
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
int
keys_prompt(struct ui *ui, int key)
{
	size_t len = strlen(ui->filter);

	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui->mode = UI_MODE_TABLE;
		return KEYS_REDRAW;
	case KEYS_ESC:
		ui->mode = UI_MODE_TABLE;
		ui->filter[0] = '\0';
		ui->vo.filter = NULL;
		return KEYS_REBUILD;
	case KEY_BACKSPACE:
	case KEYS_DEL:
	case '\b':
		if (len == 0) {
			ui->mode = UI_MODE_TABLE;
			return KEYS_REDRAW;
		}
		/* Drop the last character, all of its bytes. */
		while (len > 0 && ((unsigned char)ui->filter[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		ui->filter[len] = '\0';
		break;
	case KEYS_CTRL('u'):
		ui->filter[0] = '\0';
		break;
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
		return keys_move(ui, key);
	case KEY_F(10):
		return KEYS_QUIT;
	default:
		if (key < 0x20 || key == KEYS_DEL || key > 0xff)
			return 0;
		if (len + 1 >= sizeof ui->filter)
			return 0;
		ui->filter[len] = (char)key;
		ui->filter[len + 1] = '\0';
		break;
	}
	ui->vo.filter = ui->filter[0] != '\0' ? ui->filter : NULL;
	return KEYS_REBUILD;
}
