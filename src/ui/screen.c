/*
 * The screen's owner: terminal setup and teardown (also on fatal
 * signals), the loop (the tick is the input timeout: tick, rebuild, draw,
 * key), the one place that interprets the actions' reaction flags, and
 * the drawing primitives the other modules share.
 */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <langinfo.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "agg.h"
#include "events.h"
#include "i18n.h"
#include "keys.h"
#include "sampler.h"
#include "session.h"
#include "target.h"
#include "ui.h"
#include "ui_int.h"
#include "xmalloc.h"

#define SCREEN_MAXW	1024	/* columns one screen_put writes, at most */
#define SCREEN_BURST	64	/* keys handled before a draw, at most */
#define SCREEN_MAX_WAIT	3600.0	/* seconds one getch waits, at most */

/* A style: colours where the terminal has them, else attributes. */
struct screen_style {
	short fg, bg;		/* -1: the terminal's default */
	attr_t color_attr;
	attr_t mono_attr;
};

static const struct screen_style screen_styles[UI_S_COUNT] = {
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

static const char *const screen_bar_utf8[9] = {
	"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589",
	"\u2588"
};
static const char *const screen_bar_ascii[9] = {
	"", "", "", "", "#", "#", "#", "#", "#"
};

/* The fatal signals after which the terminal is given back first. */
static const int screen_fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define SCREEN_NFATAL (sizeof screen_fatal_sigs / sizeof screen_fatal_sigs[0])
static struct sigaction screen_fatal_old[SCREEN_NFATAL];

static SCREEN *screen_term;
static volatile sig_atomic_t screen_active;	/* the terminal is ours */

/* Seconds on the monotonic clock. */
double
screen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decode one character of s (at most len bytes) into *wc and its
 * columns; unprintable or invalid bytes become '?'. Returns the bytes
 * used (at least 1), or 0 at the end of s. */
static size_t
screen_decode(const char *s, size_t len, wchar_t *wc, int *cols)
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
screen_width(const char *s)
{
	size_t len = strlen(s), n;
	wchar_t wc;
	int w, total = 0;

	while ((n = screen_decode(s, len, &wc, &w)) > 0) {
		total += w;
		s += n;
		len -= n;
	}
	return total;
}

/* Set the window's rendition to style st. */
static void
screen_style(struct ui *ui, enum ui_style st)
{
	const struct screen_style *ss = &screen_styles[st];

	if (ui->color)
		wattr_set(stdscr, ss->color_attr, (short)st, NULL);
	else
		wattr_set(stdscr, ss->mono_attr, 0, NULL);
}

/* Put s at (y, x) in style st, in at most w columns: cut with an
 * ellipsis where it is longer, never wrapped. Returns the columns used. */
int
screen_put(struct ui *ui, int y, int x, int w, const char *s, enum ui_style st)
{
	wchar_t out[SCREEN_MAXW + 8], wc;
	size_t len = strlen(s), n, nout = 0, cut_n = 0;
	int cw, used = 0, cut_used = 0, room;
	bool cut = false;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return 0;
	if (w > COLS - x)
		w = COLS - x;
	if (w > SCREEN_MAXW)
		w = SCREEN_MAXW;
	room = w - ui->g.ell_w;
	while ((n = screen_decode(s, len, &wc, &cw)) > 0) {
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
	screen_style(ui, st);
	mvwaddnwstr(stdscr, y, x, out, (int)nout);
	screen_style(ui, UI_S_NORMAL);
	return used;
}

/* Paint w blank columns at (y, x) in style st. */
void
screen_fill(struct ui *ui, int y, int x, int w, enum ui_style st)
{
	wchar_t out[SCREEN_MAXW];
	int i;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (w > COLS - x)
		w = COLS - x;
	if (w > SCREEN_MAXW)
		w = SCREEN_MAXW;
	for (i = 0; i < w; i++)
		out[i] = L' ';
	screen_style(ui, st);
	mvwaddnwstr(stdscr, y, x, out, w);
	screen_style(ui, UI_S_NORMAL);
}

/* Show a message in the status line for a while. */
void
screen_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	free(ui->status);
	ui->status = msg;
	ui->status_error = error;
	ui->status_until = screen_now() + (error ? 2 : 1) * UI_STATUS_SECS;
}

/* A fatal signal: give the terminal back, then let the signal take its
 * course with the action it had before (the default, or a sanitizer's). */
static void
screen_on_fatal(int sig, siginfo_t *si, void *uc)
{
	size_t i;

	if (screen_active) {
		screen_active = 0;
		endwin();
	}
	for (i = 0; i < SCREEN_NFATAL; i++) {
		if (screen_fatal_sigs[i] == sig)
			sigaction(sig, &screen_fatal_old[i], NULL);
	}
	/* A fault comes back when the instruction runs again; a signal that
	 * was sent must be sent again. */
	if (si == NULL || si->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

/* Catch the fatal signals while the terminal is ours. */
static void
screen_fatal_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = screen_on_fatal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < SCREEN_NFATAL; i++)
		sigaction(screen_fatal_sigs[i], &sa, &screen_fatal_old[i]);
}

/* Put the fatal signals' actions back as they were. */
static void
screen_fatal_restore(void)
{
	size_t i;

	for (i = 0; i < SCREEN_NFATAL; i++)
		sigaction(screen_fatal_sigs[i], &screen_fatal_old[i], NULL);
}

/* Colour pairs for the styles, where the terminal has colours. */
static void
screen_colors(struct ui *ui)
{
	short fg, bg;
	bool dflt;
	int i;

	ui->color = false;
	if (ui->p->no_color || !has_colors() || start_color() == ERR)
		return;
	dflt = use_default_colors() == OK;
	for (i = 1; i < UI_S_COUNT && i < COLOR_PAIRS; i++) {
		fg = screen_styles[i].fg;
		bg = screen_styles[i].bg;
		if (!dflt && fg < 0)
			fg = COLOR_WHITE;
		if (!dflt && bg < 0)
			bg = COLOR_BLACK;
		init_pair((short)i, fg, bg);
	}
	ui->color = COLOR_PAIRS > UI_S_COUNT;
}

/* The glyphs for this locale: UTF-8 ones, or ASCII. */
static void
screen_glyphs(struct ui *ui)
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
		ui->g.bar = screen_bar_utf8;
		ui->g.cursor = "\u2588";
	} else {
		ui->g.ellipsis = "...";
		ui->g.sort_down = "v";
		ui->g.sort_up = "^";
		ui->g.bar = screen_bar_ascii;
		ui->g.cursor = "_";
	}
	ui->g.ell_n = 0;
	ui->g.ell_w = 0;
	s = ui->g.ellipsis;
	len = strlen(s);
	while (ui->g.ell_n < 3 && (n = screen_decode(s, len, &wc, &w)) > 0) {
		ui->g.ell[ui->g.ell_n++] = wc;
		ui->g.ell_w += w;
		s += n;
		len -= n;
	}
}

/* Check that the terminal type is known and can move the cursor, before
 * newterm (which leaks when it fails). */
static int
screen_check_term(const char *term, char **cause)
{
	char *cup;
	int err = 0;

	if (setupterm(NULL, fileno(stdout), &err) != OK) {
		*cause = xasprintf(_("cannot use terminal type '%s': use -b for batch mode"),
		    term);
		return -1;
	}
	cup = tigetstr("cup");
	del_curterm(cur_term);
	if (cup == NULL || cup == (char *)-1) {
		*cause = xasprintf(_("terminal type '%s' cannot move the cursor: use -b for batch mode"),
		    term);
		return -1;
	}
	return 0;
}

/* Take the terminal. */
static int
screen_setup(struct ui *ui, char **cause)
{
	const char *term = getenv("TERM");

	if (term == NULL || *term == '\0') {
		*cause = xstrdup(_("TERM is not set: the screen needs a terminal type (or use -b for batch mode)"));
		return -1;
	}
	if (screen_check_term(term, cause) < 0)
		return -1;
	screen_term = newterm(NULL, stdout, stdin);
	if (screen_term == NULL) {
		*cause = xasprintf(_("cannot use terminal type '%s': use -b for batch mode"),
		    term);
		return -1;
	}
	set_term(screen_term);
	screen_active = 1;
	screen_fatal_install();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	screen_colors(ui);
	return 0;
}

/* Give the terminal back as it was. */
static void
screen_teardown(void)
{
	if (screen_term == NULL)
		return;
	if (screen_active) {
		screen_active = 0;
		curs_set(1);
		endwin();
	}
	screen_fatal_restore();
	delscreen(screen_term);
	screen_term = NULL;
}

/* The events TAB steps through: the shown ones first (sampled from the
 * start), then every other one this machine can sample on the target,
 * probed once. */
static void
screen_events(struct ui *ui)
{
	const struct ui_params *p = ui->p;
	struct events_rate rate = p->rate;
	bool used[EVENT_COUNT] = { false };
	struct ui_event *e;
	char *reason;
	size_t i;
	unsigned ev;

	for (i = 0; i < p->nshown && ui->nevents < EVENT_COUNT; i++) {
		ev = p->shown[i];
		if (ev >= EVENT_COUNT || used[ev])
			continue;
		used[ev] = true;
		e = &ui->events[ui->nevents++];
		e->ev = ev;
		e->sampled = true;
	}
	for (ev = 0; ev < EVENT_COUNT; ev++) {
		if (used[ev])
			continue;
		e = &ui->events[ui->nevents];
		e->ev = ev;
		if (sampler_has_event(ui->s->sampler, ev)) {
			e->sampled = true;
		} else {
			reason = NULL;
			if (sampler_probe(ui->s->sampler, ev, ui->pid, &rate, &reason) < 0) {
				free(reason);
				continue;
			}
			free(reason);
		}
		used[ev] = true;
		ui->nevents++;
	}
	if (ui->nevents == 0) {
		ui->events[0].ev = EVENT_CPU_CLOCK;
		ui->events[0].sampled = true;
		ui->nevents = 1;
	}
	for (i = 0; i < ui->nevents; i++)
		ui->events[i].last = ui->s->samples[ui->events[i].ev];
	ui->cur = 0;
	ui->vo.event = ui->events[0].ev;
}

/* The state of a new screen. */
static void
screen_init(struct ui *ui, const struct ui_params *p)
{
	struct target *t = p->session->target;

	memset(ui, 0, sizeof *ui);
	ui->p = p;
	ui->s = p->session;
	ui->pid = t->n > 0 ? t->procs[0].pid : 0;
	ui->target = target_describe(t);
	ui->vo.sort = p->sort;
	ui->vo.window = p->window_secs > 0;
	ui->window_len = p->window_secs > 0 ? p->window_secs : p->default_window;
	ui->exited = !target_poll(t);
	ui->threads = ui->exited ? 0 : target_thread_count(t);
	ui->mode = UI_MODE_TABLE;
	ui->last_tick = screen_now();
}

/* Release the screen's state. */
static void
screen_free(struct ui *ui)
{
	drill_free(ui);
	view_free(&ui->view);
	free(ui->target);
	free(ui->status);
	memset(ui, 0, sizeof *ui);
}

/* One tick: drain the samples, look at the target, rebuild the rows
 * (unless frozen). Once every target process is gone the window stops
 * rolling, so the last data stays on screen. */
static void
screen_tick(struct ui *ui)
{
	struct session *s = ui->s;
	double now = screen_now(), dt = now - ui->last_tick;
	struct ui_event *e;
	uint64_t n;
	size_t i;

	if (ui->exited)
		session_drain(s);
	else
		session_tick(s);
	if (!ui->exited && !target_poll(s->target))
		ui->exited = true;
	ui->threads = ui->exited ? 0 : target_thread_count(s->target);
	for (i = 0; i < ui->nevents; i++) {
		e = &ui->events[i];
		n = s->samples[e->ev];
		e->rate = dt > 0 ? (double)(n - e->last) / dt : 0;
		e->last = n;
	}
	ui->last_tick = now;
	ui->ticks++;
	if (!ui->frozen)
		table_rebuild(ui);
}

/* Draw what changed into the terminal: the windows are erased and drawn
 * again, and doupdate sends only the difference. */
static void
screen_draw(struct ui *ui)
{
	char *msg;
	int hh;

	werase(stdscr);
	ui->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
	if (ui->too_small) {
		msg = xasprintf(_("terminal too small (need %dx%d)"), UI_MIN_COLS,
		    UI_MIN_LINES);
		screen_put(ui, 0, 0, COLS, msg, UI_S_ERROR);
		free(msg);
	} else if (ui->mode == UI_MODE_HELP) {
		help_draw(ui);
	} else {
		hh = header_height(ui);
		header_draw(ui, 0);
		if (ui->mode == UI_MODE_DRILL)
			drill_draw(ui, hh, LINES - hh - 2);
		else
			table_draw(ui, hh, LINES - hh - 2);
		footer_draw(ui, LINES - 2);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* Route one key: a resize, the help screen (any key closes it), the
 * filter prompt, or the key table (the entries that work on the screen
 * shown). Returns reaction flags. */
static int
screen_key(struct ui *ui, int key)
{
	const struct keys_entry *e;
	int where;

	if (key == KEY_RESIZE)
		return KEYS_CLEAR | KEYS_REDRAW;
	if (ui->mode == UI_MODE_HELP) {
		ui->mode = ui->help_from == UI_MODE_DRILL ? UI_MODE_DRILL :
		    UI_MODE_TABLE;
		if (ui->mode == UI_MODE_DRILL && !ui->frozen)
			return KEYS_REBUILD;
		return KEYS_REDRAW;
	}
	if (ui->mode == UI_MODE_FILTER)
		return keys_prompt(ui, key);
	e = keys_find(key);
	if (e == NULL)
		return 0;
	where = ui->mode == UI_MODE_DRILL ? KEYS_IN_DRILL : KEYS_IN_TABLE;
	if (!(e->where & where)) {
		screen_status(ui, false, _("not in the drill-down (Esc goes back to the table)"));
		return KEYS_REDRAW;
	}
	return e->action(ui, key);
}

/* The one place where reaction flags become work. Returns true where the
 * screen must be drawn again; *quit is set for KEYS_QUIT. */
static bool
screen_react(struct ui *ui, int flags, bool *quit)
{
	if (flags & KEYS_QUIT)
		*quit = true;
	if (flags & KEYS_REBUILD)
		table_rebuild(ui);
	if (flags & KEYS_CLEAR)
		clearok(curscr, TRUE);
	return (flags & (KEYS_REDRAW | KEYS_REBUILD | KEYS_CLEAR)) != 0;
}

/* Run the screen. */
int
ui_run(const struct ui_params *p, char **cause)
{
	struct ui ui;
	double start, next, end, now, wake;
	bool redraw = true, quit = false;
	int key, ms, burst;

	screen_init(&ui, p);
	screen_glyphs(&ui);
	screen_events(&ui);
	if (screen_setup(&ui, cause) < 0) {
		screen_teardown();
		screen_free(&ui);
		return -1;
	}
	table_rebuild(&ui);

	start = screen_now();
	next = start + p->delay;
	end = p->duration > 0 ? start + p->duration : 0;
	while (!quit && !*p->quit) {
		if (redraw) {
			screen_draw(&ui);
			redraw = false;
		}
		now = screen_now();
		wake = end > 0 && end < next ? end : next;
		if (ui.status != NULL && ui.status_until < wake)
			wake = ui.status_until;
		if (wake - now > SCREEN_MAX_WAIT)
			wake = now + SCREEN_MAX_WAIT;
		ms = wake > now ? (int)ceil((wake - now) * 1000.0) : 0;
		timeout(ms);
		key = getch();
		for (burst = 0; key != ERR && !quit; burst++) {
			redraw |= screen_react(&ui, screen_key(&ui, key), &quit);
			if (burst == SCREEN_BURST || quit)
				break;
			/* Take what else is typed before drawing. */
			timeout(0);
			key = getch();
		}
		if (quit || *p->quit)
			break;
		now = screen_now();
		if (ui.status != NULL && now >= ui.status_until) {
			free(ui.status);
			ui.status = NULL;
			redraw = true;
		}
		if (now >= next) {
			screen_tick(&ui);
			/* The help screen and the size notice do not change. */
			if (ui.mode != UI_MODE_HELP && !ui.too_small)
				redraw = true;
			next += p->delay;
			if (next <= now)
				next = now + p->delay;
			if (p->iterations > 0 && ui.ticks >= p->iterations) {
				screen_draw(&ui);
				break;
			}
		}
		if (end > 0 && now >= end)
			break;
	}
	screen_teardown();
	if (p->final != NULL) {
		*p->final = ui.vo;
		p->final->filter = NULL;
		p->final->zoom = NULL;
		p->final->group = false;
	}
	screen_free(&ui);
	return 0;
}
