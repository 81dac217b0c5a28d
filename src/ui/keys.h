/*
 * The key table: every binding of the screen, with its help text and its
 * footer label, in one place. The help screen and the footer are
 * generated from it, so they cannot drift from what the keys do.
 */
#ifndef RS_KEYS_H
#define RS_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct ui;

/* Reaction flags: what an action asks of the loop, interpreted in one
 * place (loop.c). */
#define KEYS_REDRAW	0x01	/* draw the screen again */
#define KEYS_REBUILD	0x02	/* rebuild the rows from the counts, then draw */
#define KEYS_QUIT	0x04	/* leave the screen */
#define KEYS_CLEAR	0x08	/* repaint every cell of the terminal */

#define KEYS_MAX	8	/* key codes per entry */

/* Where an entry works: the function table, the drill-down, or both. */
#define KEYS_IN_TABLE	0x01
#define KEYS_IN_DRILL	0x02
#define KEYS_IN_ALL	(KEYS_IN_TABLE | KEYS_IN_DRILL)

struct keys_entry {
	const char *name;		/* what it is, for tests and debugging */
	int keys[KEYS_MAX];		/* key codes; unused slots are 0 */
	const char *help;		/* N_() one line for the help screen */
	const char *label;		/* N_() footer label, or NULL: not in the footer */
	int where;			/* KEYS_IN_*: the screens it works on */
	int (*action)(struct ui *ui, int key);
};

extern const struct keys_entry keys_table[];
extern const size_t keys_count;

/* The entry that binds key, or NULL. */
const struct keys_entry *keys_find(int key);

/* A key in the filter prompt: typing filters as it goes, Enter keeps
 * the filter, Esc clears it, Backspace edits. Returns reaction flags. */
int keys_prompt(struct ui *ui, int key);

/* The name of a key code as the help and the footer show it ("q", "TAB",
 * "F10", "Up"); buf holds it where it is built. */
const char *keys_name(int key, char *buf, size_t len);

/* The keys of an entry, each name once, separated by spaces (caller
 * frees). */
char *keys_names(const struct keys_entry *e);

#endif
