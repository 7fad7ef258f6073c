/* libFuzzer harness: HTTP/1.x headers and bodies, both directions, and
 * QUIC Initial datagrams (header protection, frames, crypto stream). */
#include <stddef.h>
#include <stdint.h>

#include "net/http.h"
#include "net/quic.h"

static void done(void *ctx, const struct rift_http_txn *t)
{
  (void)ctx;
  (void)t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_http h;
  struct rift_quic q;
  size_t cut = size ? data[0] % (size + 1) : 0;
  rift_http_init(&h);
  rift_http_feed(&h, 0, data, cut, 0, 1, 0, done, NULL);
  rift_http_feed(&h, 1, data + cut, size - cut, 0, 2, 0, done, NULL);
  rift_http_flush(&h, done, NULL);
  rift_http_release(&h);
  rift_quic_init(&q);
  rift_quic_datagram(&q, 0, data, size, 0, 1);
  rift_quic_datagram(&q, 1, data, size, 0, 2);
  rift_quic_release(&q);
  return 0;
}
