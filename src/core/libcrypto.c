/* libcrypto.c - the table behind core/libcrypto.h, filled on first use. */
#define RIFT_LIBCRYPTO_TABLE /* the real names, for __typeof__ and dlsym */
#include <stdio.h>
#include <stdlib.h>

#include "core/dlib.h"
#include "core/libcrypto.h"

struct rift_libcrypto rift_libcrypto_fn;
int rift_libcrypto_ready;

#define RIFT_CRYPTO_SYM(f) { #f, (void **)&rift_libcrypto_fn.f },
static const struct rift_dlsym syms[] = { RIFT_CRYPTO_SYMS(RIFT_CRYPTO_SYM) };
static struct rift_dlib lib = RIFT_DLIB("libssl3", syms, "libcrypto.so.3");

void rift_libcrypto_load(void)
{
  if(rift_dlib_load(&lib)) {
    fprintf(stderr, "rift: %s\n", lib.why);
    exit(128);
  }
  __atomic_store_n(&rift_libcrypto_ready, 1, __ATOMIC_RELEASE);
}
