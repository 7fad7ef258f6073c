/* libFuzzer harness: the events.fields JSON column (src/store/fjson.c),
 * which a user may have edited.  Parse, encode, parse again: the second
 * encoding must equal the first (the form is stable). */
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_batch b;
  struct rift_event *e, *e2;
  struct rift_buf o1, o2;
  struct blk *k = blk_new(BLK_EVENTS, EVC__COUNT);
  if(!k)
    return 0;
  rift_batch_init(&b);
  rift_buf_init(&o1, RIFT_BUF_MAX_RECORD);
  rift_buf_init(&o2, RIFT_BUF_MAX_RECORD);
  e = rift_batch_add(&b);
  if(e && !store_fields_parse_cached(&b, e, (const char *)data, size, NULL) &&
     !store_fields_json(k, &o1, e)) {
    e2 = rift_batch_add(&b);
    e = &b.ev[0]; /* the array may have moved */
    if(e2 && !store_fields_parse_cached(&b, e2, o1.buf, o1.len, NULL) &&
       !store_fields_json(k, &o2, e2) &&
       (o1.len != o2.len || memcmp(o1.buf, o2.buf, o1.len)))
      abort();
  }
  rift_buf_release(&o1);
  rift_buf_release(&o2);
  rift_batch_release(&b);
  blk_free(k);
  return 0;
}
