/* libFuzzer harness: a whole capture (pcap or pcapng, libpcap) through the
 * packet engine and every application parser, events built and dropped. */
#include <stddef.h>
#include <stdint.h>

#include "net/pcap.h"

static rift_err drop(void *ctx, struct rift_batch *b)
{
  (void)ctx;
  (void)b;
  return RIFT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_source src;
  struct rift_parse_opts o = { 0 };
  struct rift_event_sink sink = { NULL, drop, NULL };
  struct rift_parse_stats st = { 0 };
  rift_source_mem(&src, data, size, "fuzz");
  o.flags = RIFT_PCAP_X509;
  rift_pcap_parse(&src, &o, &sink, NULL, &st);
  o.flags = RIFT_PCAP_NG_WALK; /* rift's own pcapng block walker */
  rift_pcap_parse(&src, &o, &sink, NULL, &st);
  return 0;
}
