/*
 * The terminal's one owner: ncursesw setup and teardown, the terminal
 * given back on every exit path (fatal signals too), keys read with the
 * loop's timeout, and a full repaint on request.
 */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"
#include "xmalloc.h"

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
int
screen_setup(char **cause)
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
	/* ncurses 6.4 writes out at every cursor move until it has been
	 * suspended and resumed once (a write to the terminal at each, dozens
	 * a refresh); one cycle before anything is drawn makes a refresh one
	 * write. */
	endwin();
	doupdate();
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
	/* No poll of the keyboard between lines of a refresh (each flushed
	 * what was written so far). */
	typeahead(-1);
	return 0;
}

/* Give the terminal back as it was. */
void
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

/* The next key within ms milliseconds, or -1. */
int
screen_key(int ms)
{
	int key;

	timeout(ms);
	key = getch();
	return key == ERR ? -1 : key;
}

/* Repaint every cell at the next update. */
void
screen_clear(void)
{
	clearok(curscr, TRUE);
}
