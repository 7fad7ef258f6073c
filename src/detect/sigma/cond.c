/*
 * cond.c - Sigma condition expressions.
 *
 * Grammar (precedence from loosest: or, and, not, "x of", parentheses):
 *   expr    := and ( "or" and )*
 *   and     := unary ( "and" unary )*
 *   unary   := "not" unary | primary
 *   primary := "(" expr ")" | quant | IDENT
 *   quant   := ( "1" | "any" | "all" | NUMBER ) "of" ( PATTERN | "them" )
 * Keywords are case-insensitive.  Identifiers and patterns are any run of
 * characters other than blanks and parentheses; '*' in a pattern matches
 * any run of characters.  Nesting is capped (SG_MAX_CX_DEPTH).  The old
 * aggregation syntax ("| count() by x > 5", "near") is rejected with a
 * pointer to correlation rules.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect/sigma/sigma-int.h"

struct lexer {
  const char *s, *p;
  struct rift_arena *a;
  char *err;
  size_t errlen;
  int depth;
  /* current token */
  const char *tok;
  size_t tlen;
};

static void next(struct lexer *l)
{
  const char *p = l->p;
  while(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  l->tok = p;
  if(!*p) {
    l->tlen = 0;
  }
  else if(*p == '(' || *p == ')' || *p == '|') {
    l->tlen = 1;
  }
  else {
    const char *q = p;
    while(*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' &&
          *q != '(' && *q != ')' && *q != '|')
      q++;
    l->tlen = (size_t)(q - p);
  }
  l->p = p + l->tlen;
}

static int is(const struct lexer *l, const char *kw)
{
  return l->tlen == strlen(kw) && !strncasecmp(l->tok, kw, l->tlen);
}

static void fail(struct lexer *l, const char *what)
{
  if(l->err && l->errlen && !l->err[0]) {
    if(l->tlen)
      snprintf(l->err, l->errlen, "condition: %s at '%.*s'", what,
               (int)(l->tlen > 40 ? 40 : l->tlen), l->tok);
    else
      snprintf(l->err, l->errlen, "condition: %s at the end", what);
  }
}

static struct sg_cx *mk(struct lexer *l, enum sg_cxop op)
{
  struct sg_cx *x = rift_arena_zalloc(l->a, sizeof(*x));
  if(!x)
    fail(l, "out of memory");
  else
    x->op = op;
  return x;
}

static struct sg_cx *expr(struct lexer *l);

static int is_number(const struct lexer *l, uint32_t *v)
{
  size_t i;
  uint32_t n = 0;
  if(!l->tlen || l->tlen > 6)
    return 0;
  for(i = 0; i < l->tlen; i++) {
    if(l->tok[i] < '0' || l->tok[i] > '9')
      return 0;
    n = n * 10 + (uint32_t)(l->tok[i] - '0');
  }
  *v = n;
  return 1;
}

static struct sg_cx *primary(struct lexer *l)
{
  struct sg_cx *x;
  uint32_t n = 0;
  if(!l->tlen) {
    fail(l, "expression expected");
    return NULL;
  }
  if(is(l, "(")) {
    if(++l->depth > SG_MAX_CX_DEPTH) {
      fail(l, "nested too deeply");
      return NULL;
    }
    next(l);
    x = expr(l);
    if(!x)
      return NULL;
    if(!is(l, ")")) {
      fail(l, "')' expected");
      return NULL;
    }
    l->depth--;
    next(l);
    return x;
  }
  if(is(l, ")") || is(l, "and") || is(l, "or") || is(l, "of")) {
    fail(l, "unexpected");
    return NULL;
  }
  if(is(l, "|")) {
    fail(l, "aggregations ('| count() ...') are replaced by correlation "
            "rules and not supported");
    return NULL;
  }
  if(is(l, "all") || is(l, "any") || is_number(l, &n)) {
    /* look ahead for "of" */
    const char *save_p = l->p, *save_tok = l->tok;
    size_t save_len = l->tlen;
    int all = is(l, "all"), any = is(l, "any");
    next(l);
    if(is(l, "of")) {
      next(l);
      if(!l->tlen || is(l, "(") || is(l, ")")) {
        fail(l, "search identifier pattern or 'them' expected");
        return NULL;
      }
      if(!all && !any && n == 0) {
        fail(l, "'0 of' never matches");
        return NULL;
      }
      x = mk(l, CX_OF);
      if(!x)
        return NULL;
      x->count = all ? 0 : any ? 1 : n;
      if(!is(l, "them")) {
        x->id = rift_arena_strndup(l->a, l->tok, l->tlen);
        if(!x->id)
          return NULL;
      }
      next(l);
      return x;
    }
    l->p = save_p;
    l->tok = save_tok;
    l->tlen = save_len;
  }
  if(is(l, "near")) {
    fail(l, "'near' is replaced by temporal correlation rules");
    return NULL;
  }
  x = mk(l, CX_ID);
  if(!x)
    return NULL;
  x->id = rift_arena_strndup(l->a, l->tok, l->tlen);
  if(!x->id)
    return NULL;
  next(l);
  return x;
}

static struct sg_cx *unary(struct lexer *l)
{
  struct sg_cx *x, *a;
  if(is(l, "not")) {
    if(++l->depth > SG_MAX_CX_DEPTH) {
      fail(l, "nested too deeply");
      return NULL;
    }
    next(l);
    a = unary(l);
    l->depth--;
    if(!a)
      return NULL;
    x = mk(l, CX_NOT);
    if(x)
      x->a = a;
    return x;
  }
  return primary(l);
}

static struct sg_cx *and_expr(struct lexer *l)
{
  struct sg_cx *x = unary(l);
  while(x && is(l, "and")) {
    struct sg_cx *b, *n;
    next(l);
    b = unary(l);
    if(!b)
      return NULL;
    n = mk(l, CX_AND);
    if(!n)
      return NULL;
    n->a = x;
    n->b = b;
    x = n;
  }
  return x;
}

static struct sg_cx *expr(struct lexer *l)
{
  struct sg_cx *x = and_expr(l);
  while(x && is(l, "or")) {
    struct sg_cx *b, *n;
    next(l);
    b = and_expr(l);
    if(!b)
      return NULL;
    n = mk(l, CX_OR);
    if(!n)
      return NULL;
    n->a = x;
    n->b = b;
    x = n;
  }
  return x;
}

struct sg_cx *sg_cond_parse(struct rift_arena *a, const char *s, char *err,
                            size_t errlen)
{
  struct lexer l;
  struct sg_cx *x;
  if(err && errlen)
    err[0] = 0;
  memset(&l, 0, sizeof(l));
  l.s = l.p = s;
  l.a = a;
  l.err = err;
  l.errlen = errlen;
  if(strlen(s) > RIFT_SIGMA_MAX_COND) {
    fail(&l, "too long");
    return NULL;
  }
  next(&l);
  x = expr(&l);
  if(x && l.tlen) {
    if(is(&l, "|"))
      fail(&l, "aggregations ('| count() ...') are replaced by correlation "
               "rules and not supported");
    else
      fail(&l, "operator expected");
    return NULL;
  }
  return x;
}

int sg_wild_match(const char *pat, const char *s)
{
  const char *star = NULL, *ss = NULL;
  while(*s) {
    if(*pat == '*') {
      star = pat++;
      ss = s;
    }
    else if(*pat && *pat == *s) {
      pat++;
      s++;
    }
    else if(star) {
      pat = star + 1;
      s = ++ss;
    }
    else {
      return 0;
    }
  }
  while(*pat == '*')
    pat++;
  return !*pat;
}
