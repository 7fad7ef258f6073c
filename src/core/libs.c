/* libs.c - the call tables of core/libcrypto.h and core/libsqlite.h. */
#define RIFT_LIBCRYPTO_TABLE /* the real names, for __typeof__ and dlsym */
#define RIFT_LIBSQLITE_TABLE

#include "core/dlib.h"
#include "core/libcrypto.h"
#include "core/libsqlite.h"

#define RIFT_DLIB_TSYM_libcrypto(f) { #f, (void **)&rift_libcrypto_fn.f },
#define RIFT_DLIB_TSYM_libsqlite(f) { #f, (void **)&rift_libsqlite_fn.f },

RIFT_DLIB_TABLE_DEFINE(libcrypto, RIFT_CRYPTO_SYMS, "libssl3",
                       "libcrypto.so.3")
RIFT_DLIB_TABLE_DEFINE(libsqlite, RIFT_SQLITE_SYMS, "libsqlite3-0",
                       "libsqlite3.so.0")
