/* libFuzzer harness: a whole capture (pcap or pcapng, libpcap) through the
 * packet engine and every application parser, events built and dropped. */
#include "fuzz_parse.h"
#include "net/pcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_parse(rift_pcap_parse, data, size, NULL, RIFT_PCAP_X509);
  /* rift's own pcapng block walker */
  fuzz_parse(rift_pcap_parse, data, size, NULL, RIFT_PCAP_NG_WALK);
  return 0;
}
