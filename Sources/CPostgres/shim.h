#ifndef GONOGO_CPOSTGRES_SHIM_H
#define GONOGO_CPOSTGRES_SHIM_H

#include <libpq-fe.h>

#endif
