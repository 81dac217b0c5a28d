/*
 * The drawing primitives: styles (colours, or attributes without them),
 * glyphs for the locale, text cut to a width with an ellipsis, blank
 * fills, percentage bars and their heat. Every part of the screen draws
 * through these; they call nothing else of the screen.
 */
#include "config.h"

#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "ui_int.h"

#define DRAW_MAXW	1024	/* columns one draw_put writes, at most */

/* A style: colours where the terminal has them, else attributes. */
struct draw_style {
	short fg, bg;		/* -1: the terminal's default */
	attr_t color_attr;
	attr_t mono_attr;
};

static const struct draw_style draw_styles[UI_S_COUNT] = {
	[UI_S_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UI_S_HOT] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_S_WARM] = { COLOR_YELLOW, -1, A_NORMAL, A_NORMAL },
	[UI_S_COOL] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[UI_S_TITLE] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_BOLD | A_UNDERLINE },
	[UI_S_TITLE_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_S_KEY] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UI_S_GROUP] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_S_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_S_NOTICE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UI_S_LIVE] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UI_S_FROZEN] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD | A_REVERSE },
	[UI_S_SELECT] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UI_S_LABEL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UI_S_VALUE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_S_PROMPT] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UI_S_DIM] = { -1, -1, A_DIM, A_DIM },
};

static const char *const draw_bar_utf8[9] = {
	"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589",
	"\u2588"
};
static const char *const draw_bar_ascii[9] = {
	"", "", "", "", "#", "#", "#", "#", "#"
};

/* Decode one character of s (at most len bytes) into *wc and its
 * columns; unprintable or invalid bytes become '?'. Returns the bytes
 * used (at least 1), or 0 at the end of s. */
static size_t
draw_decode(const char *s, size_t len, wchar_t *wc, int *cols)
{
	mbstate_t st;
	size_t n;
	int w;

	if (len == 0 || *s == '\0')
		return 0;
	memset(&st, 0, sizeof st);
	n = mbrtowc(wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*cols = 1;
		return 1;
	}
	w = wcwidth(*wc);
	if (w < 0) {
		*wc = L'?';
		w = 1;
	}
	*cols = w;
	return n;
}

/* The columns s takes on screen. */
int
draw_width(const char *s)
{
	size_t len = strlen(s), n;
	wchar_t wc;
	int w, total = 0;

	while ((n = draw_decode(s, len, &wc, &w)) > 0) {
		total += w;
		s += n;
		len -= n;
	}
	return total;
}

/* Set the window's rendition to style st. */
static void
draw_style(const struct ui *ui, enum ui_style st)
{
	const struct draw_style *ds = &draw_styles[st];

	if (ui->color)
		wattr_set(stdscr, ds->color_attr, (short)st, NULL);
	else
		wattr_set(stdscr, ds->mono_attr, 0, NULL);
}

/* Put s at (y, x) in style st, in at most w columns: cut with an
 * ellipsis where it is longer, never wrapped. Returns the columns used. */
int
draw_put(const struct ui *ui, int y, int x, int w, const char *s,
    enum ui_style st)
{
	wchar_t out[DRAW_MAXW + 8], wc;
	size_t len = strlen(s), n, nout = 0, cut_n = 0;
	int cw, used = 0, cut_used = 0, room;
	bool cut = false;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return 0;
	if (w > COLS - x)
		w = COLS - x;
	if (w > DRAW_MAXW)
		w = DRAW_MAXW;
	room = w - ui->g.ell_w;
	while ((n = draw_decode(s, len, &wc, &cw)) > 0) {
		if (used + cw > w) {
			cut = true;
			break;
		}
		out[nout++] = wc;
		used += cw;
		if (used <= room) {
			cut_n = nout;
			cut_used = used;
		}
		s += n;
		len -= n;
	}
	if (cut) {
		if (room < 0) {
			/* Not even the ellipsis fits: its first character. */
			nout = 0;
			used = 0;
			if (w >= 1) {
				out[nout++] = ui->g.ell[0];
				used = 1;
			}
		} else {
			nout = cut_n;
			used = cut_used;
			for (int i = 0; i < ui->g.ell_n; i++)
				out[nout++] = ui->g.ell[i];
			used += ui->g.ell_w;
		}
	}
	if (nout == 0)
		return 0;
	draw_style(ui, st);
	mvwaddnwstr(stdscr, y, x, out, (int)nout);
	draw_style(ui, UI_S_NORMAL);
	return used;
}

/* Paint w blank columns at (y, x) in style st. */
void
draw_fill(const struct ui *ui, int y, int x, int w, enum ui_style st)
{
	wchar_t out[DRAW_MAXW];
	int i;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (w > COLS - x)
		w = COLS - x;
	if (w > DRAW_MAXW)
		w = DRAW_MAXW;
	for (i = 0; i < w; i++)
		out[i] = L' ';
	draw_style(ui, st);
	mvwaddnwstr(stdscr, y, x, out, w);
	draw_style(ui, UI_S_NORMAL);
}

/* The heat of a share of the samples. */
enum ui_style
draw_heat(double pct)
{
	if (pct >= 10.0)
		return UI_S_HOT;
	if (pct >= 2.0)
		return UI_S_WARM;
	return UI_S_COOL;
}

/* A percentage bar (SELF%, the drill-down's shares): w cells (at most
 * DRAW_BAR_MAX), in eighths where the glyphs allow. */
void
draw_bar(const struct ui *ui, int y, int x, int w, double pct,
    enum ui_style st)
{
	char buf[DRAW_BAR_MAX * 4 + 8];
	long eighths = (long)(pct / 100.0 * w * 8 + 0.5);
	size_t len = 0, gl;
	int i;

	if (eighths > (long)w * 8)
		eighths = (long)w * 8;
	if (eighths <= 0 && pct > 0)
		eighths = 1;
	for (i = 0; i < w && eighths > 0; i++) {
		const char *g = ui->g.bar[eighths >= 8 ? 8 : eighths];

		gl = strlen(g);
		if (len + gl >= sizeof buf)
			break;
		memcpy(buf + len, g, gl);
		len += gl;
		eighths -= 8;
	}
	buf[len] = '\0';
	if (len > 0)
		draw_put(ui, y, x, w, buf, st);
}

/* The glyphs for this locale: UTF-8 ones, or ASCII. */
void
draw_glyphs(struct ui *ui)
{
	const char *cs = nl_langinfo(CODESET);
	const char *s;
	size_t len, n;
	wchar_t wc;
	int w;

	ui->utf8 = MB_CUR_MAX > 1 && cs != NULL &&
	    (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	if (ui->utf8) {
		ui->g.ellipsis = "\u2026";
		ui->g.sort_down = "\u25bc";
		ui->g.sort_up = "\u25b2";
		ui->g.bar = draw_bar_utf8;
		ui->g.cursor = "\u2588";
	} else {
		ui->g.ellipsis = "...";
		ui->g.sort_down = "v";
		ui->g.sort_up = "^";
		ui->g.bar = draw_bar_ascii;
		ui->g.cursor = "_";
	}
	ui->g.ell_n = 0;
	ui->g.ell_w = 0;
	s = ui->g.ellipsis;
	len = strlen(s);
	while (ui->g.ell_n < 3 && (n = draw_decode(s, len, &wc, &w)) > 0) {
		ui->g.ell[ui->g.ell_n++] = wc;
		ui->g.ell_w += w;
		s += n;
		len -= n;
	}
}

/* Colour pairs for the styles, where the terminal has colours. */
void
draw_colors(struct ui *ui)
{
	short fg, bg;
	bool dflt;
	int i;

	ui->color = false;
	if (ui->p->no_color || ui->p->no_color_env || !has_colors() ||
	    start_color() == ERR)
		return;
	dflt = use_default_colors() == OK;
	for (i = 1; i < UI_S_COUNT && i < COLOR_PAIRS; i++) {
		fg = draw_styles[i].fg;
		bg = draw_styles[i].bg;
		if (!dflt && fg < 0)
			fg = COLOR_WHITE;
		if (!dflt && bg < 0)
			bg = COLOR_BLACK;
		init_pair((short)i, fg, bg);
	}
	ui->color = COLOR_PAIRS > UI_S_COUNT;
}
