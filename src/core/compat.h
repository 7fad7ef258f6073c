/*
 * compat.h - force-included first in every rift translation unit (meson
 * adds -include).  It pulls in the libc headers that declare banned
 * functions, then banned.h, so that any later call to one fails to compile
 * (git's git-compat-util.h does the same).
 */
#ifndef RIFT_COMPAT_H
#define RIFT_COMPAT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "core/banned.h"

#endif
