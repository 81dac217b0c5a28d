/*
 * The help screen, generated from the key table: one line per entry,
 * its keys and what they do. Any key returns to the table.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "help.h"
#include "i18n.h"
#include "keys.h"
#include "ui_int.h"
#include "xmalloc.h"

#define HELP_KEYS_MIN	12	/* columns of the keys, at least */
#define HELP_KEYS_MAX	32

/* The width of the keys column. */
static int
help_keys_width(void)
{
	int w = HELP_KEYS_MIN, kw;
	size_t i;
	char *names;

	for (i = 0; i < keys_count; i++) {
		names = keys_names(&keys_table[i]);
		kw = draw_width(names);
		free(names);
		if (kw > w)
			w = kw;
	}
	return w > HELP_KEYS_MAX ? HELP_KEYS_MAX : w;
}

/* The title of the help screen. */
static const char *
help_title(void)
{
	return _("rrstat-top keys (any key closes this help)");
}

/* The help screen as plain text, one line per entry (caller frees). */
char *
help_text(void)
{
	char *out = xasprintf("%s\n", help_title()), *tmp, *names;
	int kw = help_keys_width();
	size_t i;

	for (i = 0; i < keys_count; i++) {
		names = keys_names(&keys_table[i]);
		tmp = xasprintf("%s%-*s  %s\n", out, kw, names, _(keys_table[i].help));
		free(names);
		free(out);
		out = tmp;
	}
	return out;
}

/* Draw the help screen: the entries from ui->help_top that fit, above
 * the note on the columns. */
void
help_draw(struct ui *ui)
{
	int kw = help_keys_width(), y = 0, rows;
	size_t i, top;
	char *names, *title;

	/* Title, blank line, entries, blank line, note. */
	rows = LINES - 4;
	if (rows < 1)
		rows = 1;
	ui->help_page = rows;
	top = ui->help_top;
	if ((size_t)rows >= keys_count)
		top = 0;
	else if (top > keys_count - (size_t)rows)
		top = keys_count - (size_t)rows;
	if ((size_t)rows >= keys_count)
		title = xstrdup(help_title());
	else
		title = xasprintf(_("rrstat-top keys %zu-%zu of %zu (Up/Down "
		    "scroll, any other key closes)"), top + 1,
		    top + (size_t)rows, keys_count);
	draw_put(ui, y++, 0, COLS, title, UI_S_VALUE);
	free(title);
	y++;
	for (i = top; i < keys_count && y < LINES - 1 && y - 2 < rows;
	    i++, y++) {
		names = keys_names(&keys_table[i]);
		draw_put(ui, y, 1, kw, names, UI_S_VALUE);
		free(names);
		draw_put(ui, y, kw + 3, COLS - kw - 3, _(keys_table[i].help),
		    UI_S_NORMAL);
	}
	/* The note after a blank line, or on the last line where the
	 * entries leave none. */
	if (y + 1 < LINES)
		y++;
	if (y < LINES)
		draw_put(ui, y, 0, COLS,
		    _("Columns: SELF%: the function itself; TOTAL%: with its callees (-g)."),
		    UI_S_LABEL);
}
