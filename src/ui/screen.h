/*
 * The terminal's one owner: setup and teardown (ncursesw), the terminal
 * given back on fatal signals, the keys read with a timeout, a repaint of
 * every cell. It knows nothing of what is drawn.
 */
#ifndef RS_SCREEN_H
#define RS_SCREEN_H

/* Take the terminal. Returns 0, or -1 with *cause set (caller frees);
 * screen_teardown is due either way. */
int	screen_setup(char **cause);

/* Give the terminal back as it was (once taken; else nothing). */
void	screen_teardown(void);

/* The next key, waiting at most ms milliseconds (0: only one typed
 * already); -1 when none came. */
int	screen_key(int ms);

/* Repaint every cell at the next update (Ctrl-L, a resize). */
void	screen_clear(void);

#endif
