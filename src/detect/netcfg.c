/*
 * netcfg.c - thresholds, internal networks and browser fingerprints for
 * the network analytics (netan.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/blob.h"
#include "detect/netan.h"
#include "net/pkt.h"
#include "source/source.h"

/* rules/net, built in (scripts/embed.py) */
extern const struct rift_blob rift_net_builtin[];

static int parse_net(const char *s, size_t n, struct rift_netnet *o)
{
  const char *slash = memchr(s, '/', n);
  size_t al = slash ? (size_t)(slash - s) : n;
  unsigned long bits;
  char tmp[8];
  int fam = rift_ip_parse(s, al, o->a);
  if(!fam)
    return 0;
  o->family = (uint8_t)fam;
  bits = fam == 4 ? 32 : 128;
  if(slash) {
    size_t bl = n - al - 1;
    char *end;
    if(!bl || bl >= sizeof(tmp))
      return 0;
    memcpy(tmp, slash + 1, bl);
    tmp[bl] = 0;
    bits = strtoul(tmp, &end, 10);
    if(*end || bits > (fam == 4 ? 32u : 128u))
      return 0;
  }
  o->bits = (uint8_t)bits;
  return 1;
}

static void set_num(struct rift_netcfg *c, const char *k, const char *v,
                    struct rift_diag *d, unsigned line)
{
  static const struct {
    const char *key;
    size_t off;
    int integer;
  } keys[] = {
#define D(f) offsetof(struct rift_netcfg, f)
    { "rare_max_hosts", D(rare_max_hosts), 1 },
    { "rare_weight_rare", D(w_rare), 0 },
    { "rare_late_fraction", D(late_fraction), 0 },
    { "rare_weight_late", D(w_late), 0 },
    { "rare_weight_self_signed", D(w_self_signed), 0 },
    { "rare_weight_nonbrowser", D(w_nonbrowser), 0 },
    { "rare_weight_no_name", D(w_no_name), 0 },
    { "rare_report_min", D(rare_report_min), 0 },
    { "rare_high", D(rare_high), 0 },
    { "fingerprint_min_destinations", D(fp_min_destinations), 1 },
    { "beacon_min_connections", D(beacon_min_connections), 1 },
    { "beacon_min_score", D(beacon_min_score), 0 },
    { "beacon_high", D(beacon_high), 0 },
    { "beacon_weight_timing", D(w_timing), 0 },
    { "beacon_weight_size", D(w_size), 0 },
    { "beacon_weight_duration", D(w_duration), 0 },
    { "long_connection_seconds", D(long_connection_seconds), 0 },
    { "beacon_interval_dispersion", D(interval_dispersion), 0 },
    { "beacon_size_dispersion", D(size_dispersion), 0 },
#undef D
  };
  size_t i;
  char *end;
  for(i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    if(strcmp(k, keys[i].key))
      continue;
    errno = 0;
    if(keys[i].integer) {
      unsigned long x = strtoul(v, &end, 10);
      if(errno || *end || end == v || x > 1000000) {
        rift_diag_report(d, RIFT_DIAG_WARN, RIFT_SYNTAX, UINT64_MAX,
                         "line %u: %s wants a count, not '%s'", line, k, v);
        return;
      }
      *(unsigned *)((char *)c + keys[i].off) = (unsigned)x;
    }
    else {
      double x = strtod(v, &end);
      if(errno || *end || end == v || x < 0) {
        rift_diag_report(d, RIFT_DIAG_WARN, RIFT_SYNTAX, UINT64_MAX,
                         "line %u: %s wants a number, not '%s'", line, k, v);
        return;
      }
      *(double *)((char *)c + keys[i].off) = x;
    }
    return;
  }
  rift_diag_report(d, RIFT_DIAG_WARN, RIFT_SYNTAX, UINT64_MAX,
                   "line %u: unknown setting '%s'", line, k);
}

/* Split a TSV line into up to 3 columns (in place). */
static int columns(char *line, char **col, int max)
{
  int n = 0;
  char *p = line;
  while(n < max) {
    char *t = strchr(p, '\t');
    col[n++] = p;
    if(!t)
      break;
    *t = 0;
    p = t + 1;
    while(*p == '\t')
      p++;
  }
  return n;
}

static void load_text(struct rift_netcfg *c, const char *text, size_t len,
                      int browsers, struct rift_diag *d)
{
  size_t i = 0;
  unsigned line = 0;
  while(i < len) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len, l = e - i;
    char buf[4096], *col[3];
    int nc;
    line++;
    if(l && text[i + l - 1] == '\r')
      l--;
    if(!l || text[i] == '#' || l >= sizeof(buf)) {
      i = e + 1;
      continue;
    }
    memcpy(buf, text + i, l);
    buf[l] = 0;
    i = e + 1;
    nc = columns(buf, col, 3);
    if(nc < 2) {
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_SYNTAX, UINT64_MAX,
                       "line %u: want key<TAB>value", line);
      continue;
    }
    if(browsers) {
      char key[128];
      union rift_hval *v;
      int isnew;
      int kn = snprintf(key, sizeof(key), "%s:%s", col[0], col[1]);
      if((strcmp(col[0], "ja3") && strcmp(col[0], "ja4")) || kn <= 0 ||
         (size_t)kn >= sizeof(key)) {
        rift_diag_report(d, RIFT_DIAG_WARN, RIFT_SYNTAX, UINT64_MAX,
                         "line %u: want ja3|ja4<TAB>fingerprint<TAB>client",
                         line);
        continue;
      }
      if(rift_hmap_put(&c->browsers, key, (size_t)kn, &v, &isnew))
        continue;
      v->p = rift_arena_strdup(&c->a, nc > 2 ? col[2] : "browser");
      continue;
    }
    if(!strcmp(col[0], "internal_nets")) {
      char *p = col[1];
      c->nnets = 0;
      while(*p && c->nnets < RIFT_NETAN_MAX_NETS) {
        char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if(!parse_net(p, n, &c->nets[c->nnets]))
          rift_diag_report(d, RIFT_DIAG_WARN, RIFT_SYNTAX, UINT64_MAX,
                           "line %u: bad network '%.*s'", line, (int)n, p);
        else
          c->nnets++;
        p += n + (comma ? 1 : 0);
      }
      continue;
    }
    set_num(c, col[0], col[1], d, line);
  }
}

static void load_file(struct rift_netcfg *c, const char *dir,
                      const char *name, int browsers, struct rift_diag *d)
{
  char path[4096];
  struct rift_source src;
  struct rift_diag fd;
  snprintf(path, sizeof(path), "%s/net/%s", dir, name);
  rift_diag_init(&fd, path, d ? d->report : NULL, d ? d->ctx : NULL);
  if(rift_source_open(&src, path, NULL))
    return; /* the built-in copy stays */
  load_text(c, (const char *)src.data, src.len, browsers, &fd);
  rift_source_close(&src);
  if(d) {
    d->warnings += fd.warnings;
    d->errors += fd.errors;
  }
}

rift_err rift_netcfg_load(struct rift_netcfg *c, const char *dir,
                          struct rift_diag *d)
{
  memset(c, 0, sizeof(*c));
  rift_arena_init(&c->a, 16u << 20);
  rift_hmap_init(&c->browsers, 1u << 20);
  c->rare_max_hosts = 2;
  c->w_rare = 0.3;
  c->late_fraction = 0.5;
  c->w_late = 0.2;
  c->w_self_signed = 0.3;
  c->w_nonbrowser = 0.2;
  c->w_no_name = 0.1;
  c->rare_report_min = 0.6;
  c->rare_high = 0.8;
  c->fp_min_destinations = 3;
  c->beacon_min_connections = 10;
  c->beacon_min_score = 0.8;
  c->beacon_high = 0.9;
  c->w_timing = c->w_size = c->w_duration = 1;
  c->long_connection_seconds = 3600;
  c->interval_dispersion = 30;
  c->size_dispersion = 32;
  {
    const struct rift_blob *th = rift_blob_find(rift_net_builtin, "thresholds.tsv");
    const struct rift_blob *br = rift_blob_find(rift_net_builtin, "browsers.tsv");
    if(th)
      load_text(c, th->text, th->len, 0, d);
    if(br)
      load_text(c, br->text, br->len, 1, d);
  }
  if(dir) {
    load_file(c, dir, "thresholds.tsv", 0, d);
    load_file(c, dir, "browsers.tsv", 1, d);
  }
  if(c->w_timing + c->w_size + c->w_duration <= 0)
    c->w_timing = c->w_size = c->w_duration = 1;
  if(c->interval_dispersion <= 0)
    c->interval_dispersion = 30;
  if(c->size_dispersion <= 0)
    c->size_dispersion = 32;
  return RIFT_OK;
}

void rift_netcfg_release(struct rift_netcfg *c)
{
  rift_hmap_release(&c->browsers);
  rift_arena_release(&c->a);
}

static int in_net(const struct rift_netnet *n, const uint8_t *a, int fam)
{
  unsigned full, rest;
  if(n->family != fam)
    return 0;
  full = n->bits / 8u;
  rest = n->bits % 8u;
  if(memcmp(n->a, a, full))
    return 0;
  if(rest) {
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    if((n->a[full] & mask) != (a[full] & mask))
      return 0;
  }
  return 1;
}

int rift_netcfg_internal(const struct rift_netcfg *c, const char *ip,
                         size_t n)
{
  uint8_t a[16];
  int fam = rift_ip_parse(ip, n, a);
  unsigned i;
  if(!fam)
    return -1;
  /* multicast, broadcast, unspecified: never an external destination */
  if(fam == 4 && (a[0] >= 224 || (a[0] == 0)))
    return 1;
  if(fam == 6 && (a[0] == 0xff || !memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
                                          15)))
    return 1;
  for(i = 0; i < c->nnets; i++) {
    if(in_net(&c->nets[i], a, fam))
      return 1;
  }
  return 0;
}

const char *rift_netcfg_browser(const struct rift_netcfg *c, const char *ja3,
                                const char *ja4)
{
  char key[128];
  union rift_hval *v;
  int n;
  if(ja4) {
    n = snprintf(key, sizeof(key), "ja4:%s", ja4);
    v = n > 0 && (size_t)n < sizeof(key) ?
          rift_hmap_get(&c->browsers, key, (size_t)n) : NULL;
    if(v)
      return v->p;
  }
  if(ja3) {
    n = snprintf(key, sizeof(key), "ja3:%s", ja3);
    v = n > 0 && (size_t)n < sizeof(key) ?
          rift_hmap_get(&c->browsers, key, (size_t)n) : NULL;
    if(v)
      return v->p;
  }
  return NULL;
}
