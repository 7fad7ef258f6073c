/* libFuzzer harness: the endpoint rules loader (libyaml, PCRE2) over any
 * bytes as a rules file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/eprules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_eprules *r = NULL;
  const char *names[1] = { "fuzz.yaml" };
  const char *texts[1];
  char *t = malloc(size + 1);
  if(!t)
    return 0;
  memcpy(t, data, size);
  t[size] = 0;
  texts[0] = t;
  if(!rift_eprules_load_texts(&r, names, texts, 1, NULL))
    rift_eprules_free(&r);
  free(t);
  return 0;
}
