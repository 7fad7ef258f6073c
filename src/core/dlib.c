#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/dlib.h"

static rift_err load(struct rift_dlib *lib)
{
  void *h = NULL;
  size_t i;
  char first[160] = "not found";
  for(i = 0; i < sizeof(lib->sonames) / sizeof(lib->sonames[0]) &&
             lib->sonames[i] && !h; i++) {
    h = dlopen(lib->sonames[i], RTLD_NOW | RTLD_LOCAL);
    if(!h && !i) {
      const char *e = dlerror(); /* the first name's reason is the one */
      if(e)
        snprintf(first, sizeof(first), "%s", e);
    }
  }
  if(!h) {
    snprintf(lib->why, sizeof(lib->why),
             "cannot load %s (install the Debian package %s): %s",
             lib->sonames[0] ? lib->sonames[0] : "?", lib->package, first);
    return RIFT_UNSUPPORTED;
  }
  for(i = 0; i < lib->nsyms; i++) {
    void *f = dlsym(h, lib->syms[i].name);
    if(!f) {
      snprintf(lib->why, sizeof(lib->why),
               "%s has no %s (too old? install the Debian package %s)",
               lib->sonames[0], lib->syms[i].name, lib->package);
      return RIFT_UNSUPPORTED; /* the handle stays open: harmless */
    }
    *lib->syms[i].fn = f;
  }
  return RIFT_OK;
}

rift_err rift_dlib_load(struct rift_dlib *lib)
{
  rift_err rc;
  pthread_mutex_lock(&lib->mu);
  if(!lib->state)
    lib->state = load(lib) ? -1 : 1;
  rc = lib->state > 0 ? RIFT_OK : RIFT_UNSUPPORTED;
  pthread_mutex_unlock(&lib->mu);
  return rc;
}

void rift_dlib_load_or_die(struct rift_dlib *lib, int *ready)
{
  if(rift_dlib_load(lib)) {
    fprintf(stderr, "rift: %s\n", lib->why);
    exit(128);
  }
  __atomic_store_n(ready, 1, __ATOMIC_RELEASE);
}
