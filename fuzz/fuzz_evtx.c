/* libFuzzer harness: the whole EVTX path (file header, chunks, records,
 * BinXML, JSON and XML rendering, event conversion) over a memory source. */
#include <stddef.h>
#include <stdint.h>

#include "fmt/evtx.h"

static rift_err on_record(void *arg, const struct rift_evtx_record *r)
{
  struct rift_buf *b = arg;
  struct rift_batch batch;
  rift_buf_reset(b);
  /* lazy records: programs recorded and replayed, then the tree */
  if(rift_evtx_render(b, r, RIFT_EVTX_JSON) == RIFT_CORRUPT)
    return RIFT_CORRUPT;
  rift_evtx_render(b, r, RIFT_EVTX_XML);
  rift_evtx_render(b, r, RIFT_EVTX_JSON_PRETTY);
  rift_batch_init(&batch);
  rift_evtx_to_event(&batch, rift_batch_add(&batch), r);
  rift_batch_release(&batch);
  return RIFT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_source src;
  struct rift_evtx e;
  struct rift_evtx_ctx *c;
  struct rift_evtx_stats st = { 0 };
  struct rift_buf b;
  size_t i;
  rift_source_mem(&src, data, size, "fuzz");
  if(rift_evtx_open(&e, &src, NULL) || rift_evtx_ctx_new(&c))
    return 0;
  rift_buf_init(&b, RIFT_BUF_MAX_RECORD);
  for(i = 0; i < e.nslots && i < 64; i++)
    rift_evtx_chunk(&e, c, i, RIFT_EVTX_CARVE | RIFT_EVTX_LAZY, on_record, &b,
                    NULL, &st);
  rift_buf_release(&b);
  rift_evtx_ctx_free(&c);
  return 0;
}
