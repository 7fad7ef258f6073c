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

/*
 * Libraries rift always needs but not at every start (libcrypto, SQLite):
 * every call goes through a table filled on the first call from any
 * thread, so no caller has to load it first.  One header per library
 * includes the library's own headers, then
 *
 *   #define SQ_SYMS(X) X(sqlite3_open_v2) X(sqlite3_close) ...
 *   RIFT_DLIB_TABLE(libsqlite, SQ_SYMS)
 *   #define sqlite3_open_v2 (*rift_libsqlite()->sqlite3_open_v2)
 *   ...
 *
 * and one .c file, with RIFT_DLIB_TABLE_DEFINE(libsqlite, SQ_SYMS, package,
 * soname) and without those #defines, fills it.  Failing to load is fatal
 * (exit 128) with the package to install.
 */
#define RIFT_DLIB_MEMBER(f) __typeof__(f) *f;
#define RIFT_DLIB_TABLE(name, SYMS)                                        \
  struct rift_##name {                                                     \
    SYMS(RIFT_DLIB_MEMBER)                                                 \
  };                                                                       \
  extern struct rift_##name rift_##name##_fn;                              \
  extern int rift_##name##_ready;                                          \
  void rift_##name##_load(void);                                           \
  static inline const struct rift_##name *rift_##name(void)                \
  {                                                                        \
    if(!__atomic_load_n(&rift_##name##_ready, __ATOMIC_ACQUIRE))           \
      rift_##name##_load();                                                \
    return &rift_##name##_fn;                                              \
  }
#define RIFT_DLIB_TABLE_DEFINE(name, SYMS, pkg, soname)                    \
  struct rift_##name rift_##name##_fn;                                     \
  int rift_##name##_ready;                                                 \
  void rift_##name##_load(void)                                            \
  {                                                                        \
    static const struct rift_dlsym syms[] = { SYMS(RIFT_DLIB_TSYM_##name) }; \
    static struct rift_dlib lib = RIFT_DLIB(pkg, syms, soname);            \
    rift_dlib_load_or_die(&lib, &rift_##name##_ready);                     \
  }

/* rift_dlib_load, then mark *ready; on failure the reason on stderr and
 * exit(128). */
void rift_dlib_load_or_die(struct rift_dlib *lib, int *ready);

/* Opens the library and resolves every symbol, once per process (safe from
 * any thread).  RIFT_OK, or RIFT_UNSUPPORTED with lib->why saying which
 * library or symbol is missing and which package provides it. */
rift_err rift_dlib_load(struct rift_dlib *lib);

#endif
