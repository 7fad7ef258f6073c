/*
 * rarity.c - rare external destinations and the non-browser client
 * fingerprint reaching many of them (netan.h).
 *
 * A destination is rare when at most rare_max_hosts internal hosts
 * contacted it.  Its score adds, from rules/net/thresholds.tsv:
 *   rare_weight_rare         always (it is rare)
 *   rare_weight_late         first contact in the late part of the time
 *                            the evidence covers (after rare_late_fraction)
 *   rare_weight_self_signed  a self-signed server certificate
 *   rare_weight_nonbrowser   a TLS client fingerprint no browser has
 *   rare_weight_no_name      no DNS answer, SNI or HTTP Host names it
 * capped at 1, reported from rare_report_min, high from rare_high.
 * Then every client fingerprint that is not a known browser's and reached
 * fingerprint_min_destinations rare destinations is a finding of its own
 * (the Emotet pattern: one malware TLS stack, many fresh C2 servers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/rtime.h"
#include "detect/netan.h"
#include "out/evjson.h"

static const char *const tech_rare[] = { "T1071.001", "T1573", NULL };
static const char *const tech_fp[] = { "T1071.001", "T1573.002", NULL };

struct scored {
  struct rift_netdest *d;
  double score;
  int late, self_signed, nonbrowser, named;
};

static int cmp_scored(const void *a, const void *b)
{
  const struct scored *x = a, *y = b;
  if(x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return strcmp(x->d->ip, y->d->ip);
}

static void add_time(struct rift_buf *b, int64_t ts)
{
  char t[RIFT_TIME_FMT_MAX];
  size_t n = rift_time_fmt(t, ts, 3);
  rift_buf_addch(b, '"');
  rift_buf_add(b, t, n);
  rift_buf_addch(b, '"');
}

static void str_list(struct rift_buf *b, const char *const *v, unsigned n)
{
  unsigned i;
  rift_buf_addch(b, '[');
  for(i = 0; i < n; i++) {
    if(i)
      rift_buf_addch(b, ',');
    rift_evjson_str(b, v[i], strlen(v[i]));
  }
  rift_buf_addch(b, ']');
}

static const char *name_of(const struct rift_netmodel *m,
                           const struct rift_netdest *d)
{
  union rift_hval *v;
  if(d->nnames)
    return d->names[0];
  v = rift_hmap_get(&m->ip_names, d->ip, strlen(d->ip));
  return v ? v->p : NULL;
}

static rift_err emit(const struct rift_finding_sink *sink,
                     struct rift_finding *f)
{
  return sink->emit(sink->ctx, f);
}

static void refs_of(const struct rift_netrefs *r, struct rift_event_ref *out,
                    size_t *n)
{
  unsigned i;
  for(i = 0; i < r->n; i++) {
    out[i].file_id = r->r[i].file_id;
    out[i].offset = r->r[i].offset;
    out[i].record_id = r->r[i].record_id;
    out[i].ts = r->r[i].ts;
  }
  *n = r->n;
}

rift_err rift_net_rare(struct rift_netmodel *m,
                       const struct rift_finding_sink *sink)
{
  const struct rift_netcfg *c = m->cfg;
  struct scored *s = calloc(m->dests.n ? m->dests.n : 1, sizeof(*s));
  struct rift_hmap rare;
  struct rift_buf msg, det;
  struct rift_event_ref refs[RIFT_NETAN_MAX_REFS];
  size_t i, n = 0;
  int64_t late_at = INT64_MAX;
  rift_err rc = RIFT_OK;
  if(!s)
    return RIFT_NOMEM;
  rift_hmap_init(&rare, RIFT_NETAN_MAX_ENTRIES);
  rift_buf_init(&msg, RIFT_BUF_MAX_LINE);
  rift_buf_init(&det, RIFT_BUF_MAX_LINE);
  if(m->first != RIFT_TIME_NONE && m->first < m->last)
    late_at = rift_time_add(m->first,
                            (int64_t)(((double)m->last - (double)m->first) *
                                      c->late_fraction));
  for(i = 0; i < m->dests.cap; i++) {
    struct rift_netdest *d = m->dests.ent[i].val.p;
    struct scored *x;
    unsigned k;
    union rift_hval *v;
    int isnew;
    if(!m->dests.ent[i].key)
      continue;
    if(d->hosts_more || d->nhosts > c->rare_max_hosts || !d->nhosts)
      continue;
    rift_hmap_put(&rare, d->ip, strlen(d->ip), &v, &isnew);
    x = &s[n++];
    x->d = d;
    /* logs: the leaf certificate's x509 record says if it is self-issued */
    x->self_signed = d->self_signed;
    for(k = 0; k < d->nleaf && !x->self_signed; k++) {
      union rift_hval *xv = rift_hmap_get(&m->x509, d->leaf[k],
                                          strlen(d->leaf[k]));
      if(xv && xv->i)
        x->self_signed = (int)xv->i;
    }
    for(k = 0; k < d->nfps; k++) {
      if(!rift_netcfg_browser(c, d->fp_ja3[k][0] ? d->fp_ja3[k] : NULL,
                              d->fp_ja4[k][0] ? d->fp_ja4[k] : NULL))
        x->nonbrowser = 1;
    }
    x->named = name_of(m, d) != NULL;
    x->late = d->first >= late_at;
    x->score = c->w_rare + (x->late ? c->w_late : 0) +
               (x->self_signed ? c->w_self_signed : 0) +
               (x->nonbrowser ? c->w_nonbrowser : 0) +
               (x->named ? 0 : c->w_no_name);
    if(x->score > 1)
      x->score = 1;
  }
  qsort(s, n, sizeof(*s), cmp_scored);
  for(i = 0; i < n && !rc; i++) {
    struct scored *x = &s[i];
    struct rift_netdest *d = x->d;
    struct rift_finding f;
    const char *nm = name_of(m, d);
    const char *fps[RIFT_NETAN_MAX_FPS];
    unsigned k, nf = 0;
    if(x->score < c->rare_report_min)
      continue;
    for(k = 0; k < d->nfps; k++) {
      if(!rift_netcfg_browser(c, d->fp_ja3[k][0] ? d->fp_ja3[k] : NULL,
                              d->fp_ja4[k][0] ? d->fp_ja4[k] : NULL))
        fps[nf++] = d->fp_ja4[k][0] ? d->fp_ja4[k] : d->fp_ja3[k];
    }
    rift_buf_reset(&msg);
    rift_buf_addf(&msg, "rare external destination %s%s%s%s contacted by %u "
                  "internal host%s (%s), first seen ", d->ip, nm ? " (" : "",
                  nm ? nm : "", nm ? ")" : "", d->nhosts,
                  d->nhosts == 1 ? "" : "s", d->hosts[0]);
    {
      char t[RIFT_TIME_FMT_MAX];
      rift_time_fmt(t, d->first, 0);
      rift_buf_adds(&msg, t);
    }
    if(x->self_signed)
      rift_buf_adds(&msg, x->self_signed == 1 ? ", self-signed certificate"
                                              : ", self-issued certificate");
    if(x->nonbrowser)
      rift_buf_adds(&msg, ", non-browser TLS client");
    if(!x->named)
      rift_buf_adds(&msg, ", no DNS name");
    if(x->late)
      rift_buf_adds(&msg, ", first seen late");
    rift_buf_reset(&det);
    rift_buf_addf(&det, "{\"score\":%.3f,\"destination\":", x->score);
    rift_evjson_str(&det, d->ip, strlen(d->ip));
    rift_buf_adds(&det, ",\"internal_hosts\":");
    str_list(&det, d->hosts, d->nhosts);
    rift_buf_adds(&det, ",\"names\":");
    if(d->nnames)
      str_list(&det, d->names, d->nnames);
    else if(nm)
      str_list(&det, &nm, 1);
    else
      rift_buf_adds(&det, "[]");
    rift_buf_adds(&det, ",\"first_seen\":");
    add_time(&det, d->first);
    rift_buf_adds(&det, ",\"last_seen\":");
    add_time(&det, d->last);
    rift_buf_addf(&det, ",\"flows\":%llu,\"tls_sessions\":%llu,\"bytes\":%llu",
                  (unsigned long long)d->flows, (unsigned long long)d->tls,
                  (unsigned long long)d->bytes);
    rift_buf_addf(&det, ",\"self_signed\":%s,\"self_issued_only\":%s,"
                  "\"non_browser\":%s,\"late\":%s,\"named\":%s",
                  x->self_signed ? "true" : "false",
                  x->self_signed == 2 ? "true" : "false",
                  x->nonbrowser ? "true" : "false", x->late ? "true" : "false",
                  x->named ? "true" : "false");
    rift_buf_adds(&det, ",\"client_fingerprints\":");
    str_list(&det, fps, nf);
    rift_buf_adds(&det, ",\"ports\":[");
    for(k = 0; k < d->nports; k++)
      rift_buf_addf(&det, "%s%u", k ? "," : "", d->ports[k]);
    rift_buf_adds(&det, "]}");
    memset(&f, 0, sizeof(f));
    f.source = "net.rare";
    f.rule_id = "rift.net.rare_destination";
    f.rule_name = "Rare external destination";
    f.level = x->score >= c->rare_high ? RIFT_LEVEL_HIGH : RIFT_LEVEL_MEDIUM;
    f.techniques = tech_rare;
    f.ts = d->first;
    f.ts_end = d->last;
    f.host = d->hosts[0];
    f.message = msg.buf;
    f.source_ip = d->hosts[0];
    f.destination_ip = d->ip;
    f.details_json = det.buf;
    refs_of(&d->refs, refs, &f.nrefs);
    f.refs = refs;
    if(msg.err || det.err)
      rc = RIFT_NOMEM;
    else
      rc = emit(sink, &f);
  }
  /* the fingerprint pattern */
  for(i = 0; i < m->fps.cap && !rc; i++) {
    struct rift_netfp *fp = m->fps.ent[i].val.p;
    const char *dl[32];
    unsigned nd = 0, nrare = 0;
    size_t k;
    struct rift_finding f;
    const char *id;
    if(!m->fps.ent[i].key || fp->browser)
      continue;
    for(k = 0; k < fp->dests.cap; k++) {
      const char *ip = fp->dests.ent[k].key;
      if(!ip || !rift_hmap_get(&rare, ip, strlen(ip)))
        continue;
      nrare++;
      if(nd < 32)
        dl[nd++] = ip;
    }
    if(nrare < c->fp_min_destinations)
      continue;
    id = fp->ja4 ? fp->ja4 : fp->ja3;
    rift_buf_reset(&msg);
    rift_buf_addf(&msg, "TLS client fingerprint %s (JA3 %s) is no known "
                  "browser's and reached %u rare external destinations "
                  "from %u internal host%s (%s)", id,
                  fp->ja3 ? fp->ja3 : "-", nrare, fp->nhosts,
                  fp->nhosts == 1 ? "" : "s", fp->hosts[0]);
    rift_buf_reset(&det);
    rift_buf_adds(&det, "{\"ja3\":");
    if(fp->ja3)
      rift_evjson_str(&det, fp->ja3, strlen(fp->ja3));
    else
      rift_buf_adds(&det, "null");
    rift_buf_adds(&det, ",\"ja4\":");
    if(fp->ja4)
      rift_evjson_str(&det, fp->ja4, strlen(fp->ja4));
    else
      rift_buf_adds(&det, "null");
    rift_buf_addf(&det, ",\"rare_destinations\":%u,\"destinations\":", nrare);
    str_list(&det, dl, nd);
    rift_buf_adds(&det, ",\"internal_hosts\":");
    str_list(&det, fp->hosts, fp->nhosts);
    rift_buf_addf(&det, ",\"sessions\":%llu}", (unsigned long long)fp->sessions);
    memset(&f, 0, sizeof(f));
    f.source = "net.fingerprint";
    f.rule_id = "rift.net.nonbrowser_fingerprint_rare_destinations";
    f.rule_name = "Non-browser TLS client reaching many rare destinations";
    f.level = RIFT_LEVEL_HIGH;
    f.techniques = tech_fp;
    f.ts = fp->first;
    f.ts_end = fp->last;
    f.host = fp->hosts[0];
    f.source_ip = fp->hosts[0];
    f.message = msg.buf;
    f.details_json = det.buf;
    refs_of(&fp->refs, refs, &f.nrefs);
    f.refs = refs;
    if(msg.err || det.err)
      rc = RIFT_NOMEM;
    else
      rc = emit(sink, &f);
  }
  rift_buf_release(&msg);
  rift_buf_release(&det);
  rift_hmap_release(&rare);
  free(s);
  return rc;
}
