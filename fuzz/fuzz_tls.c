/* libFuzzer harness: the TLS stream parser (both directions, records split
 * at a fuzzer-chosen point), DTLS datagrams, hello parsing and the
 * JA3/JA4 fingerprints of whatever hellos come out. */
#include <stddef.h>
#include <stdint.h>

#include "net/ja3.h"
#include "net/ja4.h"
#include "net/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_tls t;
  struct rift_buf b;
  size_t cut = size ? data[0] % (size + 1) : 0;
  unsigned i;
  char ja4[RIFT_JA4_LEN + 1], md5[RIFT_MD5_HEX];
  rift_tls_init(&t);
  rift_tls_feed(&t, 0, data, cut, 0, 1);
  rift_tls_feed(&t, 1, data + cut, size - cut, 0, 2);
  rift_tls_feed(&t, 0, data + cut, size - cut, 0, 3);
  rift_buf_init(&b, 1u << 20);
  for(i = 0; i < t.nhello; i++) {
    rift_buf_reset(&b);
    rift_ja3_string(&b, t.hello[i]);
    rift_md5_hex(md5, b.buf, b.len);
    rift_ja4(ja4, t.hello[i], 't');
    rift_ja4_raw(&b, t.hello[i], 't', 1);
  }
  rift_tls_release(&t);
  rift_tls_init(&t);
  rift_tls_feed_dtls(&t, 0, data, size, 0, 1);
  rift_tls_feed_handshake(&t, 1, data, size, 0, 1);
  rift_tls_release(&t);
  rift_buf_release(&b);
  return 0;
}
