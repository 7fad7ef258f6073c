/*
 * mapping.c - logsource and field mapping files (rules/mappings/).
 *
 * The format is documented at the top of rules/mappings/windows.yml.  A
 * file names one product; its `logsources` list says which rift events a
 * Sigma logsource selects, its `fields` map and `field_default` pattern
 * say which rift field a Sigma field name reads.  Problems are reported
 * with the file name and line and the entry is skipped.
 */
#include <string.h>

#include "detect/sigma/sigma-int.h"

#define MAX_IDS 4096

static void bad(struct rift_diag *d, const char *name, unsigned line,
                const char *what)
{
  rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_SYNTAX, UINT64_MAX,
                   "%s: line %u: %s", name, line, what);
}

static int read_ids(struct rift_sigma *s, struct sg_source *src,
                    const struct sy_node *n)
{
  uint32_t i, cnt;
  if(!n)
    return 0;
  cnt = n->kind == SY_SEQ ? n->n : 1;
  if(n->kind == SY_MAP || cnt > MAX_IDS)
    return -1;
  src->ids = rift_arena_alloc(&s->arena, cnt * sizeof(uint32_t) + 1);
  if(!src->ids)
    return -1;
  for(i = 0; i < cnt; i++) {
    const struct sy_node *v = n->kind == SY_SEQ ? n->kids[i] : n;
    char *end;
    unsigned long id;
    if(v->kind != SY_SCALAR)
      return -1;
    id = strtoul(v->s, &end, 10);
    if(end == v->s || *end || id >= UINT32_MAX)
      return -1;
    src->ids[i] = (uint32_t)id;
  }
  src->nids = cnt;
  return 0;
}

rift_err sg_mapping_add(struct rift_sigma *s, const char *text, size_t len,
                        const char *name, struct rift_diag *d)
{
  struct sy_node **docs;
  size_t ndocs, k;
  char err[256];
  rift_err rc;
  rc = sy_parse(&s->arena, text, len, &docs, &ndocs, err, sizeof(err));
  if(rc) {
    rift_diag_report(d, RIFT_DIAG_ERROR, rc, UINT64_MAX, "%s: %s", name,
                     err[0] ? err : rift_strerror(rc));
    return rc;
  }
  for(k = 0; k < ndocs; k++) {
    const struct sy_node *doc = docs[k], *ls, *f;
    struct sg_product *p;
    uint32_t i;
    if(!doc || doc->kind != SY_MAP) {
      bad(d, name, doc ? doc->line : 1, "a mapping file is a YAML map");
      continue;
    }
    p = rift_arena_zalloc(&s->arena, sizeof(*p));
    if(!p)
      return RIFT_NOMEM;
    p->product = sy_str(sy_get(doc, "product"));
    p->mapname = rift_arena_strdup(&s->arena, name);
    f = sy_get(doc, "fields");
    if(f && f->kind == SY_MAP)
      p->fields = f;
    else if(f && !sy_is_null(f))
      bad(d, name, f->line, "fields must be a map");
    p->field_default = sy_str(sy_get(doc, "field_default"));
    p->field_fallback = sy_str(sy_get(doc, "field_fallback"));
    {
      const char *fo = sy_str(sy_get(doc, "fields_only"));
      p->fields_only = fo && !strcmp(fo, "true");
    }
    if(p->field_default && !strstr(p->field_default, "{}")) {
      bad(d, name, doc->line, "field_default must contain {}");
      p->field_default = NULL;
    }
    if(p->field_fallback && !strstr(p->field_fallback, "{}")) {
      bad(d, name, doc->line, "field_fallback must contain {}");
      p->field_fallback = NULL;
    }
    ls = sy_get(doc, "logsources");
    if(!ls || ls->kind != SY_SEQ) {
      bad(d, name, doc->line, "logsources must be a list");
      continue;
    }
    for(i = 0; i < ls->n; i++) {
      const struct sy_node *e = ls->kids[i], *ev;
      struct sg_logsource *l;
      uint32_t j;
      if(e->kind != SY_MAP) {
        bad(d, name, e->line, "a logsource entry is a map");
        continue;
      }
      if(s->map.nls == s->map.capls) {
        uint32_t ncap = s->map.capls ? s->map.capls * 2 : 64;
        struct sg_logsource *nl = rift_arena_alloc(&s->arena, ncap * sizeof(*nl));
        if(!nl)
          return RIFT_NOMEM;
        if(s->map.nls)
          memcpy(nl, s->map.ls, s->map.nls * sizeof(*nl));
        s->map.ls = nl;
        s->map.capls = ncap;
      }
      l = &s->map.ls[s->map.nls];
      memset(l, 0, sizeof(*l));
      l->prod = p;
      l->category = sy_str(sy_get(e, "category"));
      l->service = sy_str(sy_get(e, "service"));
      l->unsupported = sy_str(sy_get(e, "unsupported"));
      ev = sy_get(e, "events");
      if(!l->unsupported && (!ev || ev->kind != SY_SEQ || !ev->n)) {
        bad(d, name, e->line, "a logsource entry needs events (a list) or "
                              "unsupported (a reason)");
        continue;
      }
      if(ev && ev->kind == SY_SEQ) {
        l->src = rift_arena_zalloc(&s->arena, ev->n * sizeof(*l->src));
        if(!l->src)
          return RIFT_NOMEM;
        for(j = 0; j < ev->n; j++) {
          const struct sy_node *sn = ev->kids[j], *w, *rn;
          struct sg_source *src = &l->src[l->nsrc];
          if(sn->kind != SY_MAP) {
            bad(d, name, sn->line, "an event source is a map");
            continue;
          }
          src->channel = sy_str(sy_get(sn, "channel"));
          src->kind = sy_str(sy_get(sn, "kind"));
          if(!src->kind && src->channel)
            src->kind = "evtx";
          if(!src->kind) {
            bad(d, name, sn->line, "an event source needs a channel or a kind");
            continue;
          }
          if(read_ids(s, src, sy_get(sn, "event_id"))) {
            bad(d, name, sn->line, "event_id must be a number or a list of "
                                   "numbers");
            continue;
          }
          w = sy_get(sn, "where");
          if(w && w->kind != SY_MAP) {
            bad(d, name, w->line, "where must be a map (a Sigma selection)");
            continue;
          }
          src->where = w;
          rn = sy_get(sn, "rename");
          if(rn && rn->kind != SY_MAP) {
            bad(d, name, rn->line, "rename must be a map");
            continue;
          }
          src->rename = rn;
          l->nsrc++;
        }
        if(!l->nsrc && !l->unsupported)
          continue;
      }
      s->map.nls++;
    }
  }
  return RIFT_OK;
}
