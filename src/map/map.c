/*
 * map.c - normalisation entry points (map.h): per source kind.
 */
#include <string.h>

#include "map/map-int.h"

#define MAX_DATASET 96

/* event.dataset of a Windows event: "windows." + the channel in lower
 * case with every run of other characters turned into '_', without the
 * "Microsoft-Windows-" or "Windows " prefix ("windows.security",
 * "windows.sysmon_operational", "windows.powershell"). */
static rift_err winlog_dataset(struct rift_batch *b, struct rift_event *e)
{
  const struct rift_value *ch = rift_event_get(e, RIFT_F_WINLOG_CHANNEL);
  char d[MAX_DATASET];
  const char *s;
  size_t n, i, len = 8;
  if(!ch || ch->type != RIFT_V_STR || !ch->len)
    return RIFT_OK;
  s = ch->s;
  n = ch->len;
  if(n > 18 && !strncasecmp(s, "microsoft-windows-", 18)) {
    s += 18;
    n -= 18;
  }
  else if(n > 8 && !strncasecmp(s, "windows ", 8)) {
    s += 8;
    n -= 8;
  }
  memcpy(d, "windows.", 8);
  for(i = 0; i < n && len < sizeof(d) - 1; i++) {
    char c = s[i];
    if(c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      if(d[len - 1] == '_' || d[len - 1] == '.')
        continue;
      c = '_';
    }
    d[len++] = c;
  }
  while(len > 8 && d[len - 1] == '_')
    len--;
  e->dataset = rift_batch_str(b, d, len);
  return e->dataset ? RIFT_OK : RIFT_NOMEM;
}

rift_err rift_map_event(struct rift_batch *b, struct rift_event *e)
{
  rift_err rc;
  switch(e->kind) {
  case RIFT_KIND_EVTX:
    rc = winlog_dataset(b, e);
    if(!rc)
      rc = map_winlog(b, e);
    return rc;
  default:
    return RIFT_OK;
  }
}

rift_err rift_map_batch(struct rift_batch *b)
{
  size_t i;
  for(i = 0; i < b->n; i++) {
    rift_err rc = rift_map_event(b, &b->ev[i]);
    /* a field that does not fit (RIFT_LIMIT) leaves the event as is */
    if(rc == RIFT_NOMEM)
      return rc;
  }
  return RIFT_OK;
}

rift_err rift_map_prepare(void *ctx, struct rift_batch *b)
{
  (void)ctx;
  return rift_map_batch(b);
}
