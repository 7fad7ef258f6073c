/* libFuzzer harness: the Sigma rule loader and compiler (YAML, rule
 * documents, modifiers, conditions, correlations, filters) over one rule
 * file, then one match against a small event. */
#include <stddef.h>
#include <stdint.h>

#include "core/field.h"
#include "detect/sigma/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_sigma *s;
  struct rift_sigma_scratch *scr;
  struct rift_batch b;
  struct rift_event *ev;
  uint32_t hits[8];
  if(rift_sigma_new(&s))
    return 0;
  rift_sigma_add_builtin_mappings(s, NULL);
  rift_sigma_add_text(s, (const char *)data, size, "fuzz");
  rift_sigma_compile(s);
  if(!rift_sigma_scratch_new(s, &scr)) {
    rift_batch_init(&b);
    ev = rift_batch_add(&b);
    ev->kind = RIFT_KIND_EVTX;
    rift_event_add_str(&b, ev, RIFT_F_WINLOG_CHANNEL, "Security", 8);
    rift_event_add_uint(&b, ev, RIFT_F_WINLOG_EVENT_ID, 4688);
    rift_event_add_str(&b, ev, rift_field_id("winlog.event_data.CommandLine", 29),
                       "cmd.exe /c whoami", 17);
    rift_sigma_match(s, scr, ev, hits, 8);
    rift_batch_release(&b);
    rift_sigma_scratch_free(&scr);
  }
  rift_sigma_free(&s);
  return 0;
}
