#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "core/field.h"
#include "detect/winev.h"

static const char *const names[] = {
#define X(n) #n,
  WEV_NAMES(X)
#undef X
};

static uint32_t id_data[WEV__COUNT], id_user[WEV__COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void intern(void)
{
  char buf[128];
  size_t i;
  for(i = 0; i < WEV__COUNT; i++) {
    int n = snprintf(buf, sizeof(buf), "winlog.event_data.%s", names[i]);
    id_data[i] = rift_field_id(buf, (size_t)n);
    n = snprintf(buf, sizeof(buf), "winlog.user_data.%s", names[i]);
    id_user[i] = rift_field_id(buf, (size_t)n);
  }
}

void wev_init(void)
{
  pthread_once(&once, intern);
}

static const char *const src_names[WEV_SRC__COUNT] = {
  "other", "sysmon", "security", "eventlog", "scm", "taskscheduler",
  "powershell", "powershell-classic", "ts-lsm", "ts-rcm", "defender"
};

const char *wev_src_name(enum wev_src s)
{
  return (unsigned)s < WEV_SRC__COUNT ? src_names[s] : "other";
}

int wev_src_parse(const char *s)
{
  int i;
  for(i = 0; i < WEV_SRC__COUNT; i++) {
    if(!strcasecmp(s, src_names[i]))
      return i;
  }
  return -1;
}

enum wev_src wev_source(const struct rift_event *e)
{
  const char *p = e->provider;
  if(!p) {
    const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_PROVIDER_NAME);
    p = v && v->type == RIFT_V_STR ? v->s : NULL;
  }
  if(!p)
    return WEV_SRC_OTHER;
  if(!strncasecmp(p, "Microsoft-Windows-", 18)) {
    const char *q = p + 18;
    if(!strcasecmp(q, "Sysmon"))
      return WEV_SRC_SYSMON;
    if(!strcasecmp(q, "Security-Auditing"))
      return WEV_SRC_SECURITY;
    if(!strcasecmp(q, "Eventlog"))
      return WEV_SRC_EVENTLOG;
    if(!strcasecmp(q, "TaskScheduler"))
      return WEV_SRC_TASKSCHED;
    if(!strcasecmp(q, "PowerShell"))
      return WEV_SRC_POWERSHELL;
    if(!strcasecmp(q, "TerminalServices-LocalSessionManager"))
      return WEV_SRC_TS_LSM;
    if(!strcasecmp(q, "TerminalServices-RemoteConnectionManager"))
      return WEV_SRC_TS_RCM;
    if(!strcasecmp(q, "Windows Defender"))
      return WEV_SRC_DEFENDER;
    return WEV_SRC_OTHER;
  }
  if(!strcasecmp(p, "Service Control Manager"))
    return WEV_SRC_SCM;
  if(!strcasecmp(p, "PowerShell"))
    return WEV_SRC_PSCLASSIC;
  return WEV_SRC_OTHER;
}

unsigned wev_event_id(const struct rift_event *e)
{
  const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_EVENT_ID);
  uint64_t u;
  if(v) {
    if(v->type == RIFT_V_UINT)
      return v->u <= 0xffffffffu ? (unsigned)v->u : 0;
    if(v->type == RIFT_V_INT)
      return v->i >= 0 && v->i <= 0xffffffff ? (unsigned)v->i : 0;
    if(v->type == RIFT_V_STR && !wev_parse_u64(v->s, v->len, &u) &&
       u <= 0xffffffffu)
      return (unsigned)u;
  }
  if(e->code && !wev_parse_u64(e->code, strlen(e->code), &u) &&
     u <= 0xffffffffu)
    return (unsigned)u;
  return 0;
}

const struct rift_value *wev_val(const struct rift_event *e, enum wev_name n)
{
  const struct rift_value *v;
  if((unsigned)n >= WEV__COUNT)
    return NULL;
  v = rift_event_get(e, id_data[n]);
  if(!v)
    v = rift_event_get(e, id_user[n]);
  return v;
}

const char *wev_str(const struct rift_event *e, enum wev_name n, char *tmp,
                    size_t *len)
{
  const struct rift_value *v = wev_val(e, n);
  const char *s;
  size_t l = 0;
  if(!v)
    return NULL;
  s = rift_value_str(v, tmp, &l);
  if(!s || !l || (l == 1 && s[0] == '-'))
    return NULL;
  if(len)
    *len = l;
  return s;
}

int wev_parse_u64(const char *s, size_t n, uint64_t *out)
{
  uint64_t v = 0;
  size_t i = 0;
  int hex = 0;
  while(n && (s[0] == ' ' || s[0] == '\t')) {
    s++;
    n--;
  }
  while(n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if(n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    hex = 1;
    i = 2;
  }
  if(i >= n)
    return -1;
  for(; i < n; i++) {
    unsigned d;
    char c = s[i];
    if(c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if(hex && c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if(hex && c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return -1;
    if(hex) {
      if(v >> 60)
        return -1;
      v = v << 4 | d;
    } else {
      if(v > (UINT64_MAX - d) / 10)
        return -1;
      v = v * 10 + d;
    }
  }
  *out = v;
  return 0;
}

int wev_u64(const struct rift_event *e, enum wev_name n, uint64_t *out)
{
  const struct rift_value *v = wev_val(e, n);
  if(!v)
    return -1;
  switch(v->type) {
  case RIFT_V_UINT:
    *out = v->u;
    return 0;
  case RIFT_V_INT:
    if(v->i < 0)
      return -1;
    *out = (uint64_t)v->i;
    return 0;
  case RIFT_V_STR:
    return wev_parse_u64(v->s, v->len, out);
  default:
    return -1;
  }
}

const char *wev_channel(const struct rift_event *e)
{
  const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_CHANNEL);
  return v && v->type == RIFT_V_STR ? v->s : "";
}

uint32_t wev_field_id(enum wev_name n)
{
  return (unsigned)n < WEV__COUNT ? id_data[n] : 0;
}

const char *wev_name_str(enum wev_name n)
{
  return (unsigned)n < WEV__COUNT ? names[n] : "";
}

int wev_name_parse(const char *s, size_t n)
{
  size_t i;
  for(i = 0; i < WEV__COUNT; i++) {
    if(strlen(names[i]) == n && !memcmp(names[i], s, n))
      return (int)i;
  }
  return -1;
}

const char *wev_basename(const char *path, size_t *len)
{
  size_t n = *len, i = n;
  while(i > 0 && path[i - 1] != '\\' && path[i - 1] != '/')
    i--;
  *len = n - i;
  return path + i;
}

static inline char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

int wev_ieq(const char *a, size_t an, const char *b)
{
  size_t i;
  for(i = 0; i < an; i++) {
    if(!b[i] || lower(a[i]) != lower(b[i]))
      return 0;
  }
  return b[an] == 0;
}

int wev_icontains(const char *hay, size_t n, const char *needle)
{
  size_t m = strlen(needle), i, j;
  if(!m)
    return 1;
  if(m > n)
    return 0;
  for(i = 0; i + m <= n; i++) {
    for(j = 0; j < m; j++) {
      if(lower(hay[i + j]) != lower(needle[j]))
        break;
    }
    if(j == m)
      return 1;
  }
  return 0;
}
