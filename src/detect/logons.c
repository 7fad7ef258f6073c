/*
 * logons.c - the logon table and the logon detectors.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/field.h"
#include "core/rtime.h"
#include "detect/endpoint-int.h"
#include "detect/logons.h"
#include "detect/winev.h"

static const char *const kind_names[RIFT_LK__COUNT] = {
  "logon", "logoff", "explicit_credentials", "special_privileges", "ntlm",
  "kerberos_tgt", "kerberos_service", "kerberos_preauth", "rdp_auth",
  "rdp_session", "rdp_end", "session_reconnect", "session_disconnect",
  "sql", "ssh"
};

const char *rift_logon_kind_name(unsigned k)
{
  return k < RIFT_LK__COUNT ? kind_names[k] : "?";
}

const char *rift_logon_type_name(int type)
{
  switch(type) {
  case 0: return "System";
  case 2: return "Interactive";
  case 3: return "Network";
  case 4: return "Batch";
  case 5: return "Service";
  case 7: return "Unlock";
  case 8: return "NetworkCleartext";
  case 9: return "NewCredentials";
  case 10: return "RemoteInteractive";
  case 11: return "CachedInteractive";
  case 12: return "CachedRemoteInteractive";
  case 13: return "CachedUnlock";
  default: return NULL;
  }
}

void rift_logons_init(struct rift_logons *lg)
{
  memset(lg, 0, sizeof(*lg));
  rift_hmap_init(&lg->index, RIFT_LG_MAX_ROWS);
  rift_hmap_init(&lg->strings, RIFT_LG_MAX_ROWS * 4);
  wev_init();
}

void rift_logons_release(struct rift_logons *lg)
{
  free(lg->rows);
  free(lg->att);
  free(lg->order);
  rift_hmap_release(&lg->index);
  rift_hmap_release(&lg->strings);
  memset(lg, 0, sizeof(*lg));
}

static const char *intern(struct rift_logons *lg, const char *s, size_t n)
{
  union rift_hval *v;
  int isnew;
  if(!s)
    return NULL;
  v = rift_hmap_get(&lg->strings, s, n);
  if(v)
    return v->p;
  if(lg->strbytes + n + 1 > RIFT_LG_MAX_STRBYTES ||
     rift_hmap_put(&lg->strings, s, n, &v, &isnew)) {
    lg->st.dropped_strings++;
    return NULL;
  }
  if(isnew) {
    v->p = (void *)rift_hmap_entry(&lg->strings, s, n)->key;
    lg->strbytes += n + 1;
  }
  return v->p;
}

static const char *str(struct rift_logons *lg, const struct rift_event *e,
                       enum wev_name n)
{
  char tmp[32];
  size_t len = 0;
  const char *s = wev_str(e, n, tmp, &len);
  return s ? intern(lg, s, len) : NULL;
}

static const char *lower_intern(struct rift_logons *lg, const char *s)
{
  char buf[256];
  size_t n, i;
  if(!s)
    return NULL;
  n = strlen(s);
  if(n >= sizeof(buf))
    n = sizeof(buf) - 1;
  for(i = 0; i < n; i++)
    buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
  return intern(lg, buf, n);
}

static const char *host_of(struct rift_logons *lg, const struct rift_event *e)
{
  const char *h = e->host;
  if(!h) {
    const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_COMPUTER);
    h = v && v->type == RIFT_V_STR ? v->s : "";
  }
  return lower_intern(lg, h);
}

static const char *join(struct rift_logons *lg, const char *dom,
                        const char *user)
{
  char buf[512];
  int n;
  if(!user)
    return NULL;
  if(!dom || strchr(user, '\\') || strchr(user, '@'))
    return user;
  n = snprintf(buf, sizeof(buf), "%s\\%s", dom, user);
  if(n < 0 || (size_t)n >= sizeof(buf))
    return user;
  return intern(lg, buf, (size_t)n);
}

/* An address worth reporting: drops "-", "::ffff:" prefixes. */
static const char *address(struct rift_logons *lg, const char *ip)
{
  if(!ip || !strcmp(ip, "-"))
    return NULL;
  if(!strncasecmp(ip, "::ffff:", 7))
    return intern(lg, ip + 7, strlen(ip + 7));
  return ip;
}

static int local_address(const char *ip)
{
  return !ip || !strcmp(ip, "127.0.0.1") || !strcmp(ip, "::1") ||
         !strcasecmp(ip, "LOCAL");
}

static int machine_account(const char *user)
{
  size_t n = user ? strlen(user) : 0;
  return n && user[n - 1] == '$';
}

/* Status 0x0 and "%%..." success placeholders count as success. */
static int status_ok(const char *s)
{
  uint64_t v;
  if(!s)
    return 1;
  if(wev_parse_u64(s, strlen(s), &v))
    return 0;
  return v == 0;
}

struct rowkey {
  const char *host, *user, *source, *subject;
  int type;
  unsigned kind;
};

static struct rift_logon_row *row(struct rift_logons *lg,
                                  const struct rowkey *k)
{
  char key[1024];
  union rift_hval *v;
  struct rift_logon_row *r;
  int isnew, n;
  size_t i;
  n = snprintf(key, sizeof(key), "%s|%s|%s|%s|%d|%u", k->host ? k->host : "",
               k->user ? k->user : "", k->source ? k->source : "",
               k->subject ? k->subject : "", k->type, k->kind);
  if(n < 0)
    return NULL;
  if((size_t)n >= sizeof(key))
    n = sizeof(key) - 1;
  for(i = 0; i < (size_t)n; i++)
    key[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] + 32) : key[i];
  v = rift_hmap_get(&lg->index, key, (size_t)n);
  if(v)
    return &lg->rows[v->u - 1];
  if(lg->nrows >= RIFT_LG_MAX_ROWS) {
    lg->st.dropped_rows++;
    return NULL;
  }
  if(lg->nrows == lg->caprows) {
    uint32_t ncap = lg->caprows ? lg->caprows * 2 : 256;
    struct rift_logon_row *nr = realloc(lg->rows, (size_t)ncap * sizeof(*nr));
    if(!nr)
      return NULL;
    lg->rows = nr;
    lg->caprows = ncap;
  }
  if(rift_hmap_put(&lg->index, key, (size_t)n, &v, &isnew))
    return NULL;
  v->u = lg->nrows + 1;
  r = &lg->rows[lg->nrows++];
  memset(r, 0, sizeof(*r));
  r->host = k->host;
  r->user = k->user;
  r->source_ip = k->source;
  r->subject = k->subject;
  r->logon_type = k->type;
  r->kind = (uint8_t)k->kind;
  r->first = r->last = RIFT_TIME_NONE;
  return r;
}

static void count(struct rift_logon_row *r, const struct rift_event *e,
                  unsigned id, int ok)
{
  unsigned i;
  struct rift_event_ref ref = ep_ref(e);
  if(ok)
    r->success++;
  else
    r->failure++;
  if(e->ts != RIFT_TIME_NONE) {
    if(r->first == RIFT_TIME_NONE || e->ts < r->first) {
      r->first = e->ts;
      r->first_ref = ref;
    }
    if(r->last == RIFT_TIME_NONE || e->ts > r->last) {
      r->last = e->ts;
      r->last_ref = ref;
    }
  } else if(!r->first_ref.file_id) {
    r->first_ref = r->last_ref = ref;
  }
  for(i = 0; i < r->nids; i++) {
    if(r->ids[i] == id)
      return;
  }
  if(r->nids < RIFT_LG_MAX_IDS)
    r->ids[r->nids++] = (uint16_t)id;
}

static void attempt(struct rift_logons *lg, const struct rift_event *e,
                    const struct rowkey *k, int ok, unsigned flags,
                    const char *target_server, const char *process)
{
  struct rift_logon_attempt *a;
  if(lg->natt >= RIFT_LG_MAX_ATTEMPTS) {
    lg->st.dropped_attempts++;
    return;
  }
  if(lg->natt == lg->capatt) {
    uint32_t ncap = lg->capatt ? lg->capatt * 2 : 1024;
    struct rift_logon_attempt *na = realloc(lg->att, (size_t)ncap * sizeof(*na));
    if(!na) {
      lg->st.dropped_attempts++;
      return;
    }
    lg->att = na;
    lg->capatt = ncap;
  }
  a = &lg->att[lg->natt++];
  memset(a, 0, sizeof(*a));
  a->ts = e->ts;
  a->host = k->host;
  a->user = k->user;
  a->source = k->source;
  a->subject = k->subject;
  a->target_server = target_server;
  a->process = process;
  a->kind = (uint8_t)k->kind;
  a->success = (uint8_t)(ok != 0);
  a->logon_type = (int8_t)(k->type >= -1 && k->type < 100 ? k->type : -1);
  a->flags = (uint8_t)flags;
  if(machine_account(k->user))
    a->flags |= RIFT_LA_MACHINE;
  if(local_address(k->source))
    a->flags |= RIFT_LA_LOCALSRC;
  a->ref = ep_ref(e);
}

static int logon_type(const struct rift_event *e)
{
  uint64_t t;
  if(wev_u64(e, WEV_LogonType, &t) || t > 99)
    return -1;
  return (int)t;
}

/* "DOMAIN\user" from a User field as LocalSessionManager writes it. */
static rift_err add_security(struct rift_logons *lg,
                             const struct rift_event *e, unsigned id)
{
  struct rowkey k;
  struct rift_logon_row *r;
  const char *s;
  int ok = 1;
  unsigned flags = 0;
  memset(&k, 0, sizeof(k));
  k.type = -1;
  k.host = host_of(lg, e);
  switch(id) {
  case 4624:
  case 4625: {
    const char *lp, *ap, *ws;
    uint64_t keylen = 1;
    k.kind = RIFT_LK_LOGON;
    k.user = join(lg, str(lg, e, WEV_TargetDomainName),
                  str(lg, e, WEV_TargetUserName));
    k.source = address(lg, str(lg, e, WEV_IpAddress));
    k.type = logon_type(e);
    ok = id == 4624;
    r = row(lg, &k);
    if(!r)
      return RIFT_OK;
    lp = str(lg, e, WEV_LogonProcessName);
    ap = str(lg, e, WEV_AuthenticationPackageName);
    ws = str(lg, e, WEV_WorkstationName);
    if(!r->workstation)
      r->workstation = ws;
    if(!r->auth)
      r->auth = ap ? ap : lp;
    if(!ok && !r->status) {
      r->status = str(lg, e, WEV_SubStatus);
      if(!r->status || !strcmp(r->status, "0x0"))
        r->status = str(lg, e, WEV_Status);
    }
    count(r, e, id, ok);
    if(ok && k.type == 9 && lp && !strncasecmp(lp, "seclogo", 7))
      flags |= RIFT_LA_SECLOGO;
    wev_u64(e, WEV_KeyLength, &keylen);
    if(ok && k.type == 3 && ap && !strcasecmp(ap, "NTLM") && keylen == 0)
      flags |= RIFT_LA_NTLM_KEY0;
    s = str(lg, e, WEV_TargetUserSid);
    if((s && !strcmp(s, "S-1-5-7")) ||
       (k.user && wev_icontains(k.user, strlen(k.user), "ANONYMOUS LOGON")))
      flags |= RIFT_LA_ANON;
    if(!k.source && ws)
      k.source = ws; /* failures from NTLM clients name only a host */
    attempt(lg, e, &k, ok, flags, NULL, str(lg, e, WEV_ProcessName));
    return RIFT_OK;
  }
  case 4634:
  case 4647:
    k.kind = RIFT_LK_LOGOFF;
    k.user = join(lg, str(lg, e, WEV_TargetDomainName),
                  str(lg, e, WEV_TargetUserName));
    k.type = logon_type(e);
    break;
  case 4648: {
    const char *ts = str(lg, e, WEV_TargetServerName);
    k.kind = RIFT_LK_EXPLICIT;
    k.user = join(lg, str(lg, e, WEV_TargetDomainName),
                  str(lg, e, WEV_TargetUserName));
    k.subject = join(lg, str(lg, e, WEV_SubjectDomainName),
                     str(lg, e, WEV_SubjectUserName));
    k.source = address(lg, str(lg, e, WEV_IpAddress));
    r = row(lg, &k);
    if(!r)
      return RIFT_OK;
    if(!r->target_server)
      r->target_server = ts;
    if(!r->auth)
      r->auth = str(lg, e, WEV_ProcessName);
    count(r, e, id, 1);
    attempt(lg, e, &k, 1, 0, ts, str(lg, e, WEV_ProcessName));
    return RIFT_OK;
  }
  case 4672:
    k.kind = RIFT_LK_PRIVILEGED;
    k.user = join(lg, str(lg, e, WEV_SubjectDomainName),
                  str(lg, e, WEV_SubjectUserName));
    break;
  case 4776:
    k.kind = RIFT_LK_NTLM;
    k.user = str(lg, e, WEV_TargetUserName);
    k.source = str(lg, e, WEV_Workstation);
    ok = status_ok(str(lg, e, WEV_Status));
    r = row(lg, &k);
    if(!r)
      return RIFT_OK;
    if(!ok && !r->status)
      r->status = str(lg, e, WEV_Status);
    count(r, e, id, ok);
    if(!ok)
      attempt(lg, e, &k, ok, 0, NULL, NULL);
    return RIFT_OK;
  case 4768:
  case 4769:
  case 4771:
    k.kind = id == 4768 ? RIFT_LK_KERBEROS_TGT
           : id == 4769 ? RIFT_LK_KERBEROS_TGS : RIFT_LK_KERBEROS_PREAUTH;
    k.user = str(lg, e, WEV_TargetUserName);
    k.source = address(lg, str(lg, e, WEV_IpAddress));
    ok = id != 4771 && status_ok(str(lg, e, WEV_Status));
    r = row(lg, &k);
    if(!r)
      return RIFT_OK;
    if(!r->auth && id == 4769)
      r->auth = str(lg, e, WEV_ServiceName);
    if(!ok && !r->status)
      r->status = str(lg, e, WEV_Status);
    count(r, e, id, ok);
    if(!ok || id == 4769)
      attempt(lg, e, &k, ok, 0, id == 4769 ? str(lg, e, WEV_ServiceName)
                                          : NULL, NULL);
    return RIFT_OK;
  case 4778:
  case 4779:
    k.kind = id == 4778 ? RIFT_LK_RECONNECT : RIFT_LK_DISCONNECT;
    k.user = join(lg, str(lg, e, WEV_AccountDomain),
                  str(lg, e, WEV_AccountName));
    k.source = address(lg, str(lg, e, WEV_ClientAddress));
    r = row(lg, &k);
    if(!r)
      return RIFT_OK;
    if(!r->workstation)
      r->workstation = str(lg, e, WEV_ClientName);
    count(r, e, id, 1);
    return RIFT_OK;
  default:
    return RIFT_OK;
  }
  r = row(lg, &k);
  if(r)
    count(r, e, id, ok);
  return RIFT_OK;
}

static rift_err add_rdp(struct rift_logons *lg, const struct rift_event *e,
                        unsigned id, int rcm)
{
  struct rowkey k;
  struct rift_logon_row *r;
  memset(&k, 0, sizeof(k));
  k.type = -1;
  k.host = host_of(lg, e);
  if(rcm) {
    const char *dom;
    if(id != 1149)
      return RIFT_OK;
    k.kind = RIFT_LK_RDP_AUTH;
    dom = str(lg, e, WEV_Param2);
    k.user = join(lg, dom, str(lg, e, WEV_Param1));
    k.source = address(lg, str(lg, e, WEV_Param3));
  } else {
    switch(id) {
    case 21: case 22: case 25:
      k.kind = RIFT_LK_RDP_SESSION;
      break;
    case 23: case 24:
      k.kind = RIFT_LK_RDP_END;
      break;
    default:
      return RIFT_OK;
    }
    k.user = str(lg, e, WEV_User);
    k.source = address(lg, str(lg, e, WEV_Address));
  }
  r = row(lg, &k);
  if(r)
    count(r, e, id, 1);
  return RIFT_OK;
}

/* "name: value" lines of a SQL Server audit record (33205 param1). */
static const char *sql_field(const char *text, const char *name, size_t *n)
{
  size_t nl = strlen(name);
  const char *p = text;
  while(p && *p) {
    if(!strncmp(p, name, nl) && p[nl] == ':') {
      const char *v = p + nl + 1, *e = strchr(v, '\n');
      *n = e ? (size_t)(e - v) : strlen(v);
      return v;
    }
    p = strchr(p, '\n');
    if(p)
      p++;
  }
  return NULL;
}

/* The client address in "... [CLIENT: 10.1.2.3]". */
static const char *sql_client(struct rift_logons *lg, const char *text)
{
  const char *p = text ? strstr(text, "[CLIENT: ") : NULL, *e;
  if(!p)
    return NULL;
  p += 9;
  e = strchr(p, ']');
  if(!e || e - p > 64)
    return NULL;
  return intern(lg, p, (size_t)(e - p));
}

static rift_err add_sql(struct rift_logons *lg, const struct rift_event *e,
                        unsigned id)
{
  struct rowkey k;
  struct rift_logon_row *r;
  char tmp[32];
  size_t n = 0;
  const char *p1 = wev_str(e, WEV_param1, tmp, &n);
  int ok;
  memset(&k, 0, sizeof(k));
  k.type = -1;
  k.kind = RIFT_LK_SQL;
  if(!p1)
    return RIFT_OK;
  if(id == 18456) {
    char t3[32];
    size_t n3 = 0;
    const char *p3 = wev_str(e, WEV_param3, t3, &n3);
    ok = 0;
    k.user = intern(lg, p1, n);
    k.source = p3 ? sql_client(lg, p3) : NULL;
  } else {
    size_t an = 0, un = 0;
    const char *act = sql_field(p1, "action_id", &an);
    const char *u = sql_field(p1, "server_principal_name", &un);
    if(!act || an < 4)
      return RIFT_OK;
    if(!strncmp(act, "LGIF", 4))
      ok = 0;
    else if(!strncmp(act, "LGIS", 4))
      ok = 1;
    else
      return RIFT_OK;
    k.user = u ? intern(lg, u, un) : NULL;
    k.source = sql_client(lg, p1);
  }
  k.host = host_of(lg, e);
  r = row(lg, &k);
  if(!r)
    return RIFT_OK;
  count(r, e, id, ok);
  attempt(lg, e, &k, ok, 0, NULL, NULL);
  return RIFT_OK;
}

/* OpenSSH for Windows 4: "Failed password for [invalid user ]U from A port
 * P ssh2", "Accepted password|publickey for U from A port P ssh2". */
static rift_err add_ssh(struct rift_logons *lg, const struct rift_event *e)
{
  static const struct { const char *pfx; int ok; } forms[] = {
    { "Failed password for invalid user ", 0 },
    { "Failed password for ", 0 },
    { "Failed publickey for ", 0 },
    { "Accepted password for ", 1 },
    { "Accepted publickey for ", 1 },
  };
  const struct rift_value *v = rift_event_get(e, rift_field_id(
    "winlog.event_data.payload", 25));
  struct rowkey k;
  struct rift_logon_row *r;
  const char *s, *u, *from;
  size_t i;
  if(!v || v->type != RIFT_V_STR)
    return RIFT_OK;
  s = v->s;
  for(i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
    size_t pl = strlen(forms[i].pfx);
    if(strncmp(s, forms[i].pfx, pl))
      continue;
    u = s + pl;
    from = strstr(u, " from ");
    if(!from || from - u > 256)
      return RIFT_OK;
    memset(&k, 0, sizeof(k));
    k.type = -1;
    k.kind = RIFT_LK_SSH;
    k.host = host_of(lg, e);
    k.user = intern(lg, u, (size_t)(from - u));
    {
      const char *a = from + 6, *end = strchr(a, ' ');
      size_t al = end ? (size_t)(end - a) : strlen(a);
      if(al && al < 64)
        k.source = intern(lg, a, al);
    }
    r = row(lg, &k);
    if(!r)
      return RIFT_OK;
    count(r, e, 4, forms[i].ok);
    attempt(lg, e, &k, forms[i].ok, 0, NULL, NULL);
    return RIFT_OK;
  }
  return RIFT_OK;
}

rift_err rift_logons_add(struct rift_logons *lg, const struct rift_event *e)
{
  enum wev_src src = wev_source(e);
  unsigned id;
  if(src == WEV_SRC_OTHER && e->provider) {
    id = wev_event_id(e);
    if(!strncmp(e->provider, "MSSQL", 5) && (id == 18456 || id == 33205)) {
      lg->st.events++;
      return add_sql(lg, e, id);
    }
    if(id == 4 && wev_icontains(e->provider, strlen(e->provider), "OpenSSH")) {
      lg->st.events++;
      return add_ssh(lg, e);
    }
    return RIFT_OK;
  }
  if(src != WEV_SRC_SECURITY && src != WEV_SRC_TS_LSM &&
     src != WEV_SRC_TS_RCM)
    return RIFT_OK;
  id = wev_event_id(e);
  lg->st.events++;
  if(src == WEV_SRC_SECURITY)
    return add_security(lg, e, id);
  return add_rdp(lg, e, id, src == WEV_SRC_TS_RCM);
}

static int cmp_s(const char *a, const char *b)
{
  if(a == b)
    return 0;
  return strcasecmp(a ? a : "", b ? b : "");
}

static int cmp_rows(const void *x, const void *y, void *ctx)
{
  const struct rift_logons *lg = ctx;
  const struct rift_logon_row *a = &lg->rows[*(const uint32_t *)x];
  const struct rift_logon_row *b = &lg->rows[*(const uint32_t *)y];
  int c = cmp_s(a->host, b->host);
  if(c)
    return c;
  c = cmp_s(a->user, b->user);
  if(c)
    return c;
  if(a->first != b->first)
    return a->first < b->first ? -1 : 1;
  return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static int cmp_att(const void *x, const void *y)
{
  const struct rift_logon_attempt *a = x, *b = y;
  if(a->ts != b->ts)
    return a->ts < b->ts ? -1 : 1;
  if(a->ref.file_id != b->ref.file_id)
    return a->ref.file_id < b->ref.file_id ? -1 : 1;
  return a->ref.offset < b->ref.offset ? -1 : a->ref.offset > b->ref.offset;
}

rift_err rift_logons_finish(struct rift_logons *lg)
{
  uint32_t i;
  free(lg->order);
  lg->order = malloc(((size_t)lg->nrows + 1) * sizeof(uint32_t));
  if(!lg->order)
    return RIFT_NOMEM;
  for(i = 0; i < lg->nrows; i++)
    lg->order[i] = i;
  if(lg->nrows > 1)
    qsort_r(lg->order, lg->nrows, sizeof(uint32_t), cmp_rows, lg);
  if(lg->natt > 1)
    qsort(lg->att, lg->natt, sizeof(*lg->att), cmp_att);
  return RIFT_OK;
}

/* ---- detectors ------------------------------------------------------------ */

/* Attempts grouped by a key: an index array sorted by (key, time). */
struct grp {
  const struct rift_logons *lg;
  int by; /* 0: user+source, 1: source, 2: subject+host */
};

/* The account name without its domain ("DOM\\x" and "x@realm" are x):
 * a pointer into u and a length. */
static const char *user_short(const char *u, size_t *len)
{
  const char *p, *at;
  if(!u) {
    *len = 0;
    return "";
  }
  p = strrchr(u, '\\');
  if(p)
    u = p + 1;
  at = strchr(u, '@');
  *len = at ? (size_t)(at - u) : strlen(u);
  return u;
}

static int user_cmp(const char *a, const char *b)
{
  size_t la, lb;
  const char *x = user_short(a, &la), *y = user_short(b, &lb);
  int c = strncasecmp(x, y, la < lb ? la : lb);
  if(c)
    return c;
  return la < lb ? -1 : la > lb;
}

static int cmp_grp(const void *x, const void *y, void *ctx)
{
  const struct grp *g = ctx;
  uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
  const struct rift_logon_attempt *a = &g->lg->att[i], *b = &g->lg->att[j];
  int c;
  switch(g->by) {
  case 0:
    c = user_cmp(a->user, b->user);
    if(c)
      return c;
    c = cmp_s(a->source, b->source);
    break;
  case 1:
    c = cmp_s(a->source, b->source);
    break;
  default:
    c = cmp_s(a->subject, b->subject);
    if(c)
      return c;
    c = cmp_s(a->host, b->host);
    break;
  }
  if(c)
    return c;
  return i < j ? -1 : i > j; /* attempts are already in time order */
}

static int same_grp(const struct grp *g, const struct rift_logon_attempt *a,
                    const struct rift_logon_attempt *b)
{
  switch(g->by) {
  case 0:
    return !user_cmp(a->user, b->user) &&
           !cmp_s(a->source, b->source);
  case 1:
    return !cmp_s(a->source, b->source);
  default:
    return !cmp_s(a->subject, b->subject) && !cmp_s(a->host, b->host);
  }
}

static uint32_t *sorted(const struct rift_logons *lg, int by,
                        int (*want)(const struct rift_logon_attempt *),
                        uint32_t *n)
{
  struct grp g = { lg, by };
  uint32_t i, m = 0;
  uint32_t *v = malloc(((size_t)lg->natt + 1) * sizeof(*v));
  if(!v)
    return NULL;
  for(i = 0; i < lg->natt; i++) {
    if(want(&lg->att[i]))
      v[m++] = i;
  }
  if(m > 1)
    qsort_r(v, m, sizeof(*v), cmp_grp, &g);
  *n = m;
  return v;
}

static int is_failure(const struct rift_logon_attempt *a)
{
  return !a->success && a->kind != RIFT_LK_EXPLICIT;
}

static int is_explicit(const struct rift_logon_attempt *a)
{
  return a->kind == RIFT_LK_EXPLICIT;
}

static int is_auth(const struct rift_logon_attempt *a)
{
  return a->kind != RIFT_LK_EXPLICIT &&
         !(a->kind == RIFT_LK_KERBEROS_TGS && a->success);
}

static int is_tgs(const struct rift_logon_attempt *a)
{
  return a->kind == RIFT_LK_KERBEROS_TGS && a->success && a->target_server;
}

/* Supporting refs of attempts v[lo..hi), at most RIFT_EP_MAX_REFS. */
static struct rift_event_ref *refs_of(struct rift_endpoint *ep,
                                      const struct rift_logons *lg,
                                      const uint32_t *v, uint32_t lo,
                                      uint32_t hi, uint32_t *n)
{
  uint32_t m = hi - lo, i;
  struct rift_event_ref *r;
  if(m > RIFT_EP_MAX_REFS)
    m = RIFT_EP_MAX_REFS;
  r = ep_alloc(ep, (size_t)m * sizeof(*r) + 1);
  if(!r) {
    *n = 0;
    return NULL;
  }
  for(i = 0; i < m; i++)
    r[i] = lg->att[v[lo + i]].ref;
  *n = m;
  return r;
}

/* A new hit (rule m) over the attempts v[lo..hi): its time span, the
 * given host, user and source, and the attempts as supporting events.
 * NULL when out of memory. */
static struct ep_hit *span_hit(struct rift_endpoint *ep,
                               const struct rift_epr_meta *m,
                               const struct rift_logons *lg,
                               const uint32_t *v, uint32_t lo, uint32_t hi,
                               const char *host, const char *user,
                               const char *source)
{
  struct ep_hit *h = ep_hit_new(ep, m);
  if(!h)
    return NULL;
  h->host = host;
  h->ts = lg->att[v[lo]].ts;
  h->ts_end = lg->att[v[hi - 1]].ts;
  h->user = user;
  h->source_ip = source;
  h->refs = refs_of(ep, lg, v, lo, hi, &h->nrefs);
  return h;
}

static const char *const t_brute[] = { "T1110.001", NULL };
static const char *const t_spray[] = { "T1110.003", NULL };
static const char *const t_succ[] = { "T1110", "T1078", NULL };
static const char *const t_explicit[] = { "T1078", NULL };
static const char *const t_pth[] = { "T1550.002", NULL };

/* The largest number of attempts of one group within window, and where. */
static uint32_t densest(const struct rift_logons *lg, const uint32_t *v,
                        uint32_t lo, uint32_t hi, int64_t window,
                        uint32_t *blo, uint32_t *bhi)
{
  uint32_t i, j = lo, best = 0;
  *blo = *bhi = lo;
  for(i = lo; i < hi; i++) {
    while(lg->att[v[i]].ts != RIFT_TIME_NONE &&
          lg->att[v[j]].ts != RIFT_TIME_NONE &&
          wev_gap(lg->att[v[i]].ts, lg->att[v[j]].ts) > window)
      j++;
    if(i - j + 1 > best) {
      best = i - j + 1;
      *blo = j;
      *bhi = i + 1;
    }
  }
  return best;
}

static rift_err brute_force(struct rift_logons *lg, struct rift_endpoint *ep)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_epr_meta *m = ep_meta(ep, "logon.brute_force",
                                          "Brute force: many failed logons "
                                          "for one account from one source",
                                          RIFT_LEVEL_HIGH, t_brute);
  struct grp g = { lg, 0 };
  uint32_t n, lo, hi;
  uint32_t *v = sorted(lg, 0, is_failure, &n);
  if(!v)
    return RIFT_NOMEM;
  for(lo = 0; lo < n; lo = hi) {
    uint32_t blo, bhi, cnt;
    const struct rift_logon_attempt *a = &lg->att[v[lo]];
    hi = lo + 1;
    while(hi < n && same_grp(&g, a, &lg->att[v[hi]]))
      hi++;
    cnt = densest(lg, v, lo, hi, r->brute_ns, &blo, &bhi);
    if(cnt >= r->brute_failures) {
      struct ep_hit *h = span_hit(ep, m, lg, v, lo, hi, a->host, a->user,
                                  a->source);
      if(!h)
        break;
      h->message = ep_strf(ep, "%u failed logons for %s from %s (%u within "
                           "%llds)", hi - lo, a->user ? a->user : "?",
                           a->source ? a->source : "?", cnt,
                           (long long)(r->brute_ns / 1000000000LL));
      h->details_json = ep_strf(ep, "{\"failures\":%u,\"densest\":%u}",
                                hi - lo, cnt);
    }
  }
  free(v);
  return RIFT_OK;
}

/* Distinct accounts in v[lo..hi) (by short name, case-insensitive), the
 * first cap of them copied to out. */
static uint32_t distinct_users(const struct rift_logons *lg,
                               const uint32_t *v, uint32_t lo, uint32_t hi,
                               const char **out, uint32_t cap)
{
  struct rift_hmap seen;
  uint32_t i, n = 0;
  rift_hmap_init(&seen, (size_t)(hi - lo) + 1);
  for(i = lo; i < hi; i++) {
    size_t k, len;
    const char *u = user_short(lg->att[v[i]].user, &len);
    char key[256];
    union rift_hval *hv;
    int isnew;
    if(len >= sizeof(key))
      len = sizeof(key) - 1;
    for(k = 0; k < len; k++)
      key[k] = u[k] >= 'A' && u[k] <= 'Z' ? (char)(u[k] + 32) : u[k];
    if(rift_hmap_put(&seen, key, len, &hv, &isnew))
      break;
    if(isnew) {
      if(n < cap)
        out[n] = lg->att[v[i]].user ? lg->att[v[i]].user : "";
      n++;
    }
  }
  rift_hmap_release(&seen);
  return n;
}

static void lowkey(const char *full, char *key, size_t *len)
{
  size_t k, n;
  const char *u = user_short(full, &n);
  if(n >= 255)
    n = 255;
  for(k = 0; k < n; k++)
    key[k] = u[k] >= 'A' && u[k] <= 'Z' ? (char)(u[k] + 32) : u[k];
  *len = n;
}

/* The time window with the most distinct accounts, for one group: a
 * sliding window with a count per account (linear time). */
static uint32_t spray_window(const struct rift_logons *lg, const uint32_t *v,
                             uint32_t lo, uint32_t hi, int64_t window,
                             uint32_t *blo, uint32_t *bhi)
{
  struct rift_hmap cnt;
  uint32_t i, j = lo, best = 0, cur = 0;
  char key[256];
  size_t len;
  union rift_hval *hv;
  int isnew;
  *blo = *bhi = lo;
  rift_hmap_init(&cnt, (size_t)(hi - lo) + 1);
  for(i = lo; i < hi; i++) {
    lowkey(lg->att[v[i]].user, key, &len);
    if(rift_hmap_put(&cnt, key, len, &hv, &isnew))
      break;
    if(!hv->u++)
      cur++;
    while(lg->att[v[i]].ts != RIFT_TIME_NONE &&
          lg->att[v[j]].ts != RIFT_TIME_NONE &&
          wev_gap(lg->att[v[i]].ts, lg->att[v[j]].ts) > window) {
      lowkey(lg->att[v[j]].user, key, &len);
      hv = rift_hmap_get(&cnt, key, len);
      if(hv && hv->u && !--hv->u)
        cur--;
      j++;
    }
    if(cur > best) {
      best = cur;
      *blo = j;
      *bhi = i + 1;
    }
  }
  rift_hmap_release(&cnt);
  return best;
}

static const char *user_list_json(struct rift_endpoint *ep,
                                  const char **u, uint32_t n)
{
  struct rift_buf b;
  const char *s;
  uint32_t i;
  rift_buf_init(&b, RIFT_BUF_MAX_LINE);
  rift_buf_adds(&b, "[");
  for(i = 0; i < n; i++) {
    if(i)
      rift_buf_addch(&b, ',');
    rift_buf_addch(&b, '"');
    rift_buf_add_json(&b, u[i], strlen(u[i]));
    rift_buf_addch(&b, '"');
  }
  rift_buf_addch(&b, ']');
  s = b.err ? "[]" : ep_str(ep, b.buf, b.len);
  rift_buf_release(&b);
  return s;
}

static rift_err spray(struct rift_logons *lg, struct rift_endpoint *ep,
                      int explicit)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_epr_meta *m =
    explicit ? ep_meta(ep, "logon.explicit_spray",
                       "Password spray: explicit credentials for many "
                       "accounts", RIFT_LEVEL_HIGH, t_spray)
             : ep_meta(ep, "logon.password_spray",
                       "Password spray: failed logons for many accounts "
                       "from one source", RIFT_LEVEL_HIGH, t_spray);
  int by = explicit ? 2 : 1;
  struct grp g = { lg, by };
  uint32_t need = explicit ? r->explicit_accounts : r->spray_accounts;
  int64_t window = explicit ? r->explicit_ns : r->spray_ns;
  uint32_t n, lo, hi;
  uint32_t *v = sorted(lg, by, explicit ? is_explicit : is_failure, &n);
  const char **users = malloc(sizeof(*users) * 4096);
  if(!v || !users) {
    free(v);
    free(users);
    return RIFT_NOMEM;
  }
  for(lo = 0; lo < n; lo = hi) {
    const struct rift_logon_attempt *a = &lg->att[v[lo]];
    uint32_t blo, bhi, best, nu;
    hi = lo + 1;
    while(hi < n && same_grp(&g, a, &lg->att[v[hi]]))
      hi++;
    if(explicit && (!a->subject || machine_account(a->subject)))
      continue;
    if(!explicit && !a->source)
      continue;
    best = spray_window(lg, v, lo, hi, window, &blo, &bhi);
    if(best < need)
      continue;
    nu = distinct_users(lg, v, lo, hi, users, 4096);
    {
      struct ep_hit *h = span_hit(ep, m, lg, v, lo, hi, a->host,
                                  explicit ? a->subject : NULL, a->source);
      if(!h)
        break;
      if(explicit)
        h->message = ep_strf(ep, "%s used explicit credentials of %u "
                             "accounts (%u attempts, target %s, address %s)",
                             a->subject, nu, hi - lo,
                             a->target_server ? a->target_server : "?",
                             a->source ? a->source : "-");
      else
        h->message = ep_strf(ep, "%u failed logons for %u accounts from %s",
                             hi - lo, nu, a->source);
      h->details_json = ep_strf(ep, "{\"attempts\":%u,\"accounts\":%s}",
                                hi - lo, user_list_json(ep, users, nu));
    }
  }
  free(users);
  free(v);
  return RIFT_OK;
}

static rift_err success_after(struct rift_logons *lg, struct rift_endpoint *ep)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_epr_meta *m = ep_meta(ep, "logon.success_after_failures",
                                          "Successful logon after many "
                                          "failures", RIFT_LEVEL_HIGH,
                                          t_succ);
  struct grp g = { lg, 0 };
  uint32_t n, lo, hi, i;
  uint32_t *v = sorted(lg, 0, is_auth, &n);
  if(!v)
    return RIFT_NOMEM;
  for(lo = 0; lo < n; lo = hi) {
    const struct rift_logon_attempt *a = &lg->att[v[lo]];
    uint32_t fails = 0, first_fail = lo;
    hi = lo + 1;
    while(hi < n && same_grp(&g, a, &lg->att[v[hi]]))
      hi++;
    if(!a->source || (a->flags & RIFT_LA_ANON))
      continue;
    for(i = lo; i < hi; i++) {
      const struct rift_logon_attempt *b = &lg->att[v[i]];
      if(!b->success) {
        if(!fails)
          first_fail = i;
        fails++;
        continue;
      }
      if(fails >= r->success_after && b->kind == RIFT_LK_LOGON) {
        /* the span ends with this success (b is lg->att[v[i]]) */
        struct ep_hit *h = span_hit(ep, m, lg, v, first_fail, i + 1, b->host,
                                    b->user, b->source);
        if(!h)
          break;
        if(h->nrefs && i + 1 - first_fail > RIFT_EP_MAX_REFS)
          h->refs[h->nrefs - 1] = b->ref; /* keep the success */
        h->message = ep_strf(ep, "%s logged on from %s after %u failures",
                             b->user ? b->user : "?", b->source, fails);
      }
      fails = 0;
    }
  }
  free(v);
  return RIFT_OK;
}

static int routine_explicit(const struct rift_logon_attempt *a)
{
  /* the OS itself: logon UI, services, consent (UAC) */
  static const char *const procs[] = { "\\winlogon.exe", "\\lsass.exe",
                                       "\\services.exe", "\\consent.exe",
                                       "\\svchost.exe", NULL };
  size_t i, n;
  if(!a->process)
    return 0;
  n = strlen(a->process);
  for(i = 0; procs[i]; i++) {
    size_t m = strlen(procs[i]);
    if(n >= m && !strcasecmp(a->process + n - m, procs[i]))
      return 1;
  }
  return 0;
}

static rift_err singles(struct rift_logons *lg, struct rift_endpoint *ep)
{
  const struct rift_epr_meta *mx = ep_meta(ep, "logon.explicit_credentials",
                                           "Logon with explicit credentials "
                                           "of another account",
                                           RIFT_LEVEL_LOW, t_explicit);
  const struct rift_epr_meta *mp = ep_meta(ep, "logon.pass_the_hash",
                                           "Pass-the-hash logon pattern",
                                           RIFT_LEVEL_HIGH, t_pth);
  const struct rift_epr_meta *mk = ep_meta(ep, "logon.ntlm_key0",
                                           "NTLM network logon without a "
                                           "session key (possible "
                                           "pass-the-hash)", RIFT_LEVEL_MEDIUM,
                                           t_pth);
  uint32_t i;
  for(i = 0; i < lg->natt; i++) {
    const struct rift_logon_attempt *a = &lg->att[i];
    struct ep_hit *h;
    if(a->kind == RIFT_LK_EXPLICIT) {
      if(!a->subject || machine_account(a->subject) || !a->user ||
         !user_cmp(a->subject, a->user) ||
         routine_explicit(a))
        continue;
      h = ep_hit_new(ep, mx);
      if(!h)
        break;
      h->host = a->host;
      h->ts = h->ts_end = a->ts;
      h->ref = a->ref;
      h->user = a->subject;
      h->source_ip = a->source;
      h->key_pid = UINT64_MAX;
      h->group_key = a->subject;
      h->message = ep_strf(ep, "%s used the credentials of %s for %s%s%s",
                           a->subject, a->user,
                           a->target_server ? a->target_server : "?",
                           a->process ? " from " : "",
                           a->process ? a->process : "");
      continue;
    }
    if(a->kind != RIFT_LK_LOGON || !a->success)
      continue;
    if(a->flags & RIFT_LA_SECLOGO) {
      h = ep_hit_new(ep, mp);
      if(!h)
        break;
      h->message = ep_strf(ep, "%s: NewCredentials logon (type 9) by seclogo "
                           "(sekurlsa::pth, overpass-the-hash or runas "
                           "/netonly)", a->user ? a->user : "?");
    } else if((a->flags & RIFT_LA_NTLM_KEY0) &&
              !(a->flags & (RIFT_LA_ANON | RIFT_LA_MACHINE |
                            RIFT_LA_LOCALSRC))) {
      h = ep_hit_new(ep, mk);
      if(!h)
        break;
      h->message = ep_strf(ep, "%s: NTLM network logon with key length 0 "
                           "from %s", a->user ? a->user : "?",
                           a->source ? a->source : "?");
    } else {
      continue;
    }
    h->host = a->host;
    h->ts = h->ts_end = a->ts;
    h->ref = a->ref;
    h->user = a->user;
    h->source_ip = a->source;
    h->group_key = a->user;
  }
  return RIFT_OK;
}

static const char *const t_tgs[] = { "T1087.002", "T1558.003", NULL };

/* One account asking tickets for many services quickly. */
static rift_err ticket_burst(struct rift_logons *lg, struct rift_endpoint *ep)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_epr_meta *m = ep_meta(ep, "logon.ticket_burst",
                                          "Service tickets for many services "
                                          "in a short time", RIFT_LEVEL_MEDIUM,
                                          t_tgs);
  struct grp g = { lg, 0 };
  uint32_t n, lo, hi;
  uint32_t *v = sorted(lg, 0, is_tgs, &n);
  if(!v)
    return RIFT_NOMEM;
  for(lo = 0; lo < n; lo = hi) {
    const struct rift_logon_attempt *a = &lg->att[v[lo]];
    struct rift_hmap seen;
    uint32_t i, j = lo, best = 0, blo = lo, bhi = lo, cur = 0;
    hi = lo + 1;
    while(hi < n && same_grp(&g, a, &lg->att[v[hi]]))
      hi++;
    if(hi - lo < r->tgs_services || machine_account(a->user))
      continue;
    /* sliding window over distinct services */
    rift_hmap_init(&seen, (size_t)(hi - lo) + 1);
    for(i = lo; i < hi; i++) {
      union rift_hval *hv;
      int isnew;
      const char *sv = lg->att[v[i]].target_server;
      if(rift_hmap_put(&seen, sv, strlen(sv), &hv, &isnew))
        break;
      if(!hv->u++)
        cur++;
      while(wev_gap(lg->att[v[i]].ts, lg->att[v[j]].ts) > r->tgs_ns) {
        const char *sj = lg->att[v[j]].target_server;
        hv = rift_hmap_get(&seen, sj, strlen(sj));
        if(hv && hv->u && !--hv->u)
          cur--;
        j++;
      }
      if(cur > best) {
        best = cur;
        blo = j;
        bhi = i + 1;
      }
    }
    rift_hmap_release(&seen);
    if(best >= r->tgs_services) {
      struct ep_hit *h = span_hit(ep, m, lg, v, blo, bhi, a->host, a->user,
                                  a->source);
      if(!h)
        break;
      h->message = ep_strf(ep, "%s asked tickets for %u services within "
                           "%llds from %s", a->user ? a->user : "?", best,
                           (long long)(r->tgs_ns / 1000000000LL),
                           a->source ? a->source : "?");
    }
  }
  free(v);
  return RIFT_OK;
}

rift_err rift_logons_detect(struct rift_logons *lg, struct rift_endpoint *ep)
{
  rift_err rc = brute_force(lg, ep);
  if(!rc)
    rc = spray(lg, ep, 0);
  if(!rc)
    rc = spray(lg, ep, 1);
  if(!rc)
    rc = success_after(lg, ep);
  if(!rc)
    rc = singles(lg, ep);
  if(!rc)
    rc = ticket_burst(lg, ep);
  return rc;
}
