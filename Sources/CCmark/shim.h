#ifndef GONOGO_CCMARK_SHIM_H
#define GONOGO_CCMARK_SHIM_H

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

/// CMARK_OPT_* are macros Swift imports only partly; these give them a stable name.
static inline int gonogo_cmark_opt_default(void) { return CMARK_OPT_DEFAULT; }
static inline int gonogo_cmark_opt_validate_utf8(void) { return CMARK_OPT_VALIDATE_UTF8; }

#endif
