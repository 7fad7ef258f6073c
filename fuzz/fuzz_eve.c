/* libFuzzer harness: the eve log reader (lines, JSON flattening, TSV
 * headers and escapes, mapping to events) over a memory source. */
#include "fuzz_parse.h"
#include "fmt/eve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_parse(rift_eve_parse, data, size, "fuzz/ssl.log", 0);
  return 0;
}
