/* libFuzzer harness: one frame of each link type through the decoder and
 * the fragment table.  The first byte picks the link type. */
#include <stddef.h>
#include <stdint.h>

#include "net/frag.h"
#include "net/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const int dlts[] = { RIFT_DLT_EN10MB, RIFT_DLT_RAW, RIFT_DLT_NULL,
                              RIFT_DLT_LOOP, RIFT_DLT_LINUX_SLL,
                              RIFT_DLT_LINUX_SLL2, RIFT_DLT_IPV6, 999 };
  struct rift_frag fr;
  struct rift_pkt p = { 0 };
  size_t i;
  if(!size)
    return 0;
  rift_frag_init(&fr);
  /* the rest is decoded twice: fragments of the same datagram meet */
  for(i = 0; i < 2; i++)
    rift_pkt_decode(&p, dlts[data[0] & 7], data + 1, size - 1, &fr);
  rift_frag_release(&fr);
  return 0;
}
