/*
 * sigma.c - a rule set: creation, loading rule files and folders,
 * mappings and placeholders, built-in data (sigma.h).
 */
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "detect/sigma/builtin.h"
#include "detect/sigma/sigma-int.h"
#include "source/source.h"
#include "source/walk.h"

rift_err rift_sigma_new(struct rift_sigma **out)
{
  struct rift_sigma *s = calloc(1, sizeof(*s));
  if(!s)
    return RIFT_NOMEM;
  rift_arena_init(&s->arena, (size_t)8 << 30);
  rift_hmap_init(&s->placeholders, 1u << 20);
  rift_hmap_init(&s->testidx, 1u << 26);
  rift_hmap_init(&s->keyidx, 1u << 24);
  rift_hmap_init(&s->acidx, 1u << 24);
  s->global_key = UINT32_MAX;
  *out = s;
  return RIFT_OK;
}

void rift_sigma_free(struct rift_sigma **sp)
{
  struct rift_sigma *s = *sp;
  uint32_t i, j;
  if(!s)
    return;
  for(i = 0; i < s->ntests; i++) {
    if(s->tests[i].re)
      pcre2_code_free(s->tests[i].re);
  }
  for(i = 0; i < s->nacs; i++)
    sg_ac_free(s->acs[i]);
  (void)j;
  free(s->rules);
  rift_hmap_release(&s->acidx);
  rift_hmap_release(&s->placeholders);
  rift_hmap_release(&s->testidx);
  rift_hmap_release(&s->keyidx);
  rift_arena_release(&s->arena);
  free(s);
  *sp = NULL;
}

size_t rift_sigma_count(const struct rift_sigma *s)
{
  return s->nrules;
}

const struct rift_sigma_rule *rift_sigma_rule(const struct rift_sigma *s,
                                              size_t i)
{
  return i < s->nrules ? &s->rules[i].pub : NULL;
}

static struct sg_rule *new_rule(struct rift_sigma *s, const char *path,
                                unsigned doc)
{
  struct sg_rule *r;
  if(s->nrules >= RIFT_SIGMA_MAX_RULES ||
     rift_grow((void **)&s->rules, &s->caprules, s->nrules + 1, sizeof(*s->rules),
               256))
    return NULL;
  r = &s->rules[s->nrules++];
  memset(r, 0, sizeof(*r));
  r->pub.path = path;
  r->pub.doc = doc;
  r->pub.line = 1;
  r->pub.title = "";
  r->pub.kind = "detection";
  r->pub.logsource = "";
  r->pub.level = RIFT_LEVEL_MEDIUM;
  return r;
}

rift_err rift_sigma_add_text(struct rift_sigma *s, const char *text,
                             size_t len, const char *name)
{
  struct sy_node **docs;
  size_t ndocs, i;
  char err[300];
  const char *path;
  rift_err rc;
  struct sg_rule *r;
  static const char *const none[] = { NULL };
  if(s->compiled)
    return RIFT_INVALID;
  path = rift_arena_strdup(&s->arena, name ? name : "-");
  if(!path)
    return RIFT_NOMEM;
  rc = sy_parse(&s->arena, text, len, &docs, &ndocs, err, sizeof(err));
  if(rc == RIFT_NOMEM)
    return rc;
  if(rc) {
    /* the whole file is one invalid rule */
    r = new_rule(s, path, 0);
    if(!r)
      return RIFT_LIMIT;
    r->pub.tags = none;
    r->pub.techniques = none;
    sg_rule_fail(s, r, RIFT_SIGMA_INVALID, "%s",
                 err[0] ? err : rift_strerror(rc));
    return RIFT_OK;
  }
  for(i = 0; i < ndocs; i++) {
    /* an empty document after a trailing "---" is not a rule */
    if(!docs[i] && ndocs > 1)
      continue;
    r = new_rule(s, path, (unsigned)i);
    if(!r)
      return s->nrules >= RIFT_SIGMA_MAX_RULES ? RIFT_LIMIT : RIFT_NOMEM;
    sg_rule_read(s, r, docs[i]);
  }
  return RIFT_OK;
}

static const char *const rule_ext[] = { ".yml", ".yaml", NULL };

/* A rule file opened at real, named path in rules and messages. */
static rift_err add_file(struct rift_sigma *s, const char *real,
                         const char *path, struct rift_diag *d)
{
  struct rift_source src;
  rift_err rc;
  if(++s->nfiles > RIFT_SIGMA_MAX_FILES) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_LIMIT, UINT64_MAX,
                     "%s: more than %u rule files", path, RIFT_SIGMA_MAX_FILES);
    return RIFT_LIMIT;
  }
  rc = rift_source_open(&src, real, d);
  if(rc)
    return RIFT_OK; /* reported */
  if(src.len > SY_MAX_TEXT) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_LIMIT, UINT64_MAX,
                     "%s: rule file larger than %u bytes, skipped", path,
                     SY_MAX_TEXT);
    rift_source_close(&src);
    return RIFT_OK;
  }
  rc = rift_sigma_add_text(s, (const char *)src.data, src.len, path);
  rift_source_close(&src);
  return rc;
}

struct rule_load {
  struct rift_sigma *s;
  struct rift_diag *d;
};

static rift_err add_rule_file(void *ctx, const char *real, const char *shown)
{
  struct rule_load *rl = ctx;
  return add_file(rl->s, real, shown, rl->d);
}

/* Rule folders and archives (SigmaHQ publishes its rule packs as zip
 * files) are walked as evidence is (rift_walk_files): .yml and .yaml files
 * in them, a file named directly whatever its name. */
rift_err rift_sigma_add_path(struct rift_sigma *s, const char *path,
                             struct rift_diag *d)
{
  struct rule_load rl;
  unsigned errors = 0;
  if(s->compiled)
    return RIFT_INVALID;
  rl.s = s;
  rl.d = d;
  return rift_walk_files(path, rule_ext, RIFT_SIGMA_MAX_DIR_DEPTH, d, &errors,
                         add_rule_file, &rl);
}

rift_err rift_sigma_add_mapping(struct rift_sigma *s, const char *text,
                                size_t len, const char *name,
                                struct rift_diag *d)
{
  if(s->compiled)
    return RIFT_INVALID;
  return sg_mapping_add(s, text, len, name, d);
}

rift_err rift_sigma_add_builtin_mappings(struct rift_sigma *s,
                                         struct rift_diag *d)
{
  size_t i;
  for(i = 0; sg_builtin_mappings[i].name; i++) {
    rift_err rc = rift_sigma_add_mapping(s, sg_builtin_mappings[i].text,
                                         sg_builtin_mappings[i].len,
                                         sg_builtin_mappings[i].name, d);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}

rift_err rift_sigma_add_builtin_rules(struct rift_sigma *s)
{
  size_t i;
  for(i = 0; sg_builtin_rules[i].name; i++) {
    rift_err rc = rift_sigma_add_text(s, sg_builtin_rules[i].text,
                                      sg_builtin_rules[i].len,
                                      sg_builtin_rules[i].name);
    if(rc)
      return rc;
  }
  return RIFT_OK;
}

rift_err rift_sigma_add_placeholders(struct rift_sigma *s, const char *text,
                                     size_t len, const char *name,
                                     struct rift_diag *d)
{
  struct sy_node **docs;
  size_t ndocs, i;
  char err[300];
  rift_err rc = sy_parse(&s->arena, text, len, &docs, &ndocs, err,
                         sizeof(err));
  if(rc) {
    rift_diag_report(d, RIFT_DIAG_ERROR, rc, UINT64_MAX, "%s: %s", name,
                     err[0] ? err : rift_strerror(rc));
    return rc;
  }
  for(i = 0; i < ndocs; i++) {
    const struct sy_node *m = docs[i];
    uint32_t j;
    if(!m)
      continue;
    if(m->kind != SY_MAP) {
      rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_SYNTAX, UINT64_MAX,
                       "%s: line %u: placeholders are a map of name to "
                       "values", name, m->line);
      return RIFT_SYNTAX;
    }
    for(j = 0; j < m->n; j++) {
      const struct sy_node *k = m->kids[2 * j], *v = m->kids[2 * j + 1];
      const char *key = k->s;
      size_t kl = k->len;
      union rift_hval *hv;
      int isnew;
      uint32_t q;
      int ok = v->kind == SY_SCALAR || v->kind == SY_SEQ;
      for(q = 0; ok && v->kind == SY_SEQ && q < v->n; q++)
        ok = v->kids[q]->kind == SY_SCALAR;
      if(!ok || k->kind != SY_SCALAR) {
        rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_SYNTAX, UINT64_MAX,
                         "%s: line %u: a placeholder's values are a string "
                         "or a list of strings", name, k->line);
        return RIFT_SYNTAX;
      }
      if(kl > 2 && key[0] == '%' && key[kl - 1] == '%') {
        key++;
        kl -= 2;
      }
      if(rift_hmap_put(&s->placeholders, key, kl, &hv, &isnew))
        return RIFT_NOMEM;
      hv->p = (void *)v;
    }
  }
  return RIFT_OK;
}
