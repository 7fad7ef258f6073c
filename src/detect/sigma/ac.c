/*
 * ac.c - Aho-Corasick automaton over lowercase literals, scanned ASCII
 * case-insensitively.
 *
 * Our own because the hot loop must be one table lookup per input byte:
 * the trie is turned into a full DFA (every failure transition resolved at
 * build time) over byte classes, where a class is one byte that occurs in
 * some pattern (upper and lower case share it) and class 0 is every other
 * byte.  Memory is states x classes x 4 bytes; a state that ends a pattern
 * (or whose failure chain does) is flagged, and dict[] links to the next
 * shorter pattern ending at the same place.
 *
 * Limits: at most SG_AC_MAX_STATES states (build fails beyond).
 */
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/sigma-int.h"

#define SG_AC_MAX_STATES (1u << 22)
#define NONE UINT32_MAX

struct sg_ac {
  uint8_t cls[256];
  uint32_t ncls;
  uint32_t nstates;
  uint32_t *delta;   /* nstates * ncls */
  uint32_t *pat;     /* pattern ending exactly here, or NONE */
  uint32_t *dict;    /* next state on the failure chain with a pattern, 0 */
  uint8_t *term;     /* pat[s] != NONE || dict[s] */
};

void sg_ac_free(struct sg_ac *ac)
{
  if(!ac)
    return;
  free(ac->delta);
  free(ac->pat);
  free(ac->dict);
  free(ac->term);
  free(ac);
}

size_t sg_ac_size(const struct sg_ac *ac)
{
  return ac ? (size_t)ac->nstates * (ac->ncls * 4 + 9) : 0;
}

struct sg_ac *sg_ac_build(const char *const *pats, const uint32_t *lens,
                          uint32_t n)
{
  struct sg_ac *ac = calloc(1, sizeof(*ac));
  uint32_t i, j, total = 1, cap, *fail = NULL, *queue = NULL, qh = 0, qt = 0;
  if(!ac)
    return NULL;
  /* classes */
  for(i = 0; i < n; i++) {
    for(j = 0; j < lens[i]; j++) {
      uint8_t b = (uint8_t)pats[i][j];
      if(!ac->cls[b]) {
        ac->cls[b] = (uint8_t)++ac->ncls;
        if(ac->ncls == 255)
          goto fail; /* cannot happen with 256 byte values minus upper case */
      }
    }
    total += lens[i];
  }
  ac->ncls++;                /* class 0: bytes in no pattern */
  for(i = 'A'; i <= 'Z'; i++)
    ac->cls[i] = ac->cls[i + 32];
  if(total > SG_AC_MAX_STATES)
    goto fail;
  cap = total;
  ac->delta = calloc((size_t)cap * ac->ncls, sizeof(uint32_t));
  ac->pat = malloc((size_t)cap * sizeof(uint32_t));
  ac->dict = calloc(cap, sizeof(uint32_t));
  ac->term = calloc(cap, 1);
  fail = calloc(cap, sizeof(uint32_t));
  queue = malloc((size_t)cap * sizeof(uint32_t));
  if(!ac->delta || !ac->pat || !ac->dict || !ac->term || !fail || !queue)
    goto fail;
  for(i = 0; i < cap; i++)
    ac->pat[i] = NONE;
  ac->nstates = 1;
  /* trie (0 in delta = no child yet; the root is never a child) */
  for(i = 0; i < n; i++) {
    uint32_t st = 0;
    for(j = 0; j < lens[i]; j++) {
      uint32_t c = ac->cls[(uint8_t)pats[i][j]];
      uint32_t *d = &ac->delta[(size_t)st * ac->ncls + c];
      if(!*d)
        *d = ac->nstates++;
      st = *d;
    }
    if(ac->pat[st] == NONE)
      ac->pat[st] = i;
  }
  /* breadth first: failure links, then full transitions */
  for(i = 0; i < ac->ncls; i++) {
    uint32_t ch = ac->delta[i];
    if(ch) {
      fail[ch] = 0;
      queue[qt++] = ch;
    }
  }
  while(qh < qt) {
    uint32_t st = queue[qh++];
    uint32_t f = fail[st];
    ac->dict[st] = ac->pat[f] != NONE ? f : ac->dict[f];
    ac->term[st] = ac->pat[st] != NONE || ac->dict[st];
    for(i = 0; i < ac->ncls; i++) {
      uint32_t *d = &ac->delta[(size_t)st * ac->ncls + i];
      uint32_t fd = ac->delta[(size_t)f * ac->ncls + i];
      if(*d) {
        fail[*d] = fd;
        queue[qt++] = *d;
      }
      else {
        *d = fd;
      }
    }
  }
  free(fail);
  free(queue);
  return ac;
fail:
  free(fail);
  free(queue);
  sg_ac_free(ac);
  return NULL;
}

void sg_ac_scan(const struct sg_ac *ac, const char *s, size_t n, sg_ac_fn fn,
                void *arg)
{
  const uint32_t *delta = ac->delta;
  const uint8_t *cls = ac->cls, *term = ac->term;
  uint32_t ncls = ac->ncls, st = 0;
  size_t i;
  for(i = 0; i < n; i++) {
    st = delta[(size_t)st * ncls + cls[(uint8_t)s[i]]];
    if(term[st]) {
      uint32_t q = st;
      if(ac->pat[q] == NONE)
        q = ac->dict[q];
      while(q) {
        fn(arg, ac->pat[q], i + 1);
        q = ac->dict[q];
      }
    }
  }
}
