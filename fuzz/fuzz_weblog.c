/* libFuzzer harness: the web access log reader (request end search,
 * quoted fields, time, URL split) and its sniffer over a memory source. */
#include "fuzz_parse.h"
#include "fmt/weblog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  rift_weblog_sniff(data, size, "fuzz/access.log", size);
  fuzz_parse(rift_weblog_parse, data, size, "fuzz/access.log", 0);
  return 0;
}
