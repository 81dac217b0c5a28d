/*
 * The drawing primitives every part of the screen shares: text cut to a
 * width (never wrapped), blank fills, percentage bars and their heat, in
 * the styles of ui_int.h; and the glyphs and colours they draw with. It
 * calls nothing else of the screen.
 */
#ifndef RS_DRAW_H
#define RS_DRAW_H

#include "ui_int.h"

/* The columns s takes on screen. */
int	draw_width(const char *s);

/* Put s at (y, x) in style st, in at most w columns: cut with an
 * ellipsis where it is longer, never wrapped. Returns the columns used. */
int	draw_put(const struct ui *ui, int y, int x, int w, const char *s,
	    enum ui_style st);

/* Paint w blank columns at (y, x) in style st. */
void	draw_fill(const struct ui *ui, int y, int x, int w, enum ui_style st);

/* The heat of a share of the samples (percent). */
enum ui_style draw_heat(double pct);

/* A percentage bar of w cells (at most DRAW_BAR_MAX) at (y, x), in
 * eighths of a cell where the glyphs allow. */
#define DRAW_BAR_MAX	10
void	draw_bar(const struct ui *ui, int y, int x, int w, double pct,
	    enum ui_style st);

/* Choose the glyphs for the locale (UTF-8 ones, or ASCII): ui->utf8 and
 * ui->g. */
void	draw_glyphs(struct ui *ui);

/* Colour pairs for the styles, once the terminal is set up, unless the
 * parameters say no colour: ui->color. */
void	draw_colors(struct ui *ui);

#endif
