/*
 * beacon.c - beacons and long connections (netan.h).
 *
 * Scoring after RITA (activecm/rita, the v4 beacon analyzer): for the
 * connections from one internal host to one external address,
 *   timing:   the intervals between connection starts; Bowley skewness
 *             (Q1 + Q3 - 2 Q2) / (Q3 - Q1) (0 when Q3 = Q1, Q2 = Q1 or
 *             Q2 = Q3) gives 1 - |skew|; the median absolute deviation
 *             about the median (MADM) gives 1 - MADM / 30 s (floored at
 *             0; the 30 s are beacon_interval_dispersion); timing = their
 *             mean
 *   size:     the same on the bytes the host sent per connection, with
 *             1 - MADM / 32 bytes (beacon_size_dispersion), plus
 *             smallness 1 - mode / 65535; size = the mean of the three
 *   duration: persistence: how much of the time from the first connection
 *             to the end of the evidence the connections span (a beacon
 *             that starts late, as after an infection, still scores 1;
 *             RITA's coverage of the whole dataset would punish it)
 * score = weighted mean (beacon_weight_* in rules/net/thresholds.tsv),
 * reported from beacon_min_score with at least beacon_min_connections
 * connections.  Quartiles use linear interpolation between ranks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/rtime.h"
#include "detect/netan.h"
#include "out/evjson.h"

static const char *const tech_beacon[] = { "T1071", "T1573", NULL };
static const char *const tech_long[] = { "T1071", NULL };

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmp_conn(const void *a, const void *b)
{
  const struct rift_netconn *x = a, *y = b;
  return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Percentile of sorted v[0..n) with linear interpolation. */
static double pct(const double *v, size_t n, double p)
{
  double r = p * (double)(n - 1);
  size_t lo = (size_t)r;
  double f = r - (double)lo;
  if(lo + 1 >= n)
    return v[n - 1];
  return v[lo] + (v[lo + 1] - v[lo]) * f;
}

/* Bowley skew and MADM of v (sorted in place); returns the median. */
static double shape(double *v, size_t n, double *skew, double *madm)
{
  double q1, q2, q3, *dev;
  size_t i;
  qsort(v, n, sizeof(*v), cmp_d);
  q1 = pct(v, n, 0.25);
  q2 = pct(v, n, 0.5);
  q3 = pct(v, n, 0.75);
  *skew = (q3 != q1 && q2 != q1 && q2 != q3) ? (q1 + q3 - 2 * q2) / (q3 - q1)
                                             : 0;
  dev = malloc(n * sizeof(*dev));
  if(!dev) {
    *madm = q2;
    return q2;
  }
  for(i = 0; i < n; i++)
    dev[i] = fabs(v[i] - q2);
  qsort(dev, n, sizeof(*dev), cmp_d);
  *madm = pct(dev, n, 0.5);
  free(dev);
  return q2;
}

double rift_beacon_score(const struct rift_netconn *c, size_t n, int64_t end,
                         const struct rift_netcfg *cfg,
                         struct rift_beacon_score *o)
{
  double *v, mid, mode = 0;
  size_t i, best = 0, run;
  double wt = cfg->w_timing, ws = cfg->w_size, wd = cfg->w_duration;
  memset(o, 0, sizeof(*o));
  if(n < 3)
    return 0;
  v = malloc(n * sizeof(*v));
  if(!v)
    return 0;
  /* timing */
  for(i = 0; i + 1 < n; i++)
    v[i] = ((double)c[i + 1].ts - (double)c[i].ts) / 1e9;
  mid = shape(v, n - 1, &o->ts_skew, &o->ts_madm);
  o->interval = mid;
  o->ts_score = ((1 - fabs(o->ts_skew)) +
                 fmax(0, 1 - o->ts_madm / cfg->interval_dispersion)) / 2;
  /* sizes */
  for(i = 0; i < n; i++)
    v[i] = (double)c[i].bytes;
  mid = shape(v, n, &o->ds_skew, &o->ds_madm);
  for(i = 0; i < n; i += run) { /* mode of the sorted sizes */
    run = 1;
    while(i + run < n && v[i + run] == v[i])
      run++;
    if(run > best) {
      best = run;
      mode = v[i];
    }
  }
  o->ds_smallness = fmax(0, 1 - mode / 65535);
  (void)mid;
  o->ds_score = ((1 - fabs(o->ds_skew)) +
                 fmax(0, 1 - o->ds_madm / cfg->size_dispersion) +
                 o->ds_smallness) / 3;
  free(v);
  /* duration: persistence until the end of the evidence */
  o->duration = end > c[0].ts ? fmin(1, ((double)c[n - 1].ts - (double)c[0].ts) /
                                          ((double)end - (double)c[0].ts)) : 0;
  o->score = (wt * o->ts_score + ws * o->ds_score + wd * o->duration) /
             (wt + ws + wd);
  return o->score;
}

static void dur_str(char *o, size_t on, double sec)
{
  unsigned long s = (unsigned long)sec;
  if(s >= 3600)
    snprintf(o, on, "%luh%02lum", s / 3600, s / 60 % 60);
  else if(s >= 60)
    snprintf(o, on, "%lum%02lus", s / 60, s % 60);
  else
    snprintf(o, on, "%.1fs", sec);
}

rift_err rift_net_beacons(struct rift_netmodel *m,
                          const struct rift_finding_sink *sink)
{
  const struct rift_netcfg *c = m->cfg;
  struct rift_buf msg, det;
  struct rift_event_ref refs[RIFT_NETAN_MAX_REFS];
  size_t i;
  rift_err rc = RIFT_OK;
  rift_buf_init(&msg, RIFT_BUF_MAX_LINE);
  rift_buf_init(&det, RIFT_BUF_MAX_LINE);
  for(i = 0; i < m->pairs.cap && !rc; i++) {
    struct rift_netpair *p = m->pairs.ent[i].val.p;
    struct rift_beacon_score bs;
    struct rift_finding f;
    union rift_hval *nm;
    const struct rift_netdest *d;
    const char *name = NULL;
    char iv[32];
    unsigned k;
    if(!m->pairs.ent[i].key || p->n < c->beacon_min_connections)
      continue;
    qsort(p->c, p->n, sizeof(*p->c), cmp_conn);
    if(rift_beacon_score(p->c, p->n, m->last, c, &bs) < c->beacon_min_score)
      continue;
    nm = rift_hmap_get(&m->dests, p->dst, strlen(p->dst));
    d = nm ? nm->p : NULL;
    if(d && d->nnames) {
      name = d->names[0];
    }
    else {
      nm = rift_hmap_get(&m->ip_names, p->dst, strlen(p->dst));
      if(nm)
        name = nm->p;
    }
    dur_str(iv, sizeof(iv), bs.interval);
    rift_buf_reset(&msg);
    rift_buf_addf(&msg, "beacon: %s -> %s%s%s%s every ~%s (%zu connections,"
                  " score %.2f: timing %.2f, size %.2f, duration %.2f)",
                  p->src, p->dst, name ? " (" : "", name ? name : "",
                  name ? ")" : "", iv, p->n, bs.score, bs.ts_score,
                  bs.ds_score, bs.duration);
    rift_buf_reset(&det);
    rift_buf_addf(&det, "{\"score\":%.3f,\"timing_score\":%.3f,"
                  "\"size_score\":%.3f,\"duration_score\":%.3f,"
                  "\"interval_skew\":%.3f,\"interval_madm_s\":%.3f,"
                  "\"size_skew\":%.3f,\"size_madm\":%.3f,"
                  "\"size_smallness\":%.3f,\"median_interval_s\":%.3f,"
                  "\"connections\":%zu,\"bytes\":%llu,\"source\":",
                  bs.score, bs.ts_score, bs.ds_score, bs.duration,
                  bs.ts_skew, bs.ts_madm, bs.ds_skew, bs.ds_madm,
                  bs.ds_smallness, bs.interval, p->n,
                  (unsigned long long)p->bytes);
    rift_evjson_str(&det, p->src, strlen(p->src));
    rift_buf_adds(&det, ",\"destination\":");
    rift_evjson_str(&det, p->dst, strlen(p->dst));
    rift_buf_adds(&det, ",\"name\":");
    if(name)
      rift_evjson_str(&det, name, strlen(name));
    else
      rift_buf_adds(&det, "null");
    rift_buf_adds(&det, "}");
    memset(&f, 0, sizeof(f));
    f.source = "net.beacon";
    f.rule_id = "rift.net.beacon";
    f.rule_name = "Beacon: regular connections to an external address";
    f.level = bs.score >= c->beacon_high ? RIFT_LEVEL_HIGH : RIFT_LEVEL_MEDIUM;
    f.techniques = tech_beacon;
    f.ts = p->c[0].ts;
    f.ts_end = p->c[p->n - 1].ts;
    f.host = p->src;
    f.source_ip = p->src;
    f.destination_ip = p->dst;
    f.message = msg.buf;
    f.details_json = det.buf;
    for(k = 0; k < p->refs.n; k++) {
      refs[k].file_id = p->refs.r[k].file_id;
      refs[k].offset = p->refs.r[k].offset;
      refs[k].record_id = p->refs.r[k].record_id;
      refs[k].ts = p->refs.r[k].ts;
    }
    f.refs = refs;
    f.nrefs = p->refs.n;
    rc = msg.err || det.err ? RIFT_NOMEM : sink->emit(sink->ctx, &f);
  }
  for(i = 0; i < m->nlong && !rc; i++) {
    const struct rift_netlong *l = &m->longs[i];
    struct rift_finding f;
    char ds[32];
    dur_str(ds, sizeof(ds), (double)l->dur / 1e9);
    rift_buf_reset(&msg);
    rift_buf_addf(&msg, "long connection: %s -> %s:%u %s for %s (%llu bytes)",
                  l->src, l->dst, l->dport, l->transport ? l->transport : "",
                  ds, (unsigned long long)l->bytes);
    rift_buf_reset(&det);
    rift_buf_addf(&det, "{\"duration_s\":%.3f,\"bytes\":%llu,\"port\":%u}",
                  (double)l->dur / 1e9, (unsigned long long)l->bytes,
                  l->dport);
    memset(&f, 0, sizeof(f));
    f.source = "net.long_connection";
    f.rule_id = "rift.net.long_connection";
    f.rule_name = "Long connection to or from an external address";
    f.level = RIFT_LEVEL_LOW;
    f.techniques = tech_long;
    f.ts = l->start;
    f.ts_end = rift_time_add(l->start, l->dur);
    f.host = l->src;
    f.source_ip = l->src;
    f.destination_ip = l->dst;
    f.message = msg.buf;
    f.details_json = det.buf;
    refs[0].file_id = l->ref.file_id;
    refs[0].offset = l->ref.offset;
    refs[0].record_id = l->ref.record_id;
    refs[0].ts = l->ref.ts;
    f.refs = refs;
    f.nrefs = 1;
    rc = msg.err || det.err ? RIFT_NOMEM : sink->emit(sink->ctx, &f);
  }
  rift_buf_release(&msg);
  rift_buf_release(&det);
  return rc;
}
