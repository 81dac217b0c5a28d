/*
 * The key table: every binding of the screen, with its help text, its
 * footer label and its action, in one place. The help screen and the
 * footer are generated from it, so they cannot drift from what the keys
 * do. An action only decides: it reads the state and returns an intent
 * (intent.h), which dispatch.c carries out.
 */
#ifndef RS_KEYS_H
#define RS_KEYS_H

#include <stddef.h>

#include "intent.h"
#include "ui_int.h"

#define KEYS_MAX	8	/* key codes per entry */

/* Where an entry works: the function table, the drill-down, the
 * caller/callee view, or any of them. */
#define KEYS_IN_TABLE	0x01
#define KEYS_IN_DRILL	0x02
#define KEYS_IN_CALLERS	0x04
#define KEYS_IN_ALL	(KEYS_IN_TABLE | KEYS_IN_DRILL | KEYS_IN_CALLERS)

struct keys_entry {
	const char *name;		/* what it is, for tests and debugging */
	int keys[KEYS_MAX];		/* key codes; unused slots are 0 */
	const char *help;		/* N_() one line for the help screen */
	const char *label;		/* N_() footer label, or NULL: not in the footer */
	int where;			/* KEYS_IN_*: the screens it works on */
	/* What the key asks for; it reads the state, never changes it. */
	struct intent (*action)(const struct ui *ui, int key);
};

extern const struct keys_entry keys_table[];
extern const size_t keys_count;

/* Where (KEYS_IN_*) the keys of the screen shown work: the screen under
 * the help or the filter prompt is the table's or the view's. */
int	keys_where(const struct ui *ui);

/* The entry that binds key, or NULL. */
const struct keys_entry *keys_find(int key);

/* What key asks for on the screen shown: a resize repaints, any key
 * closes the help screen, the filter prompt takes its own keys, else the
 * entry that binds it where it works. Changes nothing. */
struct intent keys_intent(const struct ui *ui, int key);

/* The name of a key code as the help and the footer show it ("q", "TAB",
 * "F10", "Up"); buf holds it where it is built. */
const char *keys_name(int key, char *buf, size_t len);

/* The keys of an entry, each name once, separated by spaces (caller
 * frees). */
char *keys_names(const struct keys_entry *e);

#endif
