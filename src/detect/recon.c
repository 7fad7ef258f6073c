/*
 * recon.c - attacker behaviour over the process tree: LOLBins and
 * document readers with children or outbound connections, processes
 * spawning many children quickly, discovery commands and bursts of them,
 * encoded or obfuscated PowerShell, lsass access.
 *
 * Lists and thresholds come from rules/endpoint/behaviour.yaml; the
 * finding titles, levels and ATT&CK ids of each detector from its
 * "detectors:" section (with the defaults below if absent).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/rtime.h"
#include "detect/endpoint-int.h"
#include "detect/winev.h"

static const char *const t_lolbin[] = { "T1218", NULL };
static const char *const t_reader[] = { "T1204.002", "T1566.001", NULL };
static const char *const t_many[] = { "T1059", NULL };
static const char *const t_disc[] = { "T1082", NULL };
static const char *const t_ps[] = { "T1059.001", "T1027", NULL };
static const char *const t_lsass[] = { "T1003.001", NULL };

/* ---- helpers ---------------------------------------------------------------- */

static int is_local_ip(const char *ip)
{
  if(!ip)
    return 1;
  return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1") ||
         !strcmp(ip, "0:0:0:0:0:0:0:1") || !strcmp(ip, "0.0.0.0");
}

/* A NULL-ended union of two technique lists, in the engine's arena. */
static const char *const *tech_union(struct rift_endpoint *ep,
                                     const char *const *a,
                                     const char *const *b)
{
  const char **v;
  size_t n = 0, i, j;
  v = ep_alloc(ep, (RIFT_EPR_MAX_TECHNIQUES * 2 + 1) * sizeof(*v));
  if(!v)
    return a;
  for(i = 0; i < 2; i++) {
    const char *const *l = i ? b : a;
    for(; l && *l && n < RIFT_EPR_MAX_TECHNIQUES * 2; l++) {
      for(j = 0; j < n; j++)
        if(!strcmp(v[j], *l))
          break;
      if(j == n)
        v[n++] = *l;
    }
  }
  v[n] = NULL;
  return v;
}

static int ignored_child(const struct rift_eprules *r,
                         const struct rift_proc *c)
{
  return c->name && rift_epr_in(r->child_ignore, c->name);
}

/* ---- PowerShell ------------------------------------------------------------- */

static int b64val(char c)
{
  if(c >= 'A' && c <= 'Z')
    return c - 'A';
  if(c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if(c >= '0' && c <= '9')
    return c - '0' + 52;
  if(c == '+')
    return 62;
  if(c == '/')
    return 63;
  return -1;
}

long ep_ps_decode(const char *b64, size_t n, char *out, size_t cap)
{
  uint32_t acc = 0;
  int bits = 0;
  size_t i, o = 0, nb = 0;
  unsigned char lo = 0;
  int have_lo = 0;
  if(cap < 4)
    return -1;
  for(i = 0; i < n; i++) {
    int v;
    if(b64[i] == '=')
      break;
    v = b64val(b64[i]);
    if(v < 0)
      return -1;
    acc = acc << 6 | (uint32_t)v;
    bits += 6;
    if(bits >= 8) {
      unsigned char byte = (unsigned char)(acc >> (bits - 8));
      bits -= 8;
      nb++;
      /* UTF-16LE: pair bytes into code units; keep printable ASCII and
       * turn the rest into '?' (this is for a human to read) */
      if(!have_lo) {
        lo = byte;
        have_lo = 1;
      } else {
        unsigned cu = (unsigned)lo | (unsigned)byte << 8;
        have_lo = 0;
        if(o + 2 >= cap)
          break;
        if(cu == '\n' || cu == '\t' || (cu >= 0x20 && cu < 0x7f))
          out[o++] = (char)cu;
        else if(cu == '\r')
          continue;
        else
          out[o++] = '?';
      }
    }
  }
  if(nb < 2)
    return -1;
  out[o] = 0;
  return (long)o;
}

double ep_ps_obfuscation(const char *s, size_t n)
{
  /* characters PowerShell obfuscators lean on: tick escapes, format
   * strings and concatenation, carets and char codes */
  size_t i, odd = 0;
  if(!n)
    return 0;
  for(i = 0; i < n; i++) {
    switch(s[i]) {
    case '`': case '+': case '{': case '}': case '^': case '\'':
    case '[': case ']': case '%': case '|': case ',':
      odd++;
      break;
    default:
      break;
    }
  }
  return (double)odd / (double)n;
}

/* Where an -EncodedCommand argument starts, or NULL. */
static const char *enc_arg(const char *cmd, size_t *len)
{
  const char *p = cmd;
  while((p = strchr(p, '-')) || (p = NULL)) {
    const char *q = p + 1;
    size_t w = 0;
    while(q[w] && q[w] != ' ' && q[w] != '\t' && q[w] != '"' &&
          q[w] != ':')
      w++;
    /* -e, -en, -enc, ..., -encodedcommand (any prefix PowerShell takes),
     * also -ec */
    if(w >= 1 && (!strncasecmp(q, "encodedcommand", w) ||
                  (w == 2 && !strncasecmp(q, "ec", 2)))) {
      const char *a = q + w;
      size_t n = 0;
      while(*a == ' ' || *a == '\t' || *a == '"' || *a == '\'' || *a == ':')
        a++;
      while(a[n] && b64val(a[n]) >= 0)
        n++;
      while(a[n] == '=')
        n++;
      *len = n;
      return a;
    }
    p = q;
  }
  return NULL;
}

static void ps_check(struct rift_endpoint *ep, const char *text, size_t n,
                     uint32_t proc, const struct rift_event *e,
                     const char *what)
{
  const struct rift_eprules *r = ep->rules;
  const char *a;
  size_t alen = 0;
  char dec[1024];
  struct ep_hit *h = NULL;
  a = enc_arg(text, &alen);
  if(a && alen >= r->ps_min_encoded) {
    long dl = ep_ps_decode(a, alen, dec, sizeof(dec));
    const struct rift_epr_meta *m = ep_meta(ep, "powershell.encoded",
                                            "Encoded PowerShell command",
                                            RIFT_LEVEL_HIGH, t_ps);
    h = ep_hit_new(ep, m);
    if(!h)
      return;
    h->message = dl >= 0 ? ep_strf(ep, "%s with -EncodedCommand: %s", what,
                                   dec)
                         : ep_strf(ep, "%s with -EncodedCommand (%zu base64 "
                                   "characters)", what, alen);
    if(dl >= 0) {
      struct rift_buf b;
      rift_buf_init(&b, RIFT_BUF_MAX_LINE);
      rift_buf_adds(&b, "{\"decoded\":\"");
      rift_buf_add_json(&b, dec, (size_t)dl);
      rift_buf_adds(&b, "\"}");
      if(!b.err)
        h->details_json = ep_str(ep, b.buf, b.len);
      rift_buf_release(&b);
    }
  } else if(n >= r->ps_min_len) {
    double score = ep_ps_obfuscation(text, n);
    if(score >= r->ps_obfuscation) {
      const struct rift_epr_meta *m = ep_meta(ep, "powershell.obfuscated",
                                              "Obfuscated PowerShell",
                                              RIFT_LEVEL_MEDIUM, t_ps);
      h = ep_hit_new(ep, m);
      if(!h)
        return;
      h->message = ep_strf(ep, "%s looks obfuscated (%.0f%% of tick, quote, "
                           "brace, plus, caret characters): %.300s", what,
                           score * 100, text);
      h->details_json = ep_strf(ep, "{\"score\":%.3f}", score);
    }
  }
  if(!h)
    return;
  if(proc) {
    ep_hit_proc(ep, h, proc);
  } else if(e) {
    const struct rift_value *v = rift_event_get(e, RIFT_F_WINLOG_PROCESS_PID);
    h->ts = h->ts_end = e->ts;
    h->ref = ep_ref(e);
    if(v && v->type == RIFT_V_UINT)
      h->key_pid = v->u;
    {
      const char *hn = e->host;
      char buf[256];
      size_t k, len;
      if(hn) {
        len = strlen(hn);
        if(len >= sizeof(buf))
          len = sizeof(buf) - 1;
        for(k = 0; k < len; k++)
          buf[k] = hn[k] >= 'A' && hn[k] <= 'Z' ? (char)(hn[k] + 32) : hn[k];
        h->host = rift_proctree_intern(&ep->pt, buf, len);
      }
    }
  }
}

/* Script blocks (4104), pipeline execution (4103, 800) and engine starts
 * (400, whose HostApplication is the command line). */
rift_err ep_recon_event(struct rift_endpoint *ep, const struct rift_event *e)
{
  enum wev_src src = wev_source(e);
  unsigned id;
  char tmp[32];
  size_t n = 0;
  const char *s = NULL;
  if(src != WEV_SRC_POWERSHELL && src != WEV_SRC_PSCLASSIC)
    return RIFT_OK;
  id = wev_event_id(e);
  if(src == WEV_SRC_POWERSHELL && id == 4104)
    s = wev_str(e, WEV_ScriptBlockText, tmp, &n);
  else if(src == WEV_SRC_PSCLASSIC && id == 400) {
    /* "HostApplication=powershell.exe -enc ..." inside param3 */
    const char *p = wev_str(e, WEV_param3, tmp, &n), *q, *end;
    if(!p)
      return RIFT_OK;
    q = strstr(p, "HostApplication=");
    if(!q)
      return RIFT_OK;
    q += 16;
    end = q;
    while(end < p + n && *end != '\r' && *end != '\n')
      end++;
    s = q;
    n = (size_t)(end - q);
    {
      char buf[8192];
      if(n >= sizeof(buf))
        n = sizeof(buf) - 1;
      memcpy(buf, s, n);
      buf[n] = 0;
      ps_check(ep, buf, n, 0, e, "PowerShell host");
    }
    return RIFT_OK;
  }
  if(!s)
    return RIFT_OK;
  ps_check(ep, s, n, 0, e, "PowerShell script block");
  return RIFT_OK;
}

/* ---- tree detectors ------------------------------------------------------------ */

static void parent_children(struct rift_endpoint *ep, uint32_t k,
                            const struct rift_epr_name *entry, int reader)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_proctree *pt = &ep->pt;
  const struct rift_proc *p = &pt->procs[k];
  const struct rift_epr_meta *m;
  struct ep_hit *h;
  uint32_t c, n = 0, i;
  for(c = p->first_child; c; c = pt->procs[c].next_sibling)
    if(!ignored_child(r, &pt->procs[c]))
      n++;
  if(!n)
    return;
  m = reader ? ep_meta(ep, "reader.child", "Document reader started a "
                       "process", RIFT_LEVEL_HIGH, t_reader)
             : ep_meta(ep, "lolbin.child", "LOLBin started a process",
                       RIFT_LEVEL_MEDIUM, t_lolbin);
  h = ep_hit_new(ep, m);
  if(!h)
    return;
  ep_hit_proc(ep, h, k);
  h->techniques = tech_union(ep, entry->techniques, m->techniques);
  h->procs = ep_alloc(ep, (size_t)n * sizeof(*h->procs));
  h->refs = ep_alloc(ep, ((size_t)n + 1) * sizeof(*h->refs));
  if(!h->procs || !h->refs)
    return;
  if(p->src != RIFT_PROC_INFERRED)
    h->refs[h->nrefs++] = p->ref;
  i = 0;
  for(c = p->first_child; c; c = pt->procs[c].next_sibling) {
    if(ignored_child(r, &pt->procs[c]))
      continue;
    h->procs[h->nprocs++] = c;
    if(h->nrefs < RIFT_EP_MAX_REFS)
      h->refs[h->nrefs++] = pt->procs[c].ref;
    if(pt->procs[c].start != RIFT_TIME_NONE &&
       (h->ts_end == RIFT_TIME_NONE || pt->procs[c].start > h->ts_end))
      h->ts_end = pt->procs[c].start;
    i++;
  }
  {
    const struct rift_proc *c0 = &pt->procs[h->procs[0]];
    h->message = ep_strf(ep, "%s (pid %llu) started %u process%s, first %s%s"
                         "%.200s", p->name ? p->name : "?",
                         (unsigned long long)p->pid, n, n > 1 ? "es" : "",
                         c0->name ? c0->name : "?", c0->cmdline ? ": " : "",
                         c0->cmdline ? c0->cmdline : "");
  }
}

static void parent_network(struct rift_endpoint *ep, uint32_t k,
                           const struct rift_epr_name *entry, int reader)
{
  const struct rift_proctree *pt = &ep->pt;
  const struct rift_proc *p = &pt->procs[k];
  const struct rift_epr_meta *m = NULL;
  struct ep_hit *h = NULL;
  uint32_t i, n = 0;
  for(i = 0; i < p->nact; i++) {
    const struct rift_pact *a = rift_proctree_act(pt, k, i);
    if(a->kind != RIFT_PACT_NET || !(a->flags & RIFT_PACT_INITIATED) ||
       is_local_ip(a->a))
      continue;
    if(!h) {
      m = reader ? ep_meta(ep, "reader.network", "Document reader connected "
                           "out", RIFT_LEVEL_HIGH, t_reader)
                 : ep_meta(ep, "lolbin.network", "LOLBin connected out",
                           RIFT_LEVEL_HIGH, t_lolbin);
      h = ep_hit_new(ep, m);
      if(!h)
        return;
      ep_hit_proc(ep, h, k);
      h->techniques = tech_union(ep, entry->techniques, m->techniques);
      h->refs = ep_alloc(ep, ((size_t)p->nact + 1) * sizeof(*h->refs));
      if(!h->refs)
        return;
      h->ts = a->ts;
      h->destination_ip = a->a;
      h->message = ep_strf(ep, "%s (pid %llu) connected to %s:%u%s%s%s",
                           p->name ? p->name : "?",
                           (unsigned long long)p->pid, a->a, a->port,
                           a->b ? " (" : "", a->b ? a->b : "",
                           a->b ? ")" : "");
    }
    if(h->nrefs < RIFT_EP_MAX_REFS)
      h->refs[h->nrefs++] = a->ref;
    h->ts_end = a->ts;
    n++;
  }
  (void)n;
}

static int cmp_start(const void *x, const void *y, void *ctx)
{
  const struct rift_proctree *pt = ctx;
  int64_t a = pt->procs[*(const uint32_t *)x].start;
  int64_t b = pt->procs[*(const uint32_t *)y].start;
  return a < b ? -1 : a > b;
}

static void many_children(struct rift_endpoint *ep, uint32_t k)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_proctree *pt = &ep->pt;
  const struct rift_proc *p = &pt->procs[k];
  uint32_t *v, n = 0, c, i, j = 0, best = 0, blo = 0, bhi = 0;
  struct ep_hit *h;
  if(p->nchildren < r->many_children || !r->many_children)
    return;
  v = malloc((size_t)p->nchildren * sizeof(*v));
  if(!v)
    return;
  for(c = p->first_child; c; c = pt->procs[c].next_sibling) {
    if(!ignored_child(r, &pt->procs[c]) &&
       pt->procs[c].start != RIFT_TIME_NONE && n < p->nchildren)
      v[n++] = c;
  }
  if(n > 1)
    qsort_r(v, n, sizeof(*v), cmp_start, (void *)pt);
  for(i = 0; i < n; i++) {
    while(wev_gap(pt->procs[v[i]].start, pt->procs[v[j]].start) >
          r->many_children_ns)
      j++;
    if(i - j + 1 > best) {
      best = i - j + 1;
      blo = j;
      bhi = i + 1;
    }
  }
  if(best >= r->many_children) {
    h = ep_hit_new(ep, ep_meta(ep, "process.many_children",
                               "Process started many children quickly",
                               RIFT_LEVEL_MEDIUM, t_many));
    if(h) {
      ep_hit_proc(ep, h, k);
      h->ts = pt->procs[v[blo]].start;
      h->ts_end = pt->procs[v[bhi - 1]].start;
      h->refs = ep_alloc(ep, ((size_t)(bhi - blo) + 1) * sizeof(*h->refs));
      h->procs = ep_alloc(ep, ((size_t)(bhi - blo) + 1) * sizeof(*h->procs));
      if(h->refs && h->procs) {
        if(p->src != RIFT_PROC_INFERRED)
          h->refs[h->nrefs++] = p->ref;
        for(i = blo; i < bhi; i++) {
          if(h->nrefs < RIFT_EP_MAX_REFS)
            h->refs[h->nrefs++] = pt->procs[v[i]].ref;
          h->procs[h->nprocs++] = v[i];
        }
      }
      h->message = ep_strf(ep, "%s (pid %llu) started %u processes within "
                           "%llds", p->name ? p->name : "?",
                           (unsigned long long)p->pid, best,
                           (long long)(r->many_children_ns / 1000000000LL));
    }
  }
  free(v);
}

/* The discovery entry a process matches, or NULL. */
static const struct rift_epr_disc *discovery(const struct rift_eprules *r,
                                             const struct rift_proc *p)
{
  size_t i;
  if(!p->name)
    return NULL;
  for(i = 0; i < r->ndisc; i++) {
    const struct rift_epr_disc *d = &r->disc[i];
    if(!rift_epr_in(d->names, p->name))
      continue;
    if(d->args) {
      if(!p->cmdline ||
         !rift_epr_match(d->args, p->cmdline, strlen(p->cmdline)))
        continue;
    }
    return d;
  }
  return NULL;
}

struct disc_seen {
  uint32_t proc;
  const struct rift_epr_disc *d;
  const char *key;  /* user, else the root's pid */
  const char *host;
  int64_t ts;
};

static int cmp_disc(const void *x, const void *y)
{
  const struct disc_seen *a = x, *b = y;
  int c = strcmp(a->host ? a->host : "", b->host ? b->host : "");
  if(c)
    return c;
  c = strcasecmp(a->key, b->key);
  if(c)
    return c;
  if(a->ts != b->ts)
    return a->ts < b->ts ? -1 : 1;
  return a->proc < b->proc ? -1 : a->proc > b->proc;
}

static uint32_t root_of(const struct rift_proctree *pt, uint32_t k)
{
  unsigned d = 0;
  while(pt->procs[k].parent && d++ < RIFT_PT_MAX_DEPTH)
    k = pt->procs[k].parent;
  return k;
}

static uint32_t distinct_in(const struct disc_seen *v, uint32_t lo,
                            uint32_t hi)
{
  uint32_t i, j, n = 0;
  for(i = lo; i < hi; i++) {
    for(j = lo; j < i; j++)
      if(v[j].d == v[i].d)
        break;
    if(j == i)
      n++;
  }
  return n;
}

static void bursts(struct rift_endpoint *ep, struct disc_seen *v, uint32_t n)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_proctree *pt = &ep->pt;
  uint32_t lo, hi;
  if(n > 1)
    qsort(v, n, sizeof(*v), cmp_disc);
  for(lo = 0; lo < n; lo = hi) {
    uint32_t i, j, best = 0, blo = 0, bhi = 0;
    hi = lo + 1;
    while(hi < n && !strcmp(v[hi].host ? v[hi].host : "",
                            v[lo].host ? v[lo].host : "") &&
          !strcasecmp(v[hi].key, v[lo].key))
      hi++;
    j = lo;
    for(i = lo; i < hi; i++) {
      uint32_t d;
      while(wev_gap(v[i].ts, v[j].ts) > r->burst_ns)
        j++;
      if(i - j + 1 < r->burst_distinct || i - j + 1 <= best)
        continue;
      d = distinct_in(v, j, i + 1);
      if(d > best) {
        best = d;
        blo = j;
        bhi = i + 1;
      }
    }
    if(best >= r->burst_distinct) {
      const struct rift_epr_meta *m = ep_meta(ep, "discovery.burst",
                                              "Burst of discovery commands",
                                              RIFT_LEVEL_HIGH, t_disc);
      struct ep_hit *h = ep_hit_new(ep, m);
      const char *const *tech = m->techniques;
      struct rift_buf b;
      if(!h)
        return;
      ep_hit_proc(ep, h, v[blo].proc);
      h->ts = v[blo].ts;
      h->ts_end = v[bhi - 1].ts;
      h->refs = ep_alloc(ep, (size_t)(bhi - blo) * sizeof(*h->refs));
      h->procs = ep_alloc(ep, (size_t)(bhi - blo) * sizeof(*h->procs));
      rift_buf_init(&b, RIFT_BUF_MAX_LINE);
      for(i = blo; i < bhi && h->refs && h->procs; i++) {
        if(h->nrefs < RIFT_EP_MAX_REFS)
          h->refs[h->nrefs++] = pt->procs[v[i].proc].ref;
        h->procs[h->nprocs++] = v[i].proc;
        tech = tech_union(ep, tech, v[i].d->techniques);
        for(j = blo; j < i; j++)
          if(v[j].d == v[i].d)
            break;
        if(j == i) {
          if(b.len)
            rift_buf_adds(&b, ", ");
          rift_buf_adds(&b, v[i].d->what ? v[i].d->what : v[i].d->names[0]);
        }
      }
      h->techniques = tech;
      h->group_key = v[lo].key;
      h->message = ep_strf(ep, "%u kinds of discovery within %llds by %s: "
                           "%s", best,
                           (long long)(wev_gap(v[bhi - 1].ts, v[blo].ts) /
                                       1000000000LL),
                           v[lo].key, b.err ? "" : b.buf);
      rift_buf_release(&b);
    }
  }
}

static void lsass(struct rift_endpoint *ep, uint32_t k)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_proctree *pt = &ep->pt;
  const struct rift_proc *p = &pt->procs[k];
  uint32_t i;
  if(p->name && rift_epr_in(r->lsass_ignore, p->name))
    return;
  for(i = 0; i < p->nact; i++) {
    const struct rift_pact *a = rift_proctree_act(pt, k, i);
    size_t n;
    const char *tn;
    uint64_t acc = 0;
    struct ep_hit *h;
    int dump;
    if(a->kind != RIFT_PACT_ACCESS && a->kind != RIFT_PACT_INJECT)
      continue;
    if(!a->a)
      continue;
    n = strlen(a->a);
    tn = wev_basename(a->a, &n);
    if(strcasecmp(tn, "lsass.exe"))
      continue;
    if(a->kind == RIFT_PACT_ACCESS) {
      if(!a->b || wev_parse_u64(a->b, strlen(a->b), &acc))
        continue;
      /* PROCESS_VM_READ (0x10) is what reading credentials needs */
      if(!(acc & 0x10))
        continue;
    }
    dump = a->kind == RIFT_PACT_ACCESS && (a->flags & RIFT_PACT_DUMPTRACE);
    h = ep_hit_new(ep, dump ? ep_meta(ep, "credential.lsass_dump",
                                      "LSASS memory dumped",
                                      RIFT_LEVEL_CRITICAL, t_lsass)
                     : a->kind == RIFT_PACT_INJECT
                       ? ep_meta(ep, "credential.lsass_thread",
                                 "Thread injected into LSASS",
                                 RIFT_LEVEL_CRITICAL, t_lsass)
                       : ep_meta(ep, "credential.lsass_access",
                                 "LSASS memory read access",
                                 RIFT_LEVEL_HIGH, t_lsass));
    if(!h)
      return;
    ep_hit_proc(ep, h, k);
    h->ts = h->ts_end = a->ts;
    h->ref = a->ref;
    h->message = a->kind == RIFT_PACT_INJECT
                   ? ep_strf(ep, "%s (pid %llu) started a thread in lsass.exe",
                             p->name ? p->name : "?",
                             (unsigned long long)p->pid)
                   : ep_strf(ep, "%s (pid %llu) opened lsass.exe with access "
                             "%s%s", p->name ? p->name : "?",
                             (unsigned long long)p->pid, a->b,
                             dump ? " through dbghelp/dbgcore (minidump)" : "");
  }
}

rift_err ep_recon_tree(struct rift_endpoint *ep)
{
  const struct rift_eprules *r = ep->rules;
  const struct rift_proctree *pt = &ep->pt;
  struct disc_seen *seen = NULL;
  uint32_t k, nseen = 0, capseen = 0;
  for(k = 1; k < pt->nprocs; k++) {
    const struct rift_proc *p = &pt->procs[k];
    const struct rift_epr_name *e;
    const struct rift_epr_disc *d;
    if(p->merged)
      continue;
    e = rift_epr_find(r->lolbins, r->nlolbins, p->name);
    if(e) {
      parent_children(ep, k, e, 0);
      parent_network(ep, k, e, 0);
    }
    e = rift_epr_find(r->readers, r->nreaders, p->name);
    if(e) {
      parent_children(ep, k, e, 1);
      parent_network(ep, k, e, 1);
    }
    many_children(ep, k);
    lsass(ep, k);
    if(p->src == RIFT_PROC_INFERRED)
      continue;
    if(p->cmdline && p->name &&
       (!strcasecmp(p->name, "powershell.exe") ||
        !strcasecmp(p->name, "pwsh.exe") ||
        !strcasecmp(p->name, "powershell_ise.exe")))
      ps_check(ep, p->cmdline, strlen(p->cmdline), k, NULL,
               "PowerShell command line");
    d = discovery(r, p);
    if(d) {
      struct ep_hit *h = ep_hit_new(ep, ep_meta(ep, "discovery.command",
                                                "Discovery command",
                                                RIFT_LEVEL_LOW, t_disc));
      if(h) {
        ep_hit_proc(ep, h, k);
        h->techniques = d->techniques;
        h->group_key = ep_strf(ep, "%s|%s", p->user ? p->user : "",
                               d->what ? d->what : d->names[0]);
        h->message = ep_strf(ep, "%s: %.300s", d->what ? d->what : "discovery",
                             p->cmdline ? p->cmdline : p->name);
      }
      if(p->start != RIFT_TIME_NONE) {
        if(nseen == capseen) {
          uint32_t nc = capseen ? capseen * 2 : 256;
          struct disc_seen *ns = realloc(seen, (size_t)nc * sizeof(*ns));
          if(!ns) {
            free(seen);
            return RIFT_NOMEM;
          }
          seen = ns;
          capseen = nc;
        }
        seen[nseen].proc = k;
        seen[nseen].d = d;
        seen[nseen].host = p->host;
        seen[nseen].ts = p->start;
        seen[nseen].key = p->user;
        if(!seen[nseen].key) {
          uint32_t root = root_of(pt, k);
          seen[nseen].key = ep_strf(ep, "tree of pid %llu",
                                    (unsigned long long)pt->procs[root].pid);
          if(!seen[nseen].key)
            seen[nseen].key = "?";
        }
        nseen++;
      }
    }
  }
  if(nseen && r->burst_distinct)
    bursts(ep, seen, nseen);
  free(seen);
  return RIFT_OK;
}
