/*
 * sigma-cmd.c - loading Sigma rule sets for commands (sigma-cmd.h).
 */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/sigma-cmd.h"
#include "source/source.h"

int sigma_opts_take(struct sigma_opts *o, int c, const char *arg,
                    const char *usage)
{
  const char **list;
  size_t *n;
  switch(c) {
  case 'r':
    list = o->rules;
    n = &o->nrules;
    break;
  case SIGMA_OPT_MAPPING:
    list = o->mappings;
    n = &o->nmappings;
    break;
  case SIGMA_OPT_PLACEHOLDERS:
    list = o->placeholders;
    n = &o->nplaceholders;
    break;
  default:
    return 0;
  }
  if(*n >= SIGMA_MAX_OPT_PATHS)
    usage_die(usage, "too many paths for one option (at most %d)",
              SIGMA_MAX_OPT_PATHS);
  list[(*n)++] = arg;
  return 1;
}

static void load_file(struct rift_sigma *s, const char *path, int what,
                      struct rift_diag *d)
{
  struct rift_source src;
  rift_err rc;
  if(rift_source_open(&src, path, d))
    die("cannot read %s", path);
  if(what == SIGMA_OPT_MAPPING)
    rc = rift_sigma_add_mapping(s, (const char *)src.data, src.len, path, d);
  else
    rc = rift_sigma_add_placeholders(s, (const char *)src.data, src.len, path,
                                     d);
  rift_source_close(&src);
  if(rc)
    die("%s: %s", path, rc == RIFT_NOMEM ? "out of memory"
                                         : "not usable (see above)");
}

static void report(void *ctx, const struct rift_diag_msg *m)
{
  (void)ctx;
  if(m->path)
    fprintf(stderr, "rift: %s: %s\n", m->path, m->text);
  else
    fprintf(stderr, "rift: %s\n", m->text);
}

struct rift_sigma *sigma_load(const struct sigma_opts *o,
                              unsigned long *load_errors)
{
  return sigma_load_with(o, NULL, load_errors);
}

struct rift_sigma *sigma_load_with(const struct sigma_opts *o,
                                   const char *extra_mapping,
                                   unsigned long *load_errors)
{
  struct rift_sigma *s;
  struct rift_diag d;
  size_t i;
  rift_err rc;
  const char *env = getenv("RIFT_RULES");
  if(rift_sigma_new(&s))
    die("out of memory");
  rift_diag_init(&d, NULL, report, NULL);
  if(o->nmappings) {
    for(i = 0; i < o->nmappings; i++)
      load_file(s, o->mappings[i], SIGMA_OPT_MAPPING, &d);
  }
  else if(rift_sigma_add_builtin_mappings(s, &d)) {
    die("built-in mappings are broken (see above)");
  }
  if(extra_mapping &&
     rift_sigma_add_mapping(s, extra_mapping, strlen(extra_mapping),
                            "--logsource", &d))
    die("--logsource: cannot be used (see above)");
  for(i = 0; i < o->nplaceholders; i++)
    load_file(s, o->placeholders[i], SIGMA_OPT_PLACEHOLDERS, &d);
  if(o->nrules) {
    for(i = 0; i < o->nrules; i++) {
      rc = rift_sigma_add_path(s, o->rules[i], &d);
      if(rc == RIFT_NOMEM || rc == RIFT_LIMIT)
        die("%s: %s", o->rules[i], rift_strerror(rc));
    }
  }
  else if(env && *env) {
    char *copy = strdup(env), *p = copy, *colon;
    if(!copy)
      die("out of memory");
    while(p) {
      colon = strchr(p, ':');
      if(colon)
        *colon = 0;
      if(*p) {
        rc = rift_sigma_add_path(s, p, &d);
        if(rc == RIFT_NOMEM || rc == RIFT_LIMIT)
          die("%s: %s", p, rift_strerror(rc));
      }
      p = colon ? colon + 1 : NULL;
    }
    free(copy);
  }
  else if(rift_sigma_add_builtin_rules(s)) {
    die("out of memory");
  }
  if(rift_sigma_compile(s))
    die("out of memory while compiling rules");
  *load_errors = d.errors;
  return s;
}
