/*
 * sigma.c - a rule set: creation, loading rule files and folders,
 * mappings and placeholders, built-in data (sigma.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "detect/sigma/builtin.h"
#include "detect/sigma/sigma-int.h"
#include "source/source.h"

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
  if(s->nrules == s->caprules) {
    size_t ncap = s->caprules ? s->caprules * 2 : 256;
    struct sg_rule *nr;
    if(s->nrules >= RIFT_SIGMA_MAX_RULES)
      return NULL;
    nr = realloc(s->rules, ncap * sizeof(*nr));
    if(!nr)
      return NULL;
    s->rules = nr;
    s->caprules = ncap;
  }
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

static int is_rule_file(const char *name)
{
  size_t n = strlen(name);
  return (n > 4 && !strcmp(name + n - 4, ".yml")) ||
         (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static rift_err add_file(struct rift_sigma *s, const char *path,
                         struct rift_diag *d)
{
  struct rift_source src;
  rift_err rc;
  if(++s->nfiles > RIFT_SIGMA_MAX_FILES) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_LIMIT, UINT64_MAX,
                     "%s: more than %u rule files", path, RIFT_SIGMA_MAX_FILES);
    return RIFT_LIMIT;
  }
  rc = rift_source_open(&src, path, d);
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

static rift_err walk(struct rift_sigma *s, const char *dir, int depth,
                     struct rift_diag *d)
{
  DIR *dh;
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  rift_err rc = RIFT_OK;
  if(depth > RIFT_SIGMA_MAX_DIR_DEPTH) {
    rift_diag_report(d, RIFT_DIAG_WARN, RIFT_LIMIT, UINT64_MAX,
                     "%s: folders nested deeper than %d, skipped", dir,
                     RIFT_SIGMA_MAX_DIR_DEPTH);
    return RIFT_OK;
  }
  dh = opendir(dir);
  if(!dh) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_IO, UINT64_MAX,
                     "%s: cannot open folder: %s", dir, strerror(errno));
    return RIFT_OK;
  }
  while((de = readdir(dh))) {
    if(de->d_name[0] == '.')
      continue;
    if(n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      char **nn = realloc(names, ncap * sizeof(*nn));
      if(!nn) {
        rc = RIFT_NOMEM;
        break;
      }
      names = nn;
      cap = ncap;
    }
    names[n] = strdup(de->d_name);
    if(!names[n]) {
      rc = RIFT_NOMEM;
      break;
    }
    n++;
  }
  closedir(dh);
  if(n)
    qsort(names, n, sizeof(*names), name_cmp);   /* stable order */
  for(i = 0; i < n && !rc; i++) {
    char *p;
    struct stat st;
    size_t l = strlen(dir) + strlen(names[i]) + 2;
    p = malloc(l);
    if(!p) {
      rc = RIFT_NOMEM;
      break;
    }
    snprintf(p, l, "%s/%s", dir, names[i]);
    if(stat(p, &st)) {
      rift_diag_report(d, RIFT_DIAG_WARN, RIFT_IO, UINT64_MAX, "%s: %s", p,
                       strerror(errno));
    }
    else if(S_ISDIR(st.st_mode)) {
      rc = walk(s, p, depth + 1, d);
    }
    else if(S_ISREG(st.st_mode) && is_rule_file(names[i])) {
      rc = add_file(s, p, d);
    }
    free(p);
  }
  for(i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

rift_err rift_sigma_add_path(struct rift_sigma *s, const char *path,
                             struct rift_diag *d)
{
  struct stat st;
  if(s->compiled)
    return RIFT_INVALID;
  if(stat(path, &st)) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_IO, UINT64_MAX, "%s: %s", path,
                     strerror(errno));
    return RIFT_IO;
  }
  if(S_ISDIR(st.st_mode)) {
    size_t l = strlen(path);
    while(l > 1 && path[l - 1] == '/')
      l--;
    {
      char *p = strndup(path, l);
      rift_err rc;
      if(!p)
        return RIFT_NOMEM;
      rc = walk(s, p, 0, d);
      free(p);
      return rc;
    }
  }
  return add_file(s, path, d);
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
