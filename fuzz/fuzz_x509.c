/* libFuzzer harness: certificate facts through OpenSSL (DER input). */
#include <stddef.h>
#include <stdint.h>

#include "net/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_x509 x;
  struct rift_arena a;
  rift_arena_init(&a, 16u << 20);
  rift_x509_parse(&x, data, size, &a);
  rift_x509_validity(&x, 0);
  rift_arena_release(&a);
  return 0;
}
