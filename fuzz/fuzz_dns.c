/* libFuzzer harness: DNS messages (names, compression, answers). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "net/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_dns_msg *m = malloc(sizeof(*m));
  struct rift_arena a;
  if(!m)
    return 0;
  rift_arena_init(&a, 16u << 20);
  rift_dns_parse(m, data, size, &a);
  rift_arena_release(&a);
  free(m);
  return 0;
}
