/*
 * The S key: the screen's current settings (event, rate, refresh, sort
 * and order, window, grouping, colours, call graphs) written to the
 * settings file, which the next start reads under the command line.
 */
#ifndef RS_UI_SETTINGS_H
#define RS_UI_SETTINGS_H

struct ui;

/* Save the settings; the status line says where, or why not. */
void settings_save(struct ui *ui);

#endif
