/*
 * The diff view (key D): each function's share in a baseline beside its
 * share since, the change in points and whether it is beyond sampling
 * noise. The baseline is the table as frozen (space), its "since" the
 * samples that arrived after the freeze; or, unfrozen, the --baseline
 * file against the live counts. State only: delta_draw.c draws it.
 */
#ifndef RS_UI_DELTA_H
#define RS_UI_DELTA_H

#include <stdbool.h>
#include <stddef.h>

struct ui;

/* Keep the baseline of every event at the freeze. */
void	delta_capture(struct ui *ui);
/* Drop it (unfreeze, zero). */
void	delta_release(struct ui *ui);
/* Whether there is a baseline for the event shown (and why not, in
 * *why, translated, where there is none). */
bool	delta_available(const struct ui *ui, const char **why);
/* Open or close the view. */
void	delta_toggle(struct ui *ui);
/* Rebuild the rows from the counts now. */
void	delta_rebuild(struct ui *ui);
/* Select row idx. */
void	delta_select(struct ui *ui, size_t idx);
/* Zoom into the selected row's binary, or out (NULL). */
void	delta_zoom(struct ui *ui, bool in);
/* A phrase for the header: "frozen baseline", "FILE" (caller frees). */
char	*delta_describe(const struct ui *ui);
/* Write the diff view as a text snapshot; the status line says where. */
void	delta_write(struct ui *ui);
/* Free what the view holds. */
void	delta_free(struct ui *ui);

#endif
