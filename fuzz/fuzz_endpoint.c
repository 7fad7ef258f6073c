/* libFuzzer harness: EVTX records turned into events and fed to the
 * endpoint analytics (process tree, indicators, behaviour, logons) with
 * the built-in rules: hostile field values (pids, guids, times, command
 * lines) through the whole engine. */
#include <stddef.h>
#include <stdint.h>

#include "detect/endpoint.h"
#include "fmt/evtx.h"

static rift_err on_record(void *arg, const struct rift_evtx_record *r)
{
  struct rift_batch *b = arg;
  struct rift_event *e = rift_batch_add(b);
  if(!e)
    return RIFT_NOMEM;
  if(rift_evtx_to_event(b, e, r))
    b->n--; /* a damaged record is not an event */
  else
    e->file_id = 1;
  return RIFT_OK;
}

static rift_err drop(void *ctx, const struct rift_finding *f)
{
  (void)ctx;
  (void)f;
  return RIFT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct rift_eprules *rules;
  struct rift_source src;
  struct rift_evtx e;
  struct rift_evtx_ctx *c;
  struct rift_evtx_stats st = { 0 };
  struct rift_batch b;
  struct rift_endpoint ep;
  struct rift_finding_sink sink = { drop, NULL };
  size_t i;
  if(!rules && rift_eprules_load(&rules, NULL, NULL))
    return 0;
  rift_source_mem(&src, data, size, "fuzz");
  if(rift_evtx_open(&e, &src, NULL) || rift_evtx_ctx_new(&c))
    return 0;
  rift_batch_init(&b);
  rift_endpoint_init(&ep, rules, RIFT_EP_ALL);
  for(i = 0; i < e.nslots && i < 16; i++) {
    rift_batch_clear(&b);
    rift_evtx_chunk(&e, c, i, RIFT_EVTX_CARVE, on_record, &b, NULL, &st);
    rift_endpoint_add_batch(&ep, &b);
  }
  rift_endpoint_finish(&ep, &sink);
  rift_endpoint_release(&ep);
  rift_batch_release(&b);
  rift_evtx_ctx_free(&c);
  return 0;
}
