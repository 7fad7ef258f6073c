/*
 * proctree.c - process trees from Sysmon and Security events.
 *
 * Events are taken in any order (several files, several hosts); nothing
 * is linked until rift_proctree_finish(), which sees everything at once.
 * See proctree.h for the linking rules.
 */
#include <stdlib.h>
#include <string.h>

#include "core/rtime.h"
#include "detect/proctree.h"
#include "detect/winev.h"

/* A Sysmon 1 and a 4688 of one process are at most this far apart. */
#define MERGE_WINDOW_NS (2 * 1000000000LL)

struct pt_exit {
  const char *host, *guid, *image;
  uint64_t pid;
  int64_t ts;
  struct rift_event_ref ref;
};

static const char *const act_names[RIFT_PACT__COUNT] = {
  "network", "dns", "file", "file_delete", "registry", "image_load",
  "remote_thread", "process_access", "pipe"
};

const char *rift_pact_kind_name(unsigned k)
{
  return k < RIFT_PACT__COUNT ? act_names[k] : "?";
}

void rift_proctree_init(struct rift_proctree *pt,
                        const struct rift_proctree_limits *lim)
{
  memset(pt, 0, sizeof(*pt));
  if(lim) {
    pt->lim = *lim;
  } else {
    pt->lim.max_procs = RIFT_PT_MAX_PROCS;
    pt->lim.max_acts = RIFT_PT_MAX_ACTS;
    pt->lim.max_exits = RIFT_PT_MAX_EXITS;
    pt->lim.max_marks = RIFT_PT_MAX_MARKS;
    pt->lim.max_strbytes = RIFT_PT_MAX_STRBYTES;
  }
  rift_hmap_init(&pt->strings, (size_t)pt->lim.max_procs * 16 + 1024);
  rift_hmap_init(&pt->byguid, (size_t)pt->lim.max_procs * 2 + 16);
  rift_hmap_init(&pt->orphans, (size_t)pt->lim.max_procs + 16);
  wev_init();
}

void rift_proctree_release(struct rift_proctree *pt)
{
  free(pt->procs);
  free(pt->acts);
  free(pt->order_act);
  free(pt->exits);
  free(pt->marks);
  free(pt->roots);
  free(pt->bypid);
  rift_hmap_release(&pt->strings);
  rift_hmap_release(&pt->byguid);
  rift_hmap_release(&pt->orphans);
  memset(pt, 0, sizeof(*pt));
}

const char *rift_proctree_intern(struct rift_proctree *pt, const char *s,
                                 size_t n)
{
  union rift_hval *v;
  int isnew;
  if(!s)
    return NULL;
  v = rift_hmap_get(&pt->strings, s, n);
  if(v)
    return v->p;
  if(pt->strbytes + n + 1 > pt->lim.max_strbytes) {
    pt->st.dropped_strings++;
    return NULL;
  }
  if(rift_hmap_put(&pt->strings, s, n, &v, &isnew)) {
    pt->st.dropped_strings++;
    return NULL;
  }
  if(isnew) {
    const struct rift_hmap_ent *ent = rift_hmap_entry(&pt->strings, s, n);
    v->p = (void *)ent->key;
    pt->strbytes += n + 1;
  }
  return v->p;
}

/* Intern a field's text (NULL if absent). */
static const char *field(struct rift_proctree *pt, const struct rift_event *e,
                         enum wev_name n)
{
  char tmp[32];
  size_t len = 0;
  const char *s = wev_str(e, n, tmp, &len);
  return s ? rift_proctree_intern(pt, s, len) : NULL;
}

static const char *host_of(struct rift_proctree *pt,
                           const struct rift_event *e)
{
  char buf[256];
  const char *h = e->host;
  size_t n, i;
  if(!h) {
    const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_COMPUTER);
    h = v && v->type == RIFT_V_STR ? v->s : "";
  }
  n = strlen(h);
  if(n >= sizeof(buf))
    n = sizeof(buf) - 1;
  for(i = 0; i < n; i++)
    buf[i] = h[i] >= 'A' && h[i] <= 'Z' ? (char)(h[i] + 32) : h[i];
  buf[n] = 0;
  return rift_proctree_intern(pt, buf, n);
}

static int null_guid(const char *g)
{
  /* "{00000000-0000-0000-0000-000000000000}" */
  if(!g)
    return 1;
  for(; *g; g++) {
    if(*g != '{' && *g != '}' && *g != '-' && *g != '0')
      return 0;
  }
  return 1;
}

static const char *guid_field(struct rift_proctree *pt,
                              const struct rift_event *e, enum wev_name a,
                              enum wev_name b)
{
  const char *g = field(pt, e, a);
  if(!g && b != WEV__COUNT)
    g = field(pt, e, b);
  return null_guid(g) ? NULL : g;
}

static struct rift_event_ref ref_of(const struct rift_event *e)
{
  struct rift_event_ref r;
  r.file_id = e->file_id;
  r.offset = e->offset;
  r.record_id = e->record_id;
  r.ts = e->ts;
  return r;
}

static uint32_t new_proc(struct rift_proctree *pt)
{
  struct rift_proc *p;
  if(!pt->procs) {
    pt->procs = calloc(1024, sizeof(*pt->procs));
    if(!pt->procs)
      return 0;
    pt->capprocs = 1024;
    pt->nprocs = 1; /* [0] unused */
  }
  if(pt->nprocs - 1 >= pt->lim.max_procs) {
    pt->st.dropped_procs++;
    return 0;
  }
  if(pt->nprocs == pt->capprocs) {
    uint32_t ncap = pt->capprocs * 2;
    struct rift_proc *np = realloc(pt->procs, (size_t)ncap * sizeof(*np));
    if(!np)
      return 0;
    pt->procs = np;
    pt->capprocs = ncap;
  }
  p = &pt->procs[pt->nprocs];
  memset(p, 0, sizeof(*p));
  p->pid = p->ppid = UINT64_MAX;
  p->start = p->end = RIFT_TIME_NONE;
  return pt->nprocs++;
}

static void set_image(struct rift_proc *p, const char *image)
{
  size_t n;
  p->image = image;
  if(!image) {
    p->name = NULL;
    return;
  }
  n = strlen(image);
  p->name = wev_basename(image, &n);
}

static rift_err guid_key(char *buf, size_t cap, const char *host,
                         const char *guid, size_t *n)
{
  int k = snprintf(buf, cap, "%s|%s", host ? host : "", guid);
  if(k < 0 || (size_t)k >= cap)
    return RIFT_LIMIT;
  *n = (size_t)k;
  return RIFT_OK;
}

uint32_t rift_proctree_by_guid(const struct rift_proctree *pt,
                               const char *host, const char *guid)
{
  char key[512];
  size_t n;
  union rift_hval *v;
  if(!guid || guid_key(key, sizeof(key), host, guid, &n))
    return 0;
  v = rift_hmap_get(&pt->byguid, key, n);
  return v ? (uint32_t)v->u : 0;
}

static void put_guid(struct rift_proctree *pt, const char *host,
                     const char *guid, uint32_t idx)
{
  char key[512];
  size_t n;
  union rift_hval *v;
  int isnew;
  if(!guid || guid_key(key, sizeof(key), host, guid, &n))
    return;
  if(rift_hmap_put(&pt->byguid, key, n, &v, &isnew))
    return;
  if(isnew)
    v->u = idx;
}

static const char *integrity_of_4688(struct rift_proctree *pt,
                                     const struct rift_event *e)
{
  char tmp[32];
  size_t n = 0;
  const char *s = wev_str(e, WEV_MandatoryLabel, tmp, &n);
  const char *r;
  if(s) {
    char sid[64];
    if(n >= sizeof(sid))
      n = sizeof(sid) - 1;
    memcpy(sid, s, n);
    sid[n] = 0;
    r = rift_integrity_from_sid(sid);
    if(r)
      return rift_proctree_intern(pt, r, strlen(r));
  }
  s = wev_str(e, WEV_TokenElevationType, tmp, &n);
  if(s) {
    /* %%1936 full token (UAC off / built-in admin), %%1937 elevated,
     * %%1938 limited */
    if(wev_icontains(s, n, "1937"))
      return rift_proctree_intern(pt, "High", 4);
    if(wev_icontains(s, n, "1938"))
      return rift_proctree_intern(pt, "Medium", 6);
  }
  return NULL;
}

const char *rift_integrity_from_sid(const char *sid)
{
  static const struct {
    const char *sid, *name;
  } t[] = {
    { "S-1-16-0", "Untrusted" }, { "S-1-16-4096", "Low" },
    { "S-1-16-8192", "Medium" }, { "S-1-16-8448", "MediumPlus" },
    { "S-1-16-12288", "High" }, { "S-1-16-16384", "System" },
    { "S-1-16-20480", "Protected" },
  };
  size_t i;
  for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    if(!strcasecmp(sid, t[i].sid))
      return t[i].name;
  }
  return NULL;
}

static const char *join_user(struct rift_proctree *pt, const char *dom,
                             const char *user)
{
  char buf[512];
  int n;
  if(!user)
    return NULL;
  if(!dom)
    return user;
  n = snprintf(buf, sizeof(buf), "%s\\%s", dom, user);
  if(n < 0 || (size_t)n >= sizeof(buf))
    return user;
  return rift_proctree_intern(pt, buf, (size_t)n);
}

static rift_err add_sysmon_create(struct rift_proctree *pt,
                                  const struct rift_event *e)
{
  const char *host = host_of(pt, e);
  const char *guid = guid_field(pt, e, WEV_ProcessGuid, WEV__COUNT);
  struct rift_proc *p;
  uint32_t k;
  uint64_t u;
  if(guid && rift_proctree_by_guid(pt, host, guid)) {
    pt->st.duplicates++;
    return RIFT_OK;
  }
  k = new_proc(pt);
  if(!k)
    return pt->procs ? RIFT_OK : RIFT_NOMEM;
  pt->st.creates++;
  p = &pt->procs[k];
  p->src = RIFT_PROC_SYSMON;
  p->host = host;
  p->guid = guid;
  p->parent_guid = guid_field(pt, e, WEV_ParentProcessGuid, WEV__COUNT);
  if(!wev_u64(e, WEV_ProcessId, &u))
    p->pid = u;
  if(!wev_u64(e, WEV_ParentProcessId, &u))
    p->ppid = u;
  p->start = e->ts;
  set_image(p, field(pt, e, WEV_Image));
  p->cmdline = field(pt, e, WEV_CommandLine);
  p->user = field(pt, e, WEV_User);
  p->integrity = field(pt, e, WEV_IntegrityLevel);
  p->cwd = field(pt, e, WEV_CurrentDirectory);
  p->hashes = field(pt, e, WEV_Hashes);
  p->logon_id = field(pt, e, WEV_LogonId);
  p->parent_image = field(pt, e, WEV_ParentImage);
  p->parent_cmdline = field(pt, e, WEV_ParentCommandLine);
  p->parent_user = field(pt, e, WEV_ParentUser);
  p->ref = ref_of(e);
  put_guid(pt, host, guid, k);
  return RIFT_OK;
}

static rift_err add_security_create(struct rift_proctree *pt,
                                    const struct rift_event *e)
{
  struct rift_proc *p;
  const char *user, *dom;
  uint32_t k;
  uint64_t u;
  k = new_proc(pt);
  if(!k)
    return pt->procs ? RIFT_OK : RIFT_NOMEM;
  pt->st.creates++;
  p = &pt->procs[k];
  p->src = RIFT_PROC_SECURITY;
  p->host = host_of(pt, e);
  if(!wev_u64(e, WEV_NewProcessId, &u))
    p->pid = u;
  if(!wev_u64(e, WEV_ProcessId, &u))
    p->ppid = u;
  p->start = e->ts;
  set_image(p, field(pt, e, WEV_NewProcessName));
  p->cmdline = field(pt, e, WEV_CommandLine);
  /* Windows 10+ names the new process's account in Target*; the Subject
   * is the creator (the same account unless run as another user). */
  user = field(pt, e, WEV_TargetUserName);
  dom = field(pt, e, WEV_TargetDomainName);
  if(!user) {
    user = field(pt, e, WEV_SubjectUserName);
    dom = field(pt, e, WEV_SubjectDomainName);
  }
  p->user = join_user(pt, dom, user);
  p->integrity = integrity_of_4688(pt, e);
  p->logon_id = field(pt, e, WEV_TargetLogonId);
  if(!p->logon_id)
    p->logon_id = field(pt, e, WEV_SubjectLogonId);
  p->parent_image = field(pt, e, WEV_ParentProcessName);
  p->ref = ref_of(e);
  return RIFT_OK;
}

static rift_err add_exit(struct rift_proctree *pt, const struct rift_event *e,
                         int sysmon)
{
  struct pt_exit *x;
  uint64_t u;
  if(pt->nexits >= pt->lim.max_exits) {
    pt->st.dropped_exits++;
    return RIFT_OK;
  }
  if(pt->nexits == pt->capexits) {
    uint32_t ncap = pt->capexits ? pt->capexits * 2 : 1024;
    struct pt_exit *nx = realloc(pt->exits, (size_t)ncap * sizeof(*nx));
    if(!nx)
      return RIFT_NOMEM;
    pt->exits = nx;
    pt->capexits = ncap;
  }
  x = &pt->exits[pt->nexits++];
  memset(x, 0, sizeof(*x));
  pt->st.exits++;
  x->host = host_of(pt, e);
  x->ts = e->ts;
  x->ref = ref_of(e);
  x->pid = UINT64_MAX;
  if(sysmon) {
    x->guid = guid_field(pt, e, WEV_ProcessGuid, WEV__COUNT);
    x->image = field(pt, e, WEV_Image);
  } else {
    x->image = field(pt, e, WEV_ProcessName);
  }
  if(!wev_u64(e, WEV_ProcessId, &u))
    x->pid = u;
  return RIFT_OK;
}

static struct rift_pact *new_act(struct rift_proctree *pt)
{
  struct rift_pact *a;
  if(pt->nacts >= pt->lim.max_acts) {
    pt->st.dropped_acts++;
    return NULL;
  }
  if(pt->nacts == pt->capacts) {
    uint32_t ncap = pt->capacts ? pt->capacts * 2 : 1024;
    struct rift_pact *na = realloc(pt->acts, (size_t)ncap * sizeof(*na));
    if(!na)
      return NULL;
    pt->acts = na;
    pt->capacts = ncap;
  }
  a = &pt->acts[pt->nacts++];
  memset(a, 0, sizeof(*a));
  a->pid = UINT64_MAX;
  return a;
}

static rift_err add_activity(struct rift_proctree *pt,
                             const struct rift_event *e, unsigned id)
{
  struct rift_pact *a;
  uint32_t before = pt->nacts;
  uint64_t u;
  char tmp[32];
  const char *s;
  size_t n = 0;
  int source_owned = id == 8 || id == 10;
  a = new_act(pt);
  if(!a)
    return pt->nacts == before && pt->nacts < pt->lim.max_acts ? RIFT_NOMEM
                                                               : RIFT_OK;
  pt->st.activities++;
  a->host = host_of(pt, e);
  a->ts = e->ts;
  a->ref = ref_of(e);
  if(source_owned) {
    a->guid = guid_field(pt, e, WEV_SourceProcessGuid, WEV_SourceProcessGUID);
    if(!wev_u64(e, WEV_SourceProcessId, &u))
      a->pid = u;
    a->image = field(pt, e, WEV_SourceImage);
    a->a = field(pt, e, WEV_TargetImage);
    if(!wev_u64(e, WEV_TargetProcessId, &u) && u <= UINT32_MAX)
      a->tpid = (uint32_t)u;
  } else {
    a->guid = guid_field(pt, e, WEV_ProcessGuid, WEV__COUNT);
    if(!wev_u64(e, WEV_ProcessId, &u))
      a->pid = u;
    a->image = field(pt, e, WEV_Image);
  }
  switch(id) {
  case 3:
    a->kind = RIFT_PACT_NET;
    a->a = field(pt, e, WEV_DestinationIp);
    a->b = field(pt, e, WEV_DestinationHostname);
    if(!wev_u64(e, WEV_DestinationPort, &u) && u <= 65535)
      a->port = (uint16_t)u;
    s = wev_str(e, WEV_Initiated, tmp, &n);
    if(s && (wev_ieq(s, n, "true") || wev_ieq(s, n, "1")))
      a->flags |= RIFT_PACT_INITIATED;
    break;
  case 22:
    a->kind = RIFT_PACT_DNS;
    a->a = field(pt, e, WEV_QueryName);
    a->b = field(pt, e, WEV_QueryResults);
    break;
  case 11:
    a->kind = RIFT_PACT_FILE;
    a->a = field(pt, e, WEV_TargetFilename);
    break;
  case 23:
  case 26:
    a->kind = RIFT_PACT_FILEDEL;
    a->a = field(pt, e, WEV_TargetFilename);
    break;
  case 12:
  case 13:
  case 14:
    a->kind = RIFT_PACT_REG;
    a->a = field(pt, e, WEV_TargetObject);
    a->b = id == 14 ? field(pt, e, WEV_NewName) : field(pt, e, WEV_Details);
    s = wev_str(e, WEV_EventType, tmp, &n);
    if(s && wev_icontains(s, n, "delete"))
      a->flags |= RIFT_PACT_DELETE;
    break;
  case 7:
    a->kind = RIFT_PACT_IMAGE;
    a->a = field(pt, e, WEV_ImageLoaded);
    a->b = field(pt, e, WEV_Signature);
    break;
  case 8:
    a->kind = RIFT_PACT_INJECT;
    a->b = field(pt, e, WEV_StartFunction);
    if(!a->b)
      a->b = field(pt, e, WEV_StartModule);
    break;
  case 10:
    a->kind = RIFT_PACT_ACCESS;
    a->b = field(pt, e, WEV_GrantedAccess);
    s = wev_str(e, WEV_CallTrace, tmp, &n);
    if(s) {
      if(wev_icontains(s, n, "dbghelp.dll") ||
         wev_icontains(s, n, "dbgcore.dll"))
        a->flags |= RIFT_PACT_DUMPTRACE;
      if(wev_icontains(s, n, "UNKNOWN("))
        a->flags |= RIFT_PACT_UNKNOWNTRACE;
    }
    break;
  case 17:
  case 18:
    a->kind = RIFT_PACT_PIPE;
    a->a = field(pt, e, WEV_PipeName);
    break;
  }
  return RIFT_OK;
}

rift_err rift_proctree_add(struct rift_proctree *pt,
                           const struct rift_event *e)
{
  enum wev_src src;
  unsigned id;
  if(pt->finished)
    return RIFT_OK;
  src = wev_source(e);
  if(src != WEV_SRC_SYSMON && src != WEV_SRC_SECURITY)
    return RIFT_OK;
  id = wev_event_id(e);
  if(src == WEV_SRC_SECURITY) {
    if(id == 4688)
      return add_security_create(pt, e);
    if(id == 4689)
      return add_exit(pt, e, 0);
    return RIFT_OK;
  }
  switch(id) {
  case 1:
    return add_sysmon_create(pt, e);
  case 5:
    return add_exit(pt, e, 1);
  case 3: case 7: case 8: case 10: case 11: case 12: case 13: case 14:
  case 17: case 18: case 22: case 23: case 26:
    return add_activity(pt, e, id);
  default:
    return RIFT_OK;
  }
}

rift_err rift_proctree_add_batch(struct rift_proctree *pt,
                                 const struct rift_batch *b)
{
  size_t i;
  rift_err rc;
  for(i = 0; i < b->n; i++) {
    rc = rift_proctree_add(pt, &b->ev[i]);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}

/* ---- finish ------------------------------------------------------------ */

static int cmp_str(const char *a, const char *b)
{
  if(a == b)
    return 0;
  return strcmp(a ? a : "", b ? b : "");
}

static int cmp_i64(int64_t a, int64_t b)
{
  return a < b ? -1 : a > b;
}

static int cmp_bypid(const void *x, const void *y, void *ctx)
{
  const struct rift_proctree *pt = ctx;
  const struct rift_proc *a = &pt->procs[*(const uint32_t *)x];
  const struct rift_proc *b = &pt->procs[*(const uint32_t *)y];
  int c = cmp_str(a->host, b->host);
  if(c)
    return c;
  if(a->pid != b->pid)
    return a->pid < b->pid ? -1 : 1;
  c = cmp_i64(a->start, b->start);
  if(c)
    return c;
  if(a->src != b->src)
    return a->src < b->src ? -1 : 1;
  return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static int same_name(const struct rift_proc *a, const struct rift_proc *b)
{
  if(!a->name || !b->name)
    return 1; /* nothing says they differ */
  return !strcasecmp(a->name, b->name);
}

static int64_t absdiff(int64_t a, int64_t b)
{
  return a > b ? wev_gap(a, b) : wev_gap(b, a);
}

static void fold(struct rift_proc *keep, const struct rift_proc *drop)
{
  if(!keep->cmdline)
    keep->cmdline = drop->cmdline;
  if(!keep->user)
    keep->user = drop->user;
  if(!keep->integrity)
    keep->integrity = drop->integrity;
  if(!keep->parent_image)
    keep->parent_image = drop->parent_image;
  if(!keep->logon_id)
    keep->logon_id = drop->logon_id;
}

/* Sort the processes that have a pid, drop duplicates, merge Sysmon and
 * Security views of one process, and keep the rest in pt->bypid. */
static rift_err build_bypid(struct rift_proctree *pt)
{
  uint32_t i, j, n = 0, out = 0;
  uint32_t *v = malloc((size_t)(pt->nprocs ? pt->nprocs : 1) * sizeof(*v));
  if(!v)
    return RIFT_NOMEM;
  for(i = 1; i < pt->nprocs; i++) {
    if(pt->procs[i].src != RIFT_PROC_INFERRED &&
       pt->procs[i].pid != UINT64_MAX && pt->procs[i].start != RIFT_TIME_NONE)
      v[n++] = i;
  }
  if(n > 1)
    qsort_r(v, n, sizeof(*v), cmp_bypid, pt);
  /* groups of one host and pid */
  for(i = 0; i < n;) {
    uint32_t end = i + 1;
    struct rift_proc *g = &pt->procs[v[i]];
    while(end < n && pt->procs[v[end]].host == g->host &&
          pt->procs[v[end]].pid == g->pid)
      end++;
    for(j = i; j < end; j++) {
      struct rift_proc *a = &pt->procs[v[j]];
      uint32_t k;
      if(a->merged)
        continue;
      for(k = j + 1; k < end; k++) {
        struct rift_proc *b = &pt->procs[v[k]];
        if(b->merged)
          continue;
        if(absdiff(b->start, a->start) > MERGE_WINDOW_NS)
          break;
        if(!same_name(a, b))
          continue;
        if(a->src == b->src) {
          if(a->start == b->start &&
             cmp_str(a->cmdline, b->cmdline) == 0) {
            b->merged = 1;
            pt->st.duplicates++;
          }
        } else {
          /* keep the Sysmon view (GUIDs, hashes), fill gaps from 4688 */
          struct rift_proc *keep = a->src == RIFT_PROC_SYSMON ? a : b;
          struct rift_proc *drop = keep == a ? b : a;
          if(drop->merged)
            continue;
          fold(keep, drop);
          drop->merged = 1;
          pt->st.merged++;
          if(drop == a)
            break;
        }
      }
    }
    for(j = i; j < end; j++) {
      if(!pt->procs[v[j]].merged)
        v[out++] = v[j];
    }
    i = end;
  }
  free(pt->bypid);
  pt->bypid = v;
  pt->nbypid = out;
  return RIFT_OK;
}

/* First index in bypid with (host, pid) >= the key. */
static uint32_t lower_bound(const struct rift_proctree *pt, const char *host,
                            uint64_t pid)
{
  uint32_t lo = 0, hi = pt->nbypid;
  while(lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const struct rift_proc *p = &pt->procs[pt->bypid[mid]];
    int c = cmp_str(p->host, host);
    if(c < 0 || (c == 0 && p->pid < pid))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The last process of (host, pid) started at or before ts, or 0; with
 * strict, one that had exited before ts does not count. */
static uint32_t find_at(const struct rift_proctree *pt, const char *host,
                        uint64_t pid, int64_t ts, int strict)
{
  uint32_t i = lower_bound(pt, host, pid), best = 0;
  for(; i < pt->nbypid; i++) {
    const struct rift_proc *p = &pt->procs[pt->bypid[i]];
    if(p->host != host || p->pid != pid)
      break;
    if(ts != RIFT_TIME_NONE && p->start > ts)
      break;
    best = pt->bypid[i];
  }
  if(best && strict && ts != RIFT_TIME_NONE) {
    const struct rift_proc *p = &pt->procs[best];
    if(p->end != RIFT_TIME_NONE && p->end < ts)
      return 0;
  }
  return best;
}

uint32_t rift_proctree_at(const struct rift_proctree *pt, const char *host,
                          uint64_t pid, int64_t ts)
{
  char buf[256];
  size_t n, i;
  union rift_hval *v;
  if(!host || !pt->finished)
    return 0;
  n = strlen(host);
  if(n >= sizeof(buf))
    n = sizeof(buf) - 1;
  for(i = 0; i < n; i++)
    buf[i] = host[i] >= 'A' && host[i] <= 'Z' ? (char)(host[i] + 32)
                                              : host[i];
  v = rift_hmap_get(&pt->strings, buf, n);
  if(!v)
    return 0;
  return find_at(pt, v->p, pid, ts, 1);
}

/* Does process p run image (a full path; names compared)? */
static int same_image(const struct rift_proc *p, const char *image)
{
  size_t n;
  const char *b;
  if(!image || !p->name)
    return 1; /* nothing says otherwise */
  n = strlen(image);
  b = wev_basename(image, &n);
  return !strcasecmp(b, p->name);
}

static void apply_exits(struct rift_proctree *pt)
{
  uint32_t i;
  for(i = 0; i < pt->nexits; i++) {
    const struct pt_exit *x = &pt->exits[i];
    uint32_t k = 0;
    if(x->guid)
      k = rift_proctree_by_guid(pt, x->host, x->guid);
    if(!k && x->pid != UINT64_MAX) {
      k = find_at(pt, x->host, x->pid, x->ts, 0);
      if(k && x->guid && (pt->procs[k].guid || !same_image(&pt->procs[k],
                                                            x->image)))
        k = 0;
    }
    if(!k)
      continue;
    if(pt->procs[k].merged)
      continue;
    if(pt->procs[k].end == RIFT_TIME_NONE || x->ts < pt->procs[k].end) {
      pt->procs[k].end = x->ts;
      pt->procs[k].end_ref = x->ref;
      pt->procs[k].has_end_ref = 1;
    }
  }
}

/* An inferred node, shared by every child or activity naming it. */
static uint32_t inferred(struct rift_proctree *pt, const char *host,
                         const char *guid, uint64_t pid, const char *image,
                         const char *cmdline, const char *user)
{
  char key[1024];
  uint32_t k;
  struct rift_proc *p;
  union rift_hval *v;
  int isnew, n;
  if(guid) {
    k = rift_proctree_by_guid(pt, host, guid);
    if(k)
      return k;
  } else {
    size_t i;
    n = snprintf(key, sizeof(key), "%s|%llu|%s", host ? host : "",
                 (unsigned long long)pid, image ? image : "");
    if(n < 0 || (size_t)n >= sizeof(key))
      n = sizeof(key) - 1;
    for(i = 0; i < (size_t)n; i++)
      key[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] + 32) : key[i];
    v = rift_hmap_get(&pt->orphans, key, (size_t)n);
    if(v)
      return (uint32_t)v->u;
  }
  k = new_proc(pt);
  if(!k)
    return 0;
  pt->st.inferred++;
  p = &pt->procs[k];
  p->src = RIFT_PROC_INFERRED;
  p->host = host;
  p->guid = guid;
  p->pid = pid;
  set_image(p, image);
  p->cmdline = cmdline;
  p->user = user;
  if(guid) {
    put_guid(pt, host, guid, k);
  } else if(!rift_hmap_put(&pt->orphans, key, (size_t)n, &v, &isnew)) {
    v->u = k;
  }
  return k;
}

/* Would making p the parent of c close a loop? */
static int loops(const struct rift_proctree *pt, uint32_t c, uint32_t p)
{
  unsigned depth = 0;
  while(p && depth++ < RIFT_PT_MAX_DEPTH) {
    if(p == c)
      return 1;
    p = pt->procs[p].parent;
  }
  return depth >= RIFT_PT_MAX_DEPTH;
}

static void link_parents(struct rift_proctree *pt)
{
  uint32_t i, n = pt->nprocs;
  for(i = 1; i < n; i++) {
    struct rift_proc *c = &pt->procs[i];
    uint32_t k = 0;
    if(c->merged || c->src == RIFT_PROC_INFERRED)
      continue;
    if(c->parent_guid)
      k = rift_proctree_by_guid(pt, c->host, c->parent_guid);
    if(k && pt->procs[k].merged)
      k = 0;
    if(!k && !c->parent_guid && c->ppid != UINT64_MAX) {
      k = find_at(pt, c->host, c->ppid, c->start, 1);
      if(k == i)
        k = 0;
      /* a parent of another image than the one logged is not it */
      if(k && c->parent_image && pt->procs[k].name) {
        size_t pl = strlen(c->parent_image);
        const char *pn = wev_basename(c->parent_image, &pl);
        if(strcasecmp(pn, pt->procs[k].name))
          k = 0;
      }
    }
    if(!k && (c->parent_guid || c->ppid != UINT64_MAX ||
              c->parent_image)) {
      k = inferred(pt, c->host, c->parent_guid, c->ppid, c->parent_image,
                   c->parent_cmdline, c->parent_user);
      c = &pt->procs[i]; /* procs may have moved */
    }
    if(!k)
      continue;
    if(loops(pt, i, k)) {
      pt->st.cycles++;
      continue;
    }
    c->parent = k;
  }
}

static void attach_acts(struct rift_proctree *pt)
{
  uint32_t i;
  for(i = 0; i < pt->nacts; i++) {
    struct rift_pact *a = &pt->acts[i];
    uint32_t k = 0;
    if(a->guid)
      k = rift_proctree_by_guid(pt, a->host, a->guid);
    if(k && pt->procs[k].merged)
      k = 0;
    if(!k && a->pid != UINT64_MAX) {
      k = find_at(pt, a->host, a->pid, a->ts, 0);
      /* a Sysmon record names its process by guid: by pid, only a
       * process without one (seen by 4688) of the same image is it */
      if(k && a->guid && (pt->procs[k].guid || !same_image(&pt->procs[k],
                                                            a->image)))
        k = 0;
    }
    if(!k && (a->guid || a->pid != UINT64_MAX))
      k = inferred(pt, a->host, a->guid, a->pid, a->image, NULL, NULL);
    if(!k) {
      pt->st.orphans++;
      continue;
    }
    a = &pt->acts[i];
    a->proc = k;
  }
}

/* Sort key of a node for ordering siblings and roots: its start, else the
 * earliest thing it did. */
static int64_t when(const struct rift_proctree *pt, uint32_t k)
{
  const struct rift_proc *p = &pt->procs[k];
  if(p->start != RIFT_TIME_NONE)
    return p->start;
  if(p->first_child) {
    int64_t c = when(pt, p->first_child);
    return c == RIFT_TIME_NONE || c == INT64_MIN + 1 ? c : c - 1;
  }
  if(p->nact)
    return rift_proctree_act(pt, k, 0)->ts;
  return RIFT_TIME_NONE;
}

static int cmp_start(const void *x, const void *y, void *ctx)
{
  const struct rift_proctree *pt = ctx;
  uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
  int c = cmp_i64(pt->procs[i].start, pt->procs[j].start);
  if(c)
    return c;
  return i < j ? -1 : i > j;
}

static int cmp_act(const void *x, const void *y, void *ctx)
{
  const struct rift_proctree *pt = ctx;
  uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
  const struct rift_pact *a = &pt->acts[i], *b = &pt->acts[j];
  int c;
  if(a->proc != b->proc)
    return a->proc < b->proc ? -1 : 1;
  c = cmp_i64(a->ts, b->ts);
  if(c)
    return c;
  return i < j ? -1 : i > j;
}

struct rootkey {
  const char *host;
  int64_t when;
  uint32_t k;
};

static int cmp_root(const void *x, const void *y)
{
  const struct rootkey *a = x, *b = y;
  int c = cmp_str(a->host, b->host);
  if(c)
    return c;
  c = cmp_i64(a->when, b->when);
  if(c)
    return c;
  return a->k < b->k ? -1 : a->k > b->k;
}

static rift_err order(struct rift_proctree *pt)
{
  uint32_t i, n = pt->nprocs, m = 0;
  uint32_t *v = malloc((size_t)n * sizeof(*v) + 1);
  uint32_t *last = calloc((size_t)n + 1, sizeof(*last));
  struct rootkey *rk;
  if(!v || !last) {
    free(v);
    free(last);
    return RIFT_NOMEM;
  }
  /* activity grouped by process, in time order */
  free(pt->order_act);
  pt->order_act = malloc((size_t)(pt->nacts + 1) * sizeof(uint32_t));
  if(!pt->order_act) {
    free(v);
    free(last);
    return RIFT_NOMEM;
  }
  for(i = 0; i < pt->nacts; i++)
    pt->order_act[i] = i;
  if(pt->nacts > 1)
    qsort_r(pt->order_act, pt->nacts, sizeof(uint32_t), cmp_act, pt);
  for(i = 0; i < pt->nacts; i++) {
    const struct rift_pact *a = &pt->acts[pt->order_act[i]];
    struct rift_proc *p;
    if(!a->proc)
      continue;
    p = &pt->procs[a->proc];
    if(!p->nact)
      p->act_first = i;
    p->nact++;
    p->nact_kind[a->kind]++;
  }
  /* children in start order */
  for(i = 1; i < n; i++) {
    if(!pt->procs[i].merged)
      v[m++] = i;
  }
  if(m > 1)
    qsort_r(v, m, sizeof(*v), cmp_start, pt);
  for(i = 0; i < m; i++) {
    uint32_t c = v[i], p = pt->procs[c].parent;
    if(!p)
      continue;
    if(last[p])
      pt->procs[last[p]].next_sibling = c;
    else
      pt->procs[p].first_child = c;
    last[p] = c;
    pt->procs[p].nchildren++;
  }
  free(last);
  /* roots by host, then time */
  rk = malloc((size_t)(m + 1) * sizeof(*rk));
  if(!rk) {
    free(v);
    return RIFT_NOMEM;
  }
  pt->nroots = 0;
  for(i = 0; i < m; i++) {
    uint32_t k = v[i];
    if(pt->procs[k].parent)
      continue;
    rk[pt->nroots].host = pt->procs[k].host;
    rk[pt->nroots].when = when(pt, k);
    rk[pt->nroots].k = k;
    pt->nroots++;
  }
  if(pt->nroots > 1)
    qsort(rk, pt->nroots, sizeof(*rk), cmp_root);
  free(pt->roots);
  pt->roots = v; /* reuse: nroots <= m */
  for(i = 0; i < pt->nroots; i++)
    pt->roots[i] = rk[i].k;
  free(rk);
  return RIFT_OK;
}

static void depths(struct rift_proctree *pt)
{
  uint32_t i;
  for(i = 0; i < pt->nroots; i++) {
    uint32_t k = pt->roots[i];
    unsigned d = 0;
    /* iterative pre-order walk: down to the first child, else across,
     * else back up until a sibling */
    while(k) {
      struct rift_proc *p = &pt->procs[k];
      p->depth = (uint16_t)d;
      if(p->first_child && d + 1 < RIFT_PT_MAX_DEPTH) {
        k = p->first_child;
        d++;
        continue;
      }
      while(k && !pt->procs[k].next_sibling && d > 0) {
        k = pt->procs[k].parent;
        d--;
      }
      if(!k || d == 0)
        break;
      k = pt->procs[k].next_sibling;
    }
  }
}

rift_err rift_proctree_finish(struct rift_proctree *pt)
{
  rift_err rc;
  if(pt->finished)
    return RIFT_OK;
  if(!pt->procs) {
    uint32_t k = new_proc(pt); /* allocate [0] */
    (void)k;
    if(!pt->procs)
      return RIFT_NOMEM;
    pt->nprocs = 1;
  }
  rc = build_bypid(pt);
  if(rc)
    return rc;
  apply_exits(pt);
  link_parents(pt);
  attach_acts(pt);
  rc = order(pt);
  if(rc)
    return rc;
  depths(pt);
  pt->finished = 1;
  return RIFT_OK;
}

rift_err rift_proctree_mark(struct rift_proctree *pt, uint32_t p,
                            const char *rule_id, const char *title,
                            const char *technique, enum rift_level level)
{
  struct rift_pmark *m;
  uint32_t i;
  if(!p || p >= pt->nprocs)
    return RIFT_OK;
  for(i = pt->procs[p].first_mark; i; i = pt->marks[i].next) {
    if(!strcmp(pt->marks[i].rule_id, rule_id))
      return RIFT_OK;
  }
  if(pt->nmarks && pt->nmarks - 1 >= pt->lim.max_marks) {
    pt->st.dropped_marks++;
    return RIFT_OK;
  }
  if(pt->nmarks + 1 >= pt->capmarks) {
    uint32_t ncap = pt->capmarks ? pt->capmarks * 2 : 256;
    struct rift_pmark *nm = realloc(pt->marks, (size_t)ncap * sizeof(*nm));
    if(!nm)
      return RIFT_NOMEM;
    pt->marks = nm;
    pt->capmarks = ncap;
    if(!pt->nmarks)
      pt->nmarks = 1; /* [0] unused */
  }
  m = &pt->marks[pt->nmarks];
  m->proc = p;
  m->rule_id = rift_proctree_intern(pt, rule_id, strlen(rule_id));
  m->title = title ? rift_proctree_intern(pt, title, strlen(title)) : NULL;
  m->technique =
    technique ? rift_proctree_intern(pt, technique, strlen(technique)) : NULL;
  m->level = (uint8_t)level;
  if(!m->rule_id)
    return RIFT_OK;
  /* append, keeping the order findings were made in */
  m->next = 0;
  if(!pt->procs[p].first_mark) {
    pt->procs[p].first_mark = pt->nmarks;
  } else {
    i = pt->procs[p].first_mark;
    while(pt->marks[i].next)
      i = pt->marks[i].next;
    pt->marks[i].next = pt->nmarks;
  }
  pt->procs[p].nmarks++;
  pt->nmarks++;
  return RIFT_OK;
}
