/*
 * indicators.c - the rules of rules/endpoint/indicators*.yaml: one event,
 * one process or one activity record each.
 *
 * Event rules are indexed by EventID once (a sorted array searched per
 * event), so the cost per event is one binary search plus the rules of
 * that EventID.  Process and activity rules run over the finished tree.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/rtime.h"
#include "detect/endpoint-int.h"
#include "detect/winev.h"

struct idx {
  unsigned id;
  uint32_t rule;
};

struct ep_ind {
  struct idx *v;
  size_t n;
  size_t ncommand; /* command rules */
};

static int cmp_idx(const void *x, const void *y)
{
  const struct idx *a = x, *b = y;
  if(a->id != b->id)
    return a->id < b->id ? -1 : 1;
  return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static rift_err build(struct rift_endpoint *ep)
{
  const struct rift_eprules *r = ep->rules;
  struct ep_ind *in = calloc(1, sizeof(*in));
  size_t i, j, n = 0;
  if(!in)
    return RIFT_NOMEM;
  for(i = 0; i < r->nrules; i++) {
    if(r->rules[i].on == EPR_ON_EVENT)
      n += r->rules[i].nevents;
    if(r->rules[i].on == EPR_ON_COMMAND)
      in->ncommand++;
  }
  in->v = malloc((n ? n : 1) * sizeof(*in->v));
  if(!in->v) {
    free(in);
    return RIFT_NOMEM;
  }
  for(i = 0; i < r->nrules; i++) {
    if(r->rules[i].on != EPR_ON_EVENT)
      continue;
    for(j = 0; j < r->rules[i].nevents; j++) {
      in->v[in->n].id = r->rules[i].events[j].id;
      in->v[in->n].rule = (uint32_t)i;
      in->n++;
    }
  }
  if(in->n > 1)
    qsort(in->v, in->n, sizeof(*in->v), cmp_idx);
  ep->ind = in;
  return RIFT_OK;
}

void ep_indicators_release(struct rift_endpoint *ep)
{
  if(ep->ind) {
    free(ep->ind->v);
    free(ep->ind);
    ep->ind = NULL;
  }
}

/* ---- values of fields ------------------------------------------------------ */

struct subject {
  const struct rift_event *e;     /* event rules */
  const char *cmd;                /* command rules over PowerShell text */
  size_t cmdlen;
  const struct rift_proctree *pt; /* process and activity rules */
  uint32_t proc;
  const struct rift_pact *act;
};

static const char *pf_value(const struct subject *s, int pf, char *tmp,
                            size_t *len)
{
  const struct rift_proc *p = s->pt ? &s->pt->procs[s->proc] : NULL;
  const struct rift_proc *pp = p && p->parent ? &s->pt->procs[p->parent]
                                              : NULL;
  const char *v = NULL;
  switch(pf) {
  case EPR_PF_IMAGE: v = p ? p->image : NULL; break;
  case EPR_PF_NAME: v = p ? p->name : NULL; break;
  case EPR_PF_CMDLINE:
    if(s->cmd) {
      *len = s->cmdlen;
      return s->cmd;
    }
    v = p ? p->cmdline : NULL;
    break;
  case EPR_PF_PARENT_IMAGE:
    v = pp && pp->image ? pp->image : p ? p->parent_image : NULL;
    break;
  case EPR_PF_PARENT_NAME:
    if(pp && pp->name) {
      v = pp->name;
    } else if(p && p->parent_image) {
      size_t n = strlen(p->parent_image);
      v = wev_basename(p->parent_image, &n);
    }
    break;
  case EPR_PF_PARENT_CMDLINE:
    v = pp && pp->cmdline ? pp->cmdline : p ? p->parent_cmdline : NULL;
    break;
  case EPR_PF_USER: v = p ? p->user : NULL; break;
  case EPR_PF_INTEGRITY: v = p ? p->integrity : NULL; break;
  case EPR_PF_TARGET: v = s->act ? s->act->a : NULL; break;
  case EPR_PF_DETAILS: v = s->act ? s->act->b : NULL; break;
  case EPR_PF_PORT:
    if(s->act) {
      snprintf(tmp, 32, "%u", s->act->port);
      v = tmp;
    }
    break;
  case EPR_PF_CHANNEL:
    v = s->e ? wev_channel(s->e) : NULL;
    break;
  case EPR_PF_PROVIDER:
    v = s->e ? s->e->provider : NULL;
    break;
  }
  if(v)
    *len = strlen(v);
  return v;
}

static const char *cond_value(const struct subject *s,
                              const struct rift_epr_cond *c, char *tmp,
                              size_t *len)
{
  const struct rift_value *v;
  const char *t;
  if(c->pf >= 0)
    return pf_value(s, c->pf, tmp, len);
  if(!s->e || s->cmd)
    return NULL;
  v = rift_event_get(s->e, c->fid_data);
  if(!v)
    v = rift_event_get(s->e, c->fid_user);
  if(!v)
    return NULL;
  t = rift_value_str(v, tmp, len);
  return t;
}

static int alt_ok(const struct subject *s, const struct rift_epr_alt *a)
{
  size_t i;
  for(i = 0; i < a->nconds; i++) {
    const struct rift_epr_cond *c = &a->conds[i];
    char tmp[32];
    size_t len = 0;
    const char *v = cond_value(s, c, tmp, &len);
    int empty = !v || !len || (len == 1 && v[0] == '-');
    if(c->absent) {
      if(!empty)
        return 0;
      continue;
    }
    if(!v || !rift_epr_match(c->re, v, len))
      return 0;
  }
  return 1;
}

static int rule_ok(const struct subject *s, const struct rift_epr_rule *r)
{
  size_t i;
  int any = r->nmatch == 0;
  for(i = 0; i < r->nmatch && !any; i++)
    any = alt_ok(s, &r->match[i]);
  if(!any)
    return 0;
  for(i = 0; i < r->nnot; i++) {
    if(alt_ok(s, &r->not[i]))
      return 0;
  }
  return 1;
}

/* The message of a rule with {Field} replaced (values cut at 300 bytes). */
static const char *message(struct rift_endpoint *ep, const struct subject *s,
                           const struct rift_epr_rule *r)
{
  struct rift_buf b;
  const char *p = r->message, *res;
  if(!p)
    return NULL;
  rift_buf_init(&b, 4096);
  while(*p) {
    const char *q = strchr(p, '{'), *e;
    if(!q) {
      rift_buf_adds(&b, p);
      break;
    }
    rift_buf_add(&b, p, (size_t)(q - p));
    e = strchr(q, '}');
    if(!e) {
      rift_buf_adds(&b, q);
      break;
    }
    {
      char name[128], tmp[32];
      size_t n = (size_t)(e - q - 1), len = 0;
      struct rift_epr_cond c;
      const char *v;
      if(n >= sizeof(name))
        n = sizeof(name) - 1;
      memcpy(name, q + 1, n);
      name[n] = 0;
      memset(&c, 0, sizeof(c));
      c.pf = -1;
      if(s->e) {
        char fn[200];
        int m = snprintf(fn, sizeof(fn), "winlog.event_data.%s", name);
        if(m > 0 && (size_t)m < sizeof(fn))
          c.fid_data = rift_field_find(fn, (size_t)m);
        m = snprintf(fn, sizeof(fn), "winlog.user_data.%s", name);
        if(m > 0 && (size_t)m < sizeof(fn))
          c.fid_user = rift_field_find(fn, (size_t)m);
      }
      {
        static const char *const pfn[EPR_PF__COUNT] = {
          "image", "name", "command_line", "parent_image", "parent_name",
          "parent_command_line", "user", "integrity", "target", "details",
          "port", "channel", "provider"
        };
        int k;
        for(k = 0; k < EPR_PF__COUNT; k++) {
          if(!strcmp(name, pfn[k]))
            c.pf = k;
        }
      }
      v = cond_value(s, &c, tmp, &len);
      if(v && len) {
        size_t i;
        if(len > 300)
          len = 300;
        for(i = 0; i < len; i++)
          rift_buf_addch(&b, (unsigned char)v[i] < 0x20 ? ' ' : v[i]);
      } else {
        rift_buf_addch(&b, '-');
      }
    }
    p = e + 1;
  }
  res = b.err ? NULL : ep_str(ep, b.buf, b.len);
  rift_buf_release(&b);
  return res;
}

/* ---- event rules ------------------------------------------------------------ */

static const char *actor(struct rift_endpoint *ep, const struct rift_event *e)
{
  char t1[32], t2[32];
  size_t n1 = 0, n2 = 0;
  const char *u = wev_str(e, WEV_SubjectUserName, t1, &n1);
  const char *d = wev_str(e, WEV_SubjectDomainName, t2, &n2);
  if(!u) {
    u = wev_str(e, WEV_User, t1, &n1);
    d = NULL;
  }
  if(!u) {
    u = wev_str(e, WEV_UserContext, t1, &n1);
    d = NULL;
  }
  if(!u)
    return NULL;
  if(d)
    return ep_strf(ep, "%.*s\\%.*s", (int)n2, d, (int)n1, u);
  return ep_str(ep, u, n1);
}

static void event_keys(struct rift_endpoint *ep, struct ep_hit *h,
                       const struct rift_event *e, enum wev_src src)
{
  uint64_t u;
  char tmp[32];
  size_t n = 0;
  const char *s;
  if(src == WEV_SRC_POWERSHELL || src == WEV_SRC_PSCLASSIC) {
    const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_PROCESS_PID);
    if(v && v->type == RIFT_V_UINT)
      h->key_pid = v->u;
    else if(v && v->type == RIFT_V_INT && v->i >= 0)
      h->key_pid = (uint64_t)v->i;
    return;
  }
  if(src == WEV_SRC_SYSMON) {
    s = wev_str(e, WEV_ProcessGuid, tmp, &n);
    if(!s)
      s = wev_str(e, WEV_SourceProcessGuid, tmp, &n);
    if(!s)
      s = wev_str(e, WEV_SourceProcessGUID, tmp, &n);
    if(s)
      h->key_guid = ep_str(ep, s, n);
    if(!wev_u64(e, WEV_ProcessId, &u))
      h->key_pid = u;
    return;
  }
  if(src == WEV_SRC_SECURITY && wev_val(e, WEV_ProcessName) &&
     !wev_u64(e, WEV_ProcessId, &u))
    h->key_pid = u;
}

static const char *host_lower(struct rift_endpoint *ep,
                              const struct rift_event *e)
{
  const char *h = e->host;
  char buf[256];
  size_t n, i;
  if(!h) {
    const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_COMPUTER);
    h = v && v->type == RIFT_V_STR ? v->s : NULL;
  }
  if(!h)
    return NULL;
  n = strlen(h);
  if(n >= sizeof(buf))
    n = sizeof(buf) - 1;
  for(i = 0; i < n; i++)
    buf[i] = h[i] >= 'A' && h[i] <= 'Z' ? (char)(h[i] + 32) : h[i];
  /* the tree interns its host names: use the same pointer when it has it,
   * so that hits resolve to processes */
  if(ep->what & RIFT_EP_PROCTREE) {
    const char *t = rift_proctree_intern(&ep->pt, buf, n);
    if(t)
      return t;
  }
  return ep_str(ep, buf, n);
}

/* The PowerShell text of an event for command rules, or NULL. */
static const char *ps_text(const struct rift_event *e, enum wev_src src,
                           unsigned id, size_t *len)
{
  char tmp[32];
  const char *s = NULL, *q, *end;
  if(src == WEV_SRC_POWERSHELL) {
    if(id == 4104)
      s = wev_str(e, WEV_ScriptBlockText, tmp, len);
    else if(id == 4103)
      s = wev_str(e, WEV_Payload, tmp, len);
    return s;
  }
  if(src != WEV_SRC_PSCLASSIC)
    return NULL;
  if(id == 800)
    return wev_str(e, WEV_param1, tmp, len);
  if(id != 400 && id != 403)
    return NULL;
  s = wev_str(e, WEV_param3, tmp, len);
  if(!s)
    return NULL;
  q = strstr(s, "HostApplication=");
  if(!q)
    return NULL;
  q += 16;
  end = q;
  while(end < s + *len && *end != '\r' && *end != '\n')
    end++;
  *len = (size_t)(end - q);
  return q;
}

static void command_rules(struct rift_endpoint *ep,
                          const struct rift_event *e, enum wev_src src,
                          unsigned id)
{
  const struct rift_eprules *r = ep->rules;
  struct subject s;
  size_t i, n = 0;
  const char *text = ps_text(e, src, id, &n);
  if(!text || !n)
    return;
  memset(&s, 0, sizeof(s));
  s.cmd = text;
  s.cmdlen = n;
  for(i = 0; i < r->nrules; i++) {
    const struct rift_epr_rule *rule = &r->rules[i];
    struct ep_hit *h;
    if(rule->on != EPR_ON_COMMAND || !rule_ok(&s, rule))
      continue;
    h = ep_hit_new(ep, &rule->meta);
    if(!h)
      return;
    h->host = host_lower(ep, e);
    h->ts = h->ts_end = e->ts;
    h->ref = ep_ref(e);
    h->user = actor(ep, e);
    h->command_line = ep_str(ep, text, n > 1000 ? 1000 : n);
    h->message = message(ep, &s, rule);
    event_keys(ep, h, e, src);
  }
}

rift_err ep_indicators_event(struct rift_endpoint *ep,
                             const struct rift_event *e)
{
  const struct rift_eprules *r = ep->rules;
  enum wev_src src;
  unsigned id;
  size_t lo, hi;
  struct subject s;
  rift_err rc;
  if(!ep->ind) {
    rc = build(ep);
    if(rc)
      return rc;
  }
  id = wev_event_id(e);
  if(ep->ind->ncommand) {
    enum wev_src ps = wev_source(e);
    if(ps == WEV_SRC_POWERSHELL || ps == WEV_SRC_PSCLASSIC)
      command_rules(ep, e, ps, id);
  }
  if(!ep->ind->n)
    return RIFT_OK;
  /* first index entry with this id */
  lo = 0;
  hi = ep->ind->n;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(ep->ind->v[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  if(lo >= ep->ind->n || ep->ind->v[lo].id != id)
    return RIFT_OK;
  src = wev_source(e);
  memset(&s, 0, sizeof(s));
  s.e = e;
  for(; lo < ep->ind->n && ep->ind->v[lo].id == id; lo++) {
    const struct rift_epr_rule *rule = &r->rules[ep->ind->v[lo].rule];
    struct ep_hit *h;
    size_t k;
    int src_ok = 0;
    for(k = 0; k < rule->nevents; k++) {
      if(rule->events[k].id == id &&
         (rule->events[k].src < 0 || rule->events[k].src == (int)src))
        src_ok = 1;
    }
    if(!src_ok || !rule_ok(&s, rule))
      continue;
    h = ep_hit_new(ep, &rule->meta);
    if(!h)
      return RIFT_OK;
    h->host = host_lower(ep, e);
    h->ts = h->ts_end = e->ts;
    h->ref = ep_ref(e);
    h->user = actor(ep, e);
    {
      char tmp[32];
      size_t n = 0;
      const char *ip = wev_str(e, WEV_IpAddress, tmp, &n);
      if(ip)
        h->source_ip = ep_str(ep, ip, n);
    }
    h->message = message(ep, &s, rule);
    event_keys(ep, h, e, src);
  }
  return RIFT_OK;
}

/* ---- process and activity rules --------------------------------------------- */

rift_err ep_indicators_tree(struct rift_endpoint *ep)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_proctree *pt = &ep->pt;
  struct subject s;
  size_t i;
  uint32_t k, a;
  int have_proc = 0, have_act = 0;
  for(i = 0; i < r->nrules; i++) {
    have_proc |= r->rules[i].on == EPR_ON_PROCESS ||
                 r->rules[i].on == EPR_ON_COMMAND;
    have_act |= r->rules[i].on == EPR_ON_ACTIVITY;
  }
  memset(&s, 0, sizeof(s));
  s.pt = pt;
  for(k = 1; k < pt->nprocs && (have_proc || have_act); k++) {
    const struct rift_proc *p = &pt->procs[k];
    if(p->merged)
      continue;
    s.proc = k;
    s.act = NULL;
    if(p->src != RIFT_PROC_INFERRED && have_proc) {
      for(i = 0; i < r->nrules; i++) {
        const struct rift_epr_rule *rule = &r->rules[i];
        struct ep_hit *h;
        if((rule->on != EPR_ON_PROCESS && rule->on != EPR_ON_COMMAND) ||
           !rule_ok(&s, rule))
          continue;
        h = ep_hit_new(ep, &rule->meta);
        if(!h)
          return RIFT_OK;
        ep_hit_proc(ep, h, k);
        h->message = message(ep, &s, rule);
      }
    }
    if(!have_act)
      continue;
    for(a = 0; a < p->nact; a++) {
      const struct rift_pact *act = rift_proctree_act(pt, k, a);
      s.act = act;
      for(i = 0; i < r->nrules; i++) {
        const struct rift_epr_rule *rule = &r->rules[i];
        struct ep_hit *h;
        if(rule->on != EPR_ON_ACTIVITY || rule->act_kind != act->kind ||
           !rule_ok(&s, rule))
          continue;
        h = ep_hit_new(ep, &rule->meta);
        if(!h)
          return RIFT_OK;
        ep_hit_proc(ep, h, k);
        h->ts = h->ts_end = act->ts;
        h->ref = act->ref;
        if(act->kind == RIFT_PACT_NET)
          h->destination_ip = act->a;
        h->message = message(ep, &s, rule);
      }
    }
  }
  return RIFT_OK;
}
