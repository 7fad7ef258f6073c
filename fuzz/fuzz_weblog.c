/* libFuzzer harness: the web access log reader (request end search,
 * quoted fields, time, URL split) and its sniffer over a memory source. */
#include <stddef.h>
#include <stdint.h>

#include "fmt/weblog.h"

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
  rift_weblog_sniff(data, size, "fuzz/access.log", size);
  rift_source_mem(&src, data, size, "fuzz");
  o.path = "fuzz/access.log";
  rift_weblog_parse(&src, &o, &sink, NULL, &st);
  return 0;
}
