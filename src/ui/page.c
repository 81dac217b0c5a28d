/*
 * One page (a full screen): the screen's parts laid out from the top
 * (header, table, drill-down or caller/callee view, the footer's two
 * lines at the bottom), or the help screen, or a notice where the
 * terminal is too small. The window is erased and drawn again, and
 * doupdate sends only the difference.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "callers_draw.h"
#include "cols_draw.h"
#include "delta_draw.h"
#include "draw.h"
#include "drill_draw.h"
#include "footer.h"
#include "header.h"
#include "help.h"
#include "i18n.h"
#include "page.h"
#include "table_draw.h"
#include "ui_int.h"
#include "xmalloc.h"

/* Draw the screen as the state is now. */
void
page_draw(struct ui *ui)
{
	char *msg;
	int hh;

	werase(stdscr);
	ui->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
	if (ui->too_small) {
		msg = xasprintf(_("terminal too small (need %dx%d)"), UI_MIN_COLS,
		    UI_MIN_LINES);
		draw_put(ui, 0, 0, COLS, msg, UI_S_ERROR);
		free(msg);
	} else if (ui->mode == UI_MODE_HELP) {
		help_draw(ui);
	} else {
		hh = header_height(ui);
		header_draw(ui, 0);
		if (ui->mode == UI_MODE_DRILL)
			drill_draw(ui, hh, LINES - hh - 2);
		else if (ui->mode == UI_MODE_CALLERS)
			callers_draw(ui, hh, LINES - hh - 2);
		else if (ui->columns)
			cols_draw(ui, hh, LINES - hh - 2);
		else if (ui->diff)
			delta_draw(ui, hh, LINES - hh - 2);
		else
			table_draw(ui, hh, LINES - hh - 2);
		footer_draw(ui, LINES - 2);
	}
	wnoutrefresh(stdscr);
	doupdate();
}
