/*
 * The footer: the status line (transient messages, or the filter prompt)
 * and the key hints, htop style, generated from the key table.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "footer.h"
#include "i18n.h"
#include "keys.h"
#include "ui_int.h"
#include "xmalloc.h"

/* The width of one hint: "KEY Label". */
static int
footer_item_width(const struct keys_entry *e)
{
	char buf[32];

	return draw_width(keys_name(e->keys[0], buf, sizeof buf)) + 1 +
	    draw_width(_(e->label));
}

/* The entries that work where (KEYS_IN_*) whose hints fit in width
 * columns, in table order. The last labelled entry (quit) is always
 * kept; the others are taken in order while they fit. Returns how many
 * were put in out. */
static size_t
footer_fit(int width, int where, const struct keys_entry **out)
{
	const struct keys_entry *last = NULL;
	size_t i, n = 0;
	int used;

	for (i = 0; i < keys_count; i++) {
		if (keys_table[i].label != NULL && (keys_table[i].where & where))
			last = &keys_table[i];
	}
	if (last == NULL)
		return 0;
	used = footer_item_width(last);
	for (i = 0; i < keys_count; i++) {
		const struct keys_entry *e = &keys_table[i];
		int w;

		if (e->label == NULL || e == last || !(e->where & where))
			continue;
		w = footer_item_width(e) + 1;
		if (used + w > width)
			continue;
		out[n++] = e;
		used += w;
	}
	if (used <= width)
		out[n++] = last;
	return n;
}

/* The table's hints as plain text for width columns (caller frees). */
char *
footer_text(int width)
{
	return footer_text_where(width, KEYS_IN_TABLE);
}

/* The hints of the screen where (KEYS_IN_*) as plain text for width
 * columns (caller frees). */
char *
footer_text_where(int width, int where)
{
	const struct keys_entry **fit;
	char *out = xstrdup(""), *tmp, buf[32];
	size_t n, i;

	fit = xreallocarray(NULL, keys_count + 1, sizeof *fit);
	n = footer_fit(width, where, fit);
	for (i = 0; i < n; i++) {
		tmp = xasprintf("%s%s%s %s", out, i > 0 ? " " : "",
		    keys_name(fit[i]->keys[0], buf, sizeof buf), _(fit[i]->label));
		free(out);
		out = tmp;
	}
	free(fit);
	return out;
}

/* The status line: the filter prompt, or the last message. */
static void
footer_status(const struct ui *ui, int y)
{
	int x;

	if (ui->mode == UI_MODE_FILTER) {
		x = draw_put(ui, y, 0, COLS, _("Filter: "), UI_S_PROMPT);
		x += draw_put(ui, y, x, COLS - x - 1, ui->filter, UI_S_NORMAL);
		x += draw_put(ui, y, x, 1, ui->g.cursor, UI_S_NORMAL);
		draw_put(ui, y, x + 2, COLS - x - 2,
		    _("(Enter keeps it, Esc clears it)"), UI_S_LABEL);
		return;
	}
	if (ui->status != NULL)
		draw_put(ui, y, 0, COLS, ui->status,
		    ui->status_error ? UI_S_ERROR : UI_S_NOTICE);
}

/* Draw the status line on y and the hints on y + 1. */
void
footer_draw(const struct ui *ui, int y)
{
	const struct keys_entry **fit;
	char buf[32];
	size_t n, i;
	int x = 0;

	footer_status(ui, y);
	fit = xreallocarray(NULL, keys_count + 1, sizeof *fit);
	n = footer_fit(COLS, keys_where(ui), fit);
	for (i = 0; i < n; i++) {
		if (i > 0)
			x++;
		x += draw_put(ui, y + 1, x, COLS - x,
		    keys_name(fit[i]->keys[0], buf, sizeof buf), UI_S_KEY);
		x++;
		x += draw_put(ui, y + 1, x, COLS - x, _(fit[i]->label),
		    UI_S_NORMAL);
	}
	free(fit);
}
