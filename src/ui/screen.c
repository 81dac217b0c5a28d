/*
 * The screen's owner: terminal setup and teardown (also on fatal
 * signals), the loop (the tick is the input timeout: tick, rebuild, draw,
 * key), the one place that interprets the actions' reaction flags.
 */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "draw.h"
#include "events.h"
#include "i18n.h"
#include "keys.h"
#include "sampler.h"
#include "session.h"
#include "status.h"
#include "target.h"
#include "ui.h"
#include "ui_int.h"
#include "xmalloc.h"

#define SCREEN_BURST	64	/* keys handled before a draw, at most */
#define SCREEN_MAX_WAIT	3600.0	/* seconds one getch waits, at most */

/* The fatal signals after which the terminal is given back first. */
static const int screen_fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define SCREEN_NFATAL (sizeof screen_fatal_sigs / sizeof screen_fatal_sigs[0])
static struct sigaction screen_fatal_old[SCREEN_NFATAL];

static SCREEN *screen_term;
static volatile sig_atomic_t screen_active;	/* the terminal is ours */

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
	draw_colors(ui);
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
	ui->last_tick = ui_now();
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
	double now = ui_now(), dt = now - ui->last_tick;
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
		draw_put(ui, 0, 0, COLS, msg, UI_S_ERROR);
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
		status_set(ui, false, _("not in the drill-down (Esc goes back to the table)"));
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
	draw_glyphs(&ui);
	screen_events(&ui);
	if (screen_setup(&ui, cause) < 0) {
		screen_teardown();
		screen_free(&ui);
		return -1;
	}
	table_rebuild(&ui);

	start = ui_now();
	next = start + p->delay;
	end = p->duration > 0 ? start + p->duration : 0;
	while (!quit && !*p->quit) {
		if (redraw) {
			screen_draw(&ui);
			redraw = false;
		}
		now = ui_now();
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
		now = ui_now();
		if (status_expire(&ui, now))
			redraw = true;
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
