/*
 * ac.c - Aho-Corasick automaton over lowercase literals, scanned ASCII
 * case-insensitively.
 *
 * Our own because the hot loop must cost about one table lookup per input
 * byte, and the rule sets are large (the CommandLine literals of all
 * SigmaHQ process_creation rules make ~10^5 trie states, driver hashes
 * ~10^6).  Two layouts, chosen by size:
 *   - small automata (states x classes <= AC_DFA_MAX): a full DFA over
 *     byte classes (a class per byte that occurs in a pattern, upper and
 *     lower case sharing it; class 0 for all other bytes), every failure
 *     transition resolved at build time;
 *   - large ones: the trie in breadth-first order with sorted child
 *     arrays, failure links, and a dense 256-entry table for the root.
 *     Each byte costs a child search plus failure steps (amortised O(1)).
 * In both, a state that ends a pattern or whose failure chain does is
 * flagged; dict[] links to the next shorter pattern ending at the same
 * place.
 *
 * Limits: at most AC_MAX_STATES states (the build fails beyond).
 */
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/sigma-int.h"

#define AC_MAX_STATES (1u << 24)
#define AC_DFA_MAX (256u * 1024)   /* transitions of a full DFA */
#define NONE UINT32_MAX
#define DFA_TERM 0x80000000u

struct sg_ac {
  uint32_t nstates;
  int dfa;
  /* DFA */
  uint8_t cls[256];
  uint32_t ncls;
  uint32_t *delta;     /* nstates * ncls: next state premultiplied by
                          ncls, DFA_TERM set if it is flagged */
  /* trie */
  uint32_t root[256];  /* by lowercase byte */
  uint32_t *first;     /* first edge of a state */
  uint16_t *nkids;
  uint8_t *ebyte;      /* edges: byte and target, sorted by byte per state */
  uint32_t *etgt;
  uint32_t *fail;
  /* both: at the root, a position whose two bytes start no pattern is
   * skipped without entering the automaton (all patterns >= 2 bytes) */
  int skip;
  uint8_t bigram[65536 / 8];
  uint32_t *pat;       /* pattern ending exactly here, or NONE */
  uint32_t *dict;      /* next state on the failure chain with a pattern */
  uint8_t *term;       /* pat[s] != NONE || dict[s] */
};

void sg_ac_free(struct sg_ac *ac)
{
  if(!ac)
    return;
  free(ac->delta);
  free(ac->first);
  free(ac->nkids);
  free(ac->ebyte);
  free(ac->etgt);
  free(ac->fail);
  free(ac->pat);
  free(ac->dict);
  free(ac->term);
  free(ac);
}

size_t sg_ac_size(const struct sg_ac *ac)
{
  if(!ac)
    return 0;
  if(ac->dfa)
    return (size_t)ac->nstates * (ac->ncls * 4 + 9);
  return (size_t)ac->nstates * (4 + 2 + 5 + 4 + 9) + sizeof(*ac);
}

/* ---- building --------------------------------------------------------------- */

struct tnode {             /* trie under construction */
  uint32_t kid, sib, last; /* first child, next sibling, last child */
  uint8_t b;
};

/* Child of u with byte b in the linked trie, or 0. */
static uint32_t tchild(const struct tnode *t, uint32_t u, uint8_t b)
{
  uint32_t k;
  for(k = t[u].kid; k; k = t[k].sib) {
    if(t[k].b == b)
      return k;
  }
  return 0;
}

struct sg_ac *sg_ac_build(const char *const *pats, const uint32_t *lens,
                          uint32_t n)
{
  struct sg_ac *ac = calloc(1, sizeof(*ac));
  struct tnode *t = NULL;
  uint32_t *order = NULL, *newid = NULL, *queue = NULL, *tpat = NULL;
  uint32_t i, j, total = 1, nt = 1, qh = 0, qt = 0;
  if(!ac)
    return NULL;
  for(i = 0; i < n; i++) {
    total += lens[i];
    if(total > AC_MAX_STATES)
      goto fail;
  }
  ac->skip = 1;
  for(i = 0; i < n; i++) {
    if(lens[i] < 2) {
      ac->skip = 0;
    }
    else {
      unsigned bg = (unsigned)(uint8_t)pats[i][0] << 8 | (uint8_t)pats[i][1];
      ac->bigram[bg >> 3] |= (uint8_t)(1u << (bg & 7));
    }
  }
  t = calloc(total, sizeof(*t));
  tpat = malloc(total * sizeof(*tpat));
  if(!t || !tpat)
    goto fail;
  for(i = 0; i < total; i++)
    tpat[i] = NONE;
  /* the linked trie; children kept in insertion order */
  for(i = 0; i < n; i++) {
    uint32_t u = 0;
    for(j = 0; j < lens[i]; j++) {
      uint8_t b = (uint8_t)pats[i][j];
      uint32_t k = tchild(t, u, b);
      if(!k) {
        k = nt++;
        t[k].b = b;
        if(t[u].last)
          t[t[u].last].sib = k;
        else
          t[u].kid = k;
        t[u].last = k;
      }
      u = k;
    }
    if(tpat[u] == NONE)
      tpat[u] = i;
  }
  ac->nstates = nt;
  /* renumber breadth first, children sorted by byte */
  order = malloc(nt * sizeof(*order));
  newid = malloc(nt * sizeof(*newid));
  queue = malloc(nt * sizeof(*queue));
  if(!order || !newid || !queue)
    goto fail;
  queue[qt++] = 0;
  while(qh < qt) {
    uint32_t u = queue[qh++], k, m = 0;
    uint32_t kids[256];
    for(k = t[u].kid; k; k = t[k].sib)
      kids[m++] = k;
    /* insertion sort by byte (at most 256) */
    for(i = 1; i < m; i++) {
      uint32_t x = kids[i];
      for(j = i; j > 0 && t[kids[j - 1]].b > t[x].b; j--)
        kids[j] = kids[j - 1];
      kids[j] = x;
    }
    for(i = 0; i < m; i++)
      queue[qt++] = kids[i];
  }
  for(i = 0; i < nt; i++) {
    order[i] = queue[i];
    newid[queue[i]] = i;
  }
  ac->pat = malloc(nt * sizeof(uint32_t));
  ac->dict = calloc(nt, sizeof(uint32_t));
  ac->term = calloc(nt, 1);
  ac->first = malloc(nt * sizeof(uint32_t));
  ac->nkids = calloc(nt, sizeof(uint16_t));
  ac->ebyte = malloc(nt);
  ac->etgt = malloc(nt * sizeof(uint32_t));
  ac->fail = calloc(nt, sizeof(uint32_t));
  if(!ac->pat || !ac->dict || !ac->term || !ac->first || !ac->nkids ||
     !ac->ebyte || !ac->etgt || !ac->fail)
    goto fail;
  {
    uint32_t e = 0;
    for(i = 0; i < nt; i++) {
      uint32_t u = order[i], k;
      ac->pat[i] = tpat[u];
      ac->first[i] = e;
      /* children in BFS order are consecutive and sorted */
      for(k = t[u].kid; k; k = t[k].sib)
        ac->nkids[i]++;
      e += ac->nkids[i];
    }
    /* edges: a state's children are the states at first..first+n in BFS
     * order, shifted by one (the root is state 0, not an edge) */
    for(i = 0; i < nt; i++) {
      uint32_t q;
      for(q = 0; q < ac->nkids[i]; q++) {
        uint32_t tg = ac->first[i] + q + 1;
        ac->etgt[ac->first[i] + q] = tg;
        ac->ebyte[ac->first[i] + q] = t[order[tg]].b;
      }
    }
  }
  free(t);
  t = NULL;
  free(tpat);
  tpat = NULL;
  free(order);
  order = NULL;
  free(newid);
  newid = NULL;
  /* failure links, breadth first (state order is BFS order) */
  for(i = 0; i < 256; i++)
    ac->root[i] = 0;
  for(j = 0; j < ac->nkids[0]; j++)
    ac->root[ac->ebyte[j]] = ac->etgt[j];
  for(i = 0; i < nt; i++) {
    uint32_t q;
    for(q = 0; q < ac->nkids[i]; q++) {
      uint32_t v = ac->etgt[ac->first[i] + q];
      uint8_t b = ac->ebyte[ac->first[i] + q];
      uint32_t f = ac->fail[i];
      if(i == 0) {
        ac->fail[v] = 0;
      }
      else {
        for(;;) {
          uint32_t r, lo, hi, found = 0;
          if(f == 0) {
            found = ac->root[b];
          }
          else {
            lo = ac->first[f];
            hi = lo + ac->nkids[f];
            for(r = lo; r < hi; r++) {
              if(ac->ebyte[r] == b) {
                found = ac->etgt[r];
                break;
              }
            }
          }
          if(found || f == 0) {
            ac->fail[v] = found;
            break;
          }
          f = ac->fail[f];
        }
      }
      ac->dict[v] = ac->pat[ac->fail[v]] != NONE ? ac->fail[v]
                                                  : ac->dict[ac->fail[v]];
      ac->term[v] = ac->pat[v] != NONE || ac->dict[v];
    }
  }
  /* small enough for a full DFA? */
  {
    uint32_t ncls = 0;
    memset(ac->cls, 0, sizeof(ac->cls));
    for(i = 0; i < nt; i++) {
      if(i && !ac->cls[ac->ebyte[i - 1]])
        ac->cls[ac->ebyte[i - 1]] = (uint8_t)++ncls;
    }
    ncls++;
    if((uint64_t)nt * ncls <= AC_DFA_MAX && ncls < 256 &&
       (uint64_t)nt * ncls < DFA_TERM) {
      ac->ncls = ncls;
      for(i = 'A'; i <= 'Z'; i++)
        ac->cls[i] = ac->cls[i + 32];
      ac->delta = calloc((size_t)nt * ncls, sizeof(uint32_t));
      if(!ac->delta)
        goto fail;
      /* breadth first: a state's row is its failure state's row with its
       * own children written over it */
      for(i = 0; i < nt; i++) {
        uint32_t *row = &ac->delta[(size_t)i * ncls], q;
        if(i == 0) {
          for(q = 0; q < 256; q++) {
            if(ac->cls[q] && (q < 'A' || q > 'Z'))
              row[ac->cls[q]] = ac->root[q];
          }
        }
        else {
          memcpy(row, &ac->delta[(size_t)ac->fail[i] * ncls],
                 ncls * sizeof(uint32_t));
          for(q = 0; q < ac->nkids[i]; q++)
            row[ac->cls[ac->ebyte[ac->first[i] + q]]] =
              ac->etgt[ac->first[i] + q];
        }
      }
      for(i = 0; i < nt * ncls; i++) {
        uint32_t v = ac->delta[i];
        ac->delta[i] = v * ncls | (ac->term[v] ? DFA_TERM : 0);
      }
      ac->dfa = 1;
    }
  }
  free(queue);
  return ac;
fail:
  free(t);
  free(tpat);
  free(order);
  free(newid);
  free(queue);
  sg_ac_free(ac);
  return NULL;
}

/* ---- scanning ----------------------------------------------------------------- */

static inline void report(const struct sg_ac *ac, uint32_t st, size_t end,
                          sg_ac_fn fn, void *arg)
{
  uint32_t q = st;
  if(ac->pat[q] == NONE)
    q = ac->dict[q];
  while(q) {
    fn(arg, ac->pat[q], end);
    q = ac->dict[q];
  }
}

/* From i, the first position whose two bytes start some pattern (or the
 * last byte, which starts none); the positions before start no match. */
static inline size_t skip_root(const struct sg_ac *ac, const char *s,
                               size_t i, size_t n)
{
  const uint8_t *bg = ac->bigram;
  while(i + 1 < n) {
    unsigned k = (unsigned)sg_lower[(uint8_t)s[i]] << 8 |
                 sg_lower[(uint8_t)s[i + 1]];
    if(bg[k >> 3] & (1u << (k & 7)))
      break;
    i++;
  }
  return i + 1 < n ? i : n;
}

void sg_ac_scan(const struct sg_ac *ac, const char *s, size_t n, sg_ac_fn fn,
                void *arg)
{
  const uint8_t *term = ac->term;
  uint32_t st = 0;
  size_t i;
  if(ac->dfa) {
    const uint32_t *delta = ac->delta;
    const uint8_t *cls = ac->cls;
    uint32_t ncls = ac->ncls;
    for(i = 0; i < n; i++) {
      if(!st && ac->skip) {
        i = skip_root(ac, s, i, n);
        if(i >= n)
          break;
      }
      st = delta[st + cls[(uint8_t)s[i]]];
      if(st & DFA_TERM) {
        st &= ~DFA_TERM;
        report(ac, st / ncls, i + 1, fn, arg);
      }
    }
    return;
  }
  for(i = 0; i < n; i++) {
    uint8_t b;
    if(!st && ac->skip) {
      i = skip_root(ac, s, i, n);
      if(i >= n)
        break;
    }
    b = sg_lower[(uint8_t)s[i]];
    for(;;) {
      uint32_t lo, hi, r;
      if(st == 0) {
        st = ac->root[b];
        break;
      }
      lo = ac->first[st];
      hi = lo + ac->nkids[st];
      for(r = lo; r < hi && ac->ebyte[r] < b; r++)
        ;
      if(r < hi && ac->ebyte[r] == b) {
        st = ac->etgt[r];
        break;
      }
      st = ac->fail[st];
    }
    if(term[st])
      report(ac, st, i + 1, fn, arg);
  }
}
