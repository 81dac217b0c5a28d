/* Translation markers shared by every module. */
#ifndef RS_I18N_H
#define RS_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
