/*
 * yaml.c - YAML text to a small tree of nodes (libyaml's event parser).
 *
 * Rule files are untrusted: the text is capped (SY_MAX_TEXT), nesting is
 * capped (SY_MAX_DEPTH), the node count is capped (SY_MAX_NODES) and
 * aliases are shared, not copied, with a cap on their number, so a
 * "billion laughs" document costs nothing.  Everything lives in the
 * caller's arena.
 */
#include <string.h>
#include <yaml.h>

#include "detect/sigma/sigma-int.h"

struct anchor {
  const char *name;
  struct sy_node *node;
};

struct frame {
  struct sy_node *node;
  /* children collected so far (a growable array in the arena) */
  struct sy_node **kids;
  uint32_t n, cap;
  const char *anchor;
};

struct builder {
  struct rift_arena *a;
  struct frame stack[SY_MAX_DEPTH + 1];
  int depth;
  struct anchor *anchors;
  size_t nanchors, capanchors;
  size_t nodes, aliases;
  char *err;
  size_t errlen;
};

static struct sy_node *new_node(struct builder *b, int kind, uint32_t line)
{
  struct sy_node *n;
  if(++b->nodes > SY_MAX_NODES)
    return NULL;
  n = rift_arena_zalloc(b->a, sizeof(*n));
  if(n) {
    n->kind = (uint8_t)kind;
    n->line = line;
  }
  return n;
}

static int push_kid(struct builder *b, struct frame *f, struct sy_node *k)
{
  if(f->n == f->cap) {
    uint32_t ncap = f->cap ? f->cap * 2 : 8;
    struct sy_node **nk = rift_arena_alloc(b->a, ncap * sizeof(*nk));
    if(!nk)
      return -1;
    if(f->n)
      memcpy(nk, f->kids, f->n * sizeof(*nk));
    f->kids = nk;
    f->cap = ncap;
  }
  f->kids[f->n++] = k;
  return 0;
}

static int add_anchor(struct builder *b, const char *name, struct sy_node *n)
{
  if(!name)
    return 0;
  if(b->nanchors == b->capanchors) {
    size_t ncap = b->capanchors ? b->capanchors * 2 : 16;
    struct anchor *na;
    if(ncap > SY_MAX_NODES)
      return -1;
    na = rift_arena_alloc(b->a, ncap * sizeof(*na));
    if(!na)
      return -1;
    if(b->nanchors)
      memcpy(na, b->anchors, b->nanchors * sizeof(*na));
    b->anchors = na;
    b->capanchors = ncap;
  }
  b->anchors[b->nanchors].name = name;
  b->anchors[b->nanchors++].node = n;
  return 0;
}

static struct sy_node *find_anchor(struct builder *b, const char *name)
{
  size_t i;
  for(i = b->nanchors; i-- > 0;) {
    if(!strcmp(b->anchors[i].name, name))
      return b->anchors[i].node;
  }
  return NULL;
}

static void set_err(struct builder *b, unsigned long line, const char *what)
{
  if(b->err && b->errlen && !b->err[0])
    snprintf(b->err, b->errlen, "line %lu: %s", line, what);
}

/* Attach a finished node to its parent (or make it the document root). */
static int attach(struct builder *b, struct sy_node *n, struct sy_node **root)
{
  if(b->depth == 0) {
    *root = n;
    return 0;
  }
  return push_kid(b, &b->stack[b->depth], n);
}

static const char *dup_str(struct builder *b, const unsigned char *s)
{
  return s ? rift_arena_strdup(b->a, (const char *)s) : NULL;
}

rift_err sy_parse(struct rift_arena *a, const char *text, size_t len,
                  struct sy_node ***docs, size_t *ndocs, char *err,
                  size_t errlen)
{
  yaml_parser_t p;
  yaml_event_t ev;
  struct builder b;
  struct sy_node *root = NULL;
  struct sy_node **out = NULL;
  size_t nout = 0, capout = 0;
  rift_err rc = RIFT_OK;
  int done = 0;

  *docs = NULL;
  *ndocs = 0;
  if(err && errlen)
    err[0] = 0;
  if(len > SY_MAX_TEXT) {
    if(err && errlen)
      snprintf(err, errlen, "file is larger than %u bytes", SY_MAX_TEXT);
    return RIFT_LIMIT;
  }
  memset(&b, 0, sizeof(b));
  b.a = a;
  b.err = err;
  b.errlen = errlen;
  if(!yaml_parser_initialize(&p))
    return RIFT_NOMEM;
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  while(!done) {
    unsigned long line;
    if(!yaml_parser_parse(&p, &ev)) {
      char msg[256];
      snprintf(msg, sizeof(msg), "invalid YAML: %s%s%s",
               p.problem ? p.problem : "syntax error",
               p.context ? " " : "", p.context ? p.context : "");
      set_err(&b, (unsigned long)p.problem_mark.line + 1, msg);
      rc = RIFT_SYNTAX;
      break;
    }
    line = (unsigned long)ev.start_mark.line + 1;
    switch(ev.type) {
    case YAML_STREAM_END_EVENT:
      done = 1;
      break;
    case YAML_DOCUMENT_START_EVENT:
      root = NULL;
      b.depth = 0;
      b.nanchors = 0;
      break;
    case YAML_DOCUMENT_END_EVENT:
      if(nout == capout) {
        size_t ncap = capout ? capout * 2 : 4;
        struct sy_node **no;
        if(ncap > SY_MAX_DOCS) {
          set_err(&b, line, "too many YAML documents in one file");
          rc = RIFT_LIMIT;
          break;
        }
        no = rift_arena_alloc(a, ncap * sizeof(*no));
        if(!no) {
          rc = RIFT_NOMEM;
          break;
        }
        if(nout)
          memcpy(no, out, nout * sizeof(*no));
        out = no;
        capout = ncap;
      }
      out[nout++] = root;
      break;
    case YAML_SCALAR_EVENT: {
      struct sy_node *n = new_node(&b, SY_SCALAR, (uint32_t)line);
      if(!n) {
        set_err(&b, line, "too many YAML nodes");
        rc = b.nodes > SY_MAX_NODES ? RIFT_LIMIT : RIFT_NOMEM;
        break;
      }
      n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
      if(ev.data.scalar.tag && !strcmp((const char *)ev.data.scalar.tag, "!!str"))
        n->quoted = 1;
      n->s = rift_arena_strndup(a, (const char *)ev.data.scalar.value,
                                ev.data.scalar.length);
      n->len = (uint32_t)ev.data.scalar.length;
      if(!n->s || attach(&b, n, &root) ||
         add_anchor(&b, dup_str(&b, ev.data.scalar.anchor), n))
        rc = RIFT_NOMEM;
      break;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      int kind = ev.type == YAML_SEQUENCE_START_EVENT ? SY_SEQ : SY_MAP;
      struct sy_node *n = new_node(&b, kind, (uint32_t)line);
      struct frame *f;
      if(!n) {
        set_err(&b, line, "too many YAML nodes");
        rc = b.nodes > SY_MAX_NODES ? RIFT_LIMIT : RIFT_NOMEM;
        break;
      }
      if(b.depth >= SY_MAX_DEPTH) {
        set_err(&b, line, "YAML nested too deeply");
        rc = RIFT_LIMIT;
        break;
      }
      f = &b.stack[++b.depth];
      memset(f, 0, sizeof(*f));
      f->node = n;
      f->anchor = dup_str(&b, kind == SY_SEQ ? ev.data.sequence_start.anchor
                                             : ev.data.mapping_start.anchor);
      break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      struct frame *f = &b.stack[b.depth];
      struct sy_node *n = f->node;
      uint32_t q;
      if(n->kind == SY_MAP) {
        /* rules only use string keys; other keys are refused here so no
         * reader meets one */
        for(q = 0; q < f->n; q += 2) {
          if(f->kids[q]->kind != SY_SCALAR) {
            set_err(&b, f->kids[q]->line, "a map key must be a string");
            rc = RIFT_SYNTAX;
            break;
          }
        }
        if(rc)
          break;
      }
      n->kids = f->kids;
      n->n = n->kind == SY_MAP ? f->n / 2 : f->n;
      b.depth--;
      if(attach(&b, n, &root) || add_anchor(&b, f->anchor, n))
        rc = RIFT_NOMEM;
      break;
    }
    case YAML_ALIAS_EVENT: {
      struct sy_node *n = find_anchor(&b, (const char *)ev.data.alias.anchor);
      if(!n) {
        set_err(&b, line, "alias to an unknown anchor");
        rc = RIFT_SYNTAX;
        break;
      }
      if(++b.aliases > SY_MAX_ALIASES) {
        set_err(&b, line, "too many YAML aliases");
        rc = RIFT_LIMIT;
        break;
      }
      if(attach(&b, n, &root))
        rc = RIFT_NOMEM;
      break;
    }
    default:
      break;
    }
    yaml_event_delete(&ev);
    if(rc)
      break;
  }
  yaml_parser_delete(&p);
  if(rc)
    return rc;
  *docs = out;
  *ndocs = nout;
  return RIFT_OK;
}

/* ---- accessors ----------------------------------------------------------- */

struct sy_node *sy_get(const struct sy_node *map, const char *key)
{
  uint32_t i;
  if(!map || map->kind != SY_MAP)
    return NULL;
  for(i = 0; i < map->n; i++) {
    const struct sy_node *k = map->kids[2 * i];
    if(k->kind == SY_SCALAR && !strcmp(k->s, key))
      return map->kids[2 * i + 1];
  }
  return NULL;
}

const char *sy_str(const struct sy_node *n)
{
  if(!n || n->kind != SY_SCALAR || sy_is_null(n))
    return NULL;
  return n->s;
}

int sy_is_null(const struct sy_node *n)
{
  if(!n)
    return 1;
  if(n->kind != SY_SCALAR || n->quoted)
    return 0;
  return n->len == 0 || !strcmp(n->s, "null") || !strcmp(n->s, "Null") ||
         !strcmp(n->s, "NULL") || !strcmp(n->s, "~");
}

int sy_is_bool(const struct sy_node *n, int *v)
{
  static const char *const t[] = { "true", "True", "TRUE" };
  static const char *const f[] = { "false", "False", "FALSE" };
  int i;
  if(!n || n->kind != SY_SCALAR || n->quoted)
    return 0;
  for(i = 0; i < 3; i++) {
    if(!strcmp(n->s, t[i])) {
      *v = 1;
      return 1;
    }
    if(!strcmp(n->s, f[i])) {
      *v = 0;
      return 1;
    }
  }
  return 0;
}

int sy_is_number(const struct sy_node *n)
{
  const char *s;
  int digits = 0, dot = 0;
  if(!n || n->kind != SY_SCALAR || n->quoted || !n->len)
    return 0;
  s = n->s;
  if(*s == '-' || *s == '+')
    s++;
  if(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    for(; *s; s++) {
      if(!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
           (*s >= 'A' && *s <= 'F')))
        return 0;
      digits++;
    }
    return digits > 0;
  }
  for(; *s; s++) {
    if(*s >= '0' && *s <= '9')
      digits++;
    else if(*s == '.' && !dot)
      dot = 1;
    else if((*s == 'e' || *s == 'E') && digits)
      return 1; /* exponent: accept the rest loosely */
    else
      return 0;
  }
  return digits > 0;
}
