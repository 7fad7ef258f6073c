/*
 * dlib.h - optional libraries, opened when first needed.
 *
 * libarchive (with libxml2, ICU, libstdc++, nettle...) and libpcap (with
 * libdbus, libsystemd, libgcrypt...) bring 17 of the 27 shared objects a
 * fully linked rift loads, and more than half of its start-up time (1.1 of
 * 2.1 ms, spent by the dynamic loader resolving their symbols), yet only
 * archive and capture input needs them.  So they are not linked: the code
 * that reads archives or captures declares the functions it calls as
 * pointers (RIFT_DLIB_PTR) and loads them with rift_dlib_load() first.
 *
 *   #define AR_SYMS(X) X(archive_read_new) X(archive_read_free)
 *   AR_SYMS(RIFT_DLIB_PTR)               -> static ... *sym_archive_read_new;
 *   static const struct rift_dlsym ar_syms[] = { AR_SYMS(RIFT_DLIB_SYM) };
 *   static struct rift_dlib ar = RIFT_DLIB("libarchive13", ar_syms,
 *                                          "libarchive.so.13");
 *   if(rift_dlib_load(&ar)) -> report ar.why, skip the input
 *
 * Prototypes come from the library's own header (__typeof__), so a call
 * through sym_f is checked exactly like a call to f.
 */
#ifndef RIFT_DLIB_H
#define RIFT_DLIB_H

#include <pthread.h>
#include <stddef.h>

#include "core/err.h"

struct rift_dlsym {
  const char *name;
  void **fn;
};

struct rift_dlib {
  const char *package;            /* Debian package, for the message */
  const struct rift_dlsym *syms;
  size_t nsyms;
  const char *sonames[4];         /* tried in order, NULL-terminated */
  pthread_mutex_t mu;
  int state;                      /* 0 not tried, 1 loaded, -1 failed */
  char why[256];                  /* why loading failed */
};

#define RIFT_DLIB_PTR(f) static __typeof__(f) *sym_##f;
#define RIFT_DLIB_SYM(f) { #f, (void **)&sym_##f },
#define RIFT_DLIB(pkg, syms, ...)                                          \
  { (pkg), (syms), sizeof(syms) / sizeof((syms)[0]), { __VA_ARGS__ },      \
    PTHREAD_MUTEX_INITIALIZER, 0, "" }

/* Opens the library and resolves every symbol, once per process (safe from
 * any thread).  RIFT_OK, or RIFT_UNSUPPORTED with lib->why saying which
 * library or symbol is missing and which package provides it. */
rift_err rift_dlib_load(struct rift_dlib *lib);

#endif
