/*
 * http.c - HTTP/1.x header parser (http.h).
 */
#include <stdlib.h>
#include <string.h>

#include "net/http.h"

enum { ST_HDR, ST_BODY, ST_CHUNK_SIZE, ST_CHUNK_DATA, ST_CHUNK_CRLF,
       ST_TRAILER };

static const char *const methods[] = {
  "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
  "PATCH ", "TRACE ", "PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ", "MOVE ",
  "LOCK ", "UNLOCK ", "SEARCH ", "REPORT ", NULL
};

int rift_http_sniff(const uint8_t *p, size_t n)
{
  int i;
  for(i = 0; methods[i]; i++) {
    size_t l = strlen(methods[i]);
    if(n >= l && !memcmp(p, methods[i], l))
      return 1;
  }
  if(n >= 7 && !memcmp(p, "HTTP/1.", 7))
    return 2;
  return 0;
}

void rift_http_init(struct rift_http *h)
{
  int i;
  memset(h, 0, sizeof(*h));
  for(i = 0; i < 2; i++) {
    rift_buf_init(&h->dir[i].hdr, RIFT_HTTP_MAX_HEADER);
    rift_buf_init(&h->dir[i].line, 256);
  }
}

static void txn_free(struct rift_http_txn *t)
{
  free(t->method);
  free(t->uri);
  free(t->version);
  free(t->host);
  free(t->user_agent);
  free(t->referrer);
  free(t->content_type);
  free(t->location);
  memset(t, 0, sizeof(*t));
}

void rift_http_release(struct rift_http *h)
{
  unsigned i;
  for(i = 0; i < h->n; i++)
    txn_free(&h->q[(h->head + i) % RIFT_HTTP_MAX_PENDING]);
  for(i = 0; i < 2; i++) {
    rift_buf_release(&h->dir[i].hdr);
    rift_buf_release(&h->dir[i].line);
  }
  memset(h, 0, sizeof(*h));
}

static char *dup_n(const char *s, size_t n)
{
  char *r;
  if(n > RIFT_HTTP_MAX_FIELD)
    n = RIFT_HTTP_MAX_FIELD;
  r = malloc(n + 1);
  if(!r)
    return NULL;
  memcpy(r, s, n);
  r[n] = 0;
  return r;
}

static int ieq(const char *a, size_t an, const char *b)
{
  size_t i, bn = strlen(b);
  if(an != bn)
    return 0;
  for(i = 0; i < an; i++) {
    char x = a[i], y = b[i];
    if(x >= 'A' && x <= 'Z')
      x = (char)(x + 32);
    if(y >= 'A' && y <= 'Z')
      y = (char)(y + 32);
    if(x != y)
      return 0;
  }
  return 1;
}

static uint64_t parse_u64(const char *s, size_t n, int *ok)
{
  uint64_t v = 0;
  size_t i;
  *ok = n > 0;
  for(i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10) {
      *ok = 0;
      return 0;
    }
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  return v;
}

struct hdrs {
  uint64_t clen;
  int has_clen, chunked;
};

/* Walk header lines after the start line: name: value. */
static void headers(const char *p, size_t n, struct hdrs *hd,
                    struct rift_http_txn *t, int response)
{
  size_t i = 0;
  memset(hd, 0, sizeof(*hd));
  while(i < n) {
    size_t e = i, c, vs, ve;
    while(e < n && p[e] != '\n')
      e++;
    ve = e;
    if(ve > i && p[ve - 1] == '\r')
      ve--;
    for(c = i; c < ve && p[c] != ':'; c++)
      ;
    if(c < ve) {
      const char *name = p + i;
      size_t nl = c - i;
      vs = c + 1;
      while(vs < ve && (p[vs] == ' ' || p[vs] == '\t'))
        vs++;
      while(ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
        ve--;
      if(ieq(name, nl, "content-length")) {
        int ok;
        uint64_t v = parse_u64(p + vs, ve - vs, &ok);
        if(ok) {
          hd->clen = v;
          hd->has_clen = 1;
        }
      }
      else if(ieq(name, nl, "transfer-encoding")) {
        size_t k;
        for(k = vs; k + 7 <= ve; k++) {
          if(ieq(p + k, 7, "chunked"))
            hd->chunked = 1;
        }
      }
      else if(!response && ieq(name, nl, "host") && !t->host) {
        t->host = dup_n(p + vs, ve - vs);
      }
      else if(!response && ieq(name, nl, "user-agent") && !t->user_agent) {
        t->user_agent = dup_n(p + vs, ve - vs);
      }
      else if(!response && ieq(name, nl, "referer") && !t->referrer) {
        t->referrer = dup_n(p + vs, ve - vs);
      }
      else if(response && ieq(name, nl, "content-type") && !t->content_type) {
        t->content_type = dup_n(p + vs, ve - vs);
      }
      else if(response && ieq(name, nl, "location") && !t->location) {
        t->location = dup_n(p + vs, ve - vs);
      }
    }
    i = e + 1;
  }
}

/* Split "A B C" start line into up to three parts. */
static int start_line(const char *p, size_t n, const char **a, size_t *al,
                      const char **b, size_t *bl, const char **c, size_t *cl)
{
  size_t i = 0, s;
  s = i;
  while(i < n && p[i] != ' ')
    i++;
  *a = p + s;
  *al = i - s;
  if(i >= n)
    return 1;
  while(i < n && p[i] == ' ')
    i++;
  s = i;
  while(i < n && p[i] != ' ')
    i++;
  *b = p + s;
  *bl = i - s;
  while(i < n && p[i] == ' ')
    i++;
  *c = p + i;
  *cl = n - i;
  return 3;
}

int rift_http_request_line(const char *p, size_t n, struct rift_http_reqline *r)
{
  const char *end = p + n, *t, *te, *v;
  memset(r, 0, sizeof(*r));
  t = memchr(p, ' ', n);
  if(!t)
    return 0;
  r->method = p;
  r->method_len = (size_t)(t - p);
  while(t < end && *t == ' ')
    t++;
  while(end > t && end[-1] == ' ')
    end--;
  te = end;
  v = end;
  while(v > t && v[-1] != ' ')
    v--;
  if(v > t && end - v > 5 && !memcmp(v, "HTTP/", 5)) {
    r->version = v;
    r->version_len = (size_t)(end - v);
    te = v;
    while(te > t && te[-1] == ' ')
      te--;
  }
  r->target = t;
  r->target_len = (size_t)(te - t);
  return 1;
}

static void emit_head(struct rift_http *h, rift_http_done_fn done, void *ctx)
{
  struct rift_http_txn *t = &h->q[h->head];
  if(done)
    done(ctx, t);
  txn_free(t);
  h->head = (h->head + 1) % RIFT_HTTP_MAX_PENDING;
  h->n--;
}

/* A complete header block in d->hdr; returns the next state. */
static int message(struct rift_http *h, int dir, const char *p, size_t n,
                   int64_t ts, uint64_t frame, uint64_t offset,
                   rift_http_done_fn done, void *ctx)
{
  struct rift_http_dir *d = &h->dir[dir];
  size_t le = 0, sl;
  const char *a = NULL, *b = NULL, *c = NULL;
  size_t al = 0, bl = 0, cl = 0;
  struct hdrs hd;
  while(le < n && p[le] != '\n')
    le++;
  sl = le;
  if(sl && p[sl - 1] == '\r')
    sl--;
  if(dir == 0) {
    struct rift_http_txn *t;
    struct rift_http_reqline rl;
    if(!rift_http_request_line(p, sl, &rl))
      return -1;
    if(h->ntxn >= RIFT_HTTP_MAX_TXN)
      return -1;
    if(h->n == RIFT_HTTP_MAX_PENDING)
      emit_head(h, done, ctx); /* never answered: report it now */
    t = &h->q[(h->head + h->n) % RIFT_HTTP_MAX_PENDING];
    memset(t, 0, sizeof(*t));
    h->n++;
    h->ntxn++;
    t->method = dup_n(rl.method, rl.method_len);
    t->uri = dup_n(rl.target, rl.target_len);
    t->version = dup_n(rl.version ? rl.version : "", rl.version_len);
    t->ts = ts;
    t->frame = frame;
    t->offset = offset;
    headers(p + le + 1, n - (le + 1 < n ? le + 1 : n), &hd, t, 0);
    t->req_body = hd.clen;
    if(hd.chunked)
      return ST_CHUNK_SIZE;
    d->left = hd.has_clen ? hd.clen : 0;
    return d->left ? ST_BODY : ST_HDR;
  }
  else {
    struct rift_http_txn tmp, *t;
    int ok, status, nobody, connect;
    if(start_line(p, sl, &a, &al, &b, &bl, &c, &cl) != 3 || al < 7 ||
       memcmp(a, "HTTP/1.", 7))
      return -1;
    status = (int)parse_u64(b, bl, &ok);
    if(!ok || status < 100 || status > 999)
      return -1;
    if(status >= 100 && status < 200 && status != 101) {
      /* interim response: no body, the real one follows */
      memset(&tmp, 0, sizeof(tmp));
      headers(p + le + 1, n - (le + 1 < n ? le + 1 : n), &hd, &tmp, 1);
      txn_free(&tmp);
      return ST_HDR;
    }
    if(h->n) {
      t = &h->q[h->head];
    }
    else {
      memset(&tmp, 0, sizeof(tmp));
      t = &tmp; /* a response to a request we did not see */
    }
    t->status = status;
    headers(p + le + 1, n - (le + 1 < n ? le + 1 : n), &hd, t, 1);
    t->resp_body = hd.clen;
    nobody = status == 204 || status == 304 ||
             (t->method && !strcmp(t->method, "HEAD"));
    connect = t->method && !strcmp(t->method, "CONNECT") && status >= 200 &&
              status < 300;
    if(t == &tmp) {
      txn_free(&tmp);
    }
    else {
      emit_head(h, done, ctx);
    }
    if(connect || status == 101) {
      h->tunnel = connect;
      return -2;
    }
    if(nobody)
      return ST_HDR;
    if(hd.chunked)
      return ST_CHUNK_SIZE;
    if(!hd.has_clen)
      return -1; /* body until close */
    d->left = hd.clen;
    return d->left ? ST_BODY : ST_HDR;
  }
}

static void dir_done(struct rift_http *h, int dir)
{
  h->dir[dir].done = 1;
  rift_buf_release(&h->dir[dir].hdr);
  rift_buf_release(&h->dir[dir].line);
}

int rift_http_feed(struct rift_http *h, int dir, const uint8_t *p, size_t n,
                   int64_t ts, uint64_t frame, uint64_t offset,
                   rift_http_done_fn done, void *ctx)
{
  struct rift_http_dir *d = &h->dir[dir];
  size_t i = 0;
  if(d->done)
    return RIFT_HTTP_DONE;
  while(i < n) {
    switch(d->state) {
    case ST_HDR: {
      /* find the end of the header block: an empty line */
      size_t start = i, k;
      int st = -3;
      for(k = i; k < n; k++) {
        if(p[k] != '\n')
          continue;
        if(rift_buf_add(&d->hdr, p + start, k + 1 - start)) {
          dir_done(h, dir);
          return RIFT_HTTP_DONE;
        }
        start = k + 1;
        {
          size_t L = d->hdr.len;
          const char *b = d->hdr.buf;
          if((L == 1 && b[0] == '\n') || (L == 2 && b[0] == '\r'))
            rift_buf_reset(&d->hdr); /* stray blank line between messages */
          else if((L >= 2 && b[L - 2] == '\n') ||
                  (L >= 3 && b[L - 3] == '\n' && b[L - 2] == '\r')) {
            if(d->hdr.len && !rift_http_sniff((const uint8_t *)b, L)) {
              dir_done(h, dir);
              return RIFT_HTTP_DONE;
            }
            st = message(h, dir, b, L, ts, frame, offset, done, ctx);
            rift_buf_reset(&d->hdr);
            break;
          }
        }
      }
      if(st == -3) { /* no end yet: keep the partial header */
        if(start < n && rift_buf_add(&d->hdr, p + start, n - start)) {
          dir_done(h, dir);
          return RIFT_HTTP_DONE;
        }
        if(d->hdr.len >= 16 && !rift_http_sniff((const uint8_t *)d->hdr.buf,
                                                d->hdr.len)) {
          dir_done(h, dir);
          return RIFT_HTTP_DONE;
        }
        return RIFT_HTTP_MORE;
      }
      i = start;
      if(st == -2) {
        dir_done(h, 0);
        dir_done(h, 1);
        return RIFT_HTTP_TUNNEL;
      }
      if(st < 0) {
        dir_done(h, dir);
        return RIFT_HTTP_DONE;
      }
      d->state = (uint8_t)st;
      break;
    }
    case ST_BODY: {
      size_t k = n - i;
      if(k > d->left)
        k = (size_t)d->left;
      d->left -= k;
      i += k;
      if(!d->left)
        d->state = ST_HDR;
      break;
    }
    case ST_CHUNK_SIZE:
    case ST_TRAILER: {
      /* one line */
      size_t k = i;
      while(k < n && p[k] != '\n')
        k++;
      if(k == n) {
        if(rift_buf_add(&d->line, p + i, n - i)) {
          dir_done(h, dir);
          return RIFT_HTTP_DONE;
        }
        return RIFT_HTTP_MORE;
      }
      if(rift_buf_add(&d->line, p + i, k - i)) {
        dir_done(h, dir);
        return RIFT_HTTP_DONE;
      }
      i = k + 1;
      {
        const char *l = d->line.buf;
        size_t ll = d->line.len, j;
        uint64_t v = 0;
        int digits = 0;
        if(ll && l[ll - 1] == '\r')
          ll--;
        if(d->state == ST_TRAILER) {
          if(ll == 0)
            d->state = ST_HDR;
          rift_buf_reset(&d->line);
          break;
        }
        for(j = 0; j < ll; j++) {
          char ch = l[j];
          int hv = ch >= '0' && ch <= '9' ? ch - '0' :
                   ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
                   ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
          if(hv < 0)
            break;
          if(v >> 56) {
            dir_done(h, dir);
            return RIFT_HTTP_DONE;
          }
          v = v << 4 | (uint64_t)hv;
          digits++;
        }
        rift_buf_reset(&d->line);
        if(!digits) {
          dir_done(h, dir);
          return RIFT_HTTP_DONE;
        }
        if(v == 0) {
          d->state = ST_TRAILER;
        }
        else {
          d->left = v;
          d->state = ST_CHUNK_DATA;
        }
      }
      break;
    }
    case ST_CHUNK_DATA: {
      size_t k = n - i;
      if(k > d->left)
        k = (size_t)d->left;
      d->left -= k;
      i += k;
      if(!d->left)
        d->state = ST_CHUNK_CRLF;
      break;
    }
    case ST_CHUNK_CRLF:
      if(p[i] == '\r') {
        i++;
      }
      else if(p[i] == '\n') {
        i++;
        d->state = ST_CHUNK_SIZE;
      }
      else {
        dir_done(h, dir);
        return RIFT_HTTP_DONE;
      }
      break;
    default:
      dir_done(h, dir);
      return RIFT_HTTP_DONE;
    }
  }
  return RIFT_HTTP_MORE;
}

void rift_http_flush(struct rift_http *h, rift_http_done_fn done, void *ctx)
{
  while(h->n)
    emit_head(h, done, ctx);
}
