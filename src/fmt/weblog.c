/*
 * weblog.c - web server access logs (Apache and Nginx) as events.
 *
 * The formats every Apache and Nginx install writes by default:
 *   common         %h %l %u [%t] "%r" %>s %b
 *   combined       common + "%{Referer}i" "%{User-Agent}i"   (Nginx's too)
 *   vhost_combined %v:%p before the common fields
 * with %t as [13/Jan/2016:19:31:16 +0200].  Anything after the user agent
 * (extra fields some sites append) is ignored.
 *
 * The request is found by its end, not by quotes inside it: the closing
 * quote is the first one followed by a status and a size (' 200 494', ' 404
 * -'), so attack strings with quotes in the URL ('?q=<script>alert("x")')
 * are kept whole.  A line that is not an access log line is reported (file,
 * offset, reason) and skipped; a line whose user agent is cut short (no
 * closing quote) is kept, with a warning.
 *
 * Events (kind weblog, event.dataset weblog.access): source.ip (or
 * source.domain for a host name), user.name, http.request.method,
 * url.original/path/query/extension, http.version,
 * http.response.status_code, http.response.body.bytes,
 * http.request.referrer, user_agent.original, destination.domain,
 * url.domain and destination.port (vhost), and the line as message.
 */
#include <string.h>

#include "core/rtime.h"
#include "fmt/logrec.h"
#include "fmt/weblog.h"
#include "net/http.h"
#include "net/netev.h"
#include "net/pkt.h"

struct wl {
  struct logsink ls;
  const struct rift_parse_opts *o;
  struct rift_diag *d;
};

/* A parsed line; pointers into the line. */
struct wline {
  const char *vhost, *host, *user, *req, *ref, *ua;
  size_t vhostl, hostl, userl, reql, refl, ual;
  unsigned port, status;
  uint64_t bytes;
  int has_bytes, ua_cut;
  int64_t ts;
};

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* [dd/Mon/yyyy:HH:MM:SS +zzzz] at p (after '['), n bytes; ns or NONE. */
static int64_t clf_time(const char *p, size_t n)
{
  static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  unsigned d, mo, y, h, mi, s, zh, zm, i;
  int64_t t, off;
  if(n < 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
     p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
    return RIFT_TIME_NONE;
  for(i = 0; i < 26; i++) {
    if(i == 2 || i == 6 || i == 11 || i == 14 || i == 17 || i == 20 ||
       i == 21 || (i >= 3 && i <= 5))
      continue;
    if(!is_digit(p[i]))
      return RIFT_TIME_NONE;
  }
  for(mo = 0; mo < 12; mo++)
    if(!memcmp(p + 3, mon + mo * 3, 3))
      break;
  if(mo == 12)
    return RIFT_TIME_NONE;
  d = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
  y = (unsigned)(p[7] - '0') * 1000 + (unsigned)(p[8] - '0') * 100 +
      (unsigned)(p[9] - '0') * 10 + (unsigned)(p[10] - '0');
  h = (unsigned)(p[12] - '0') * 10 + (unsigned)(p[13] - '0');
  mi = (unsigned)(p[15] - '0') * 10 + (unsigned)(p[16] - '0');
  s = (unsigned)(p[18] - '0') * 10 + (unsigned)(p[19] - '0');
  zh = (unsigned)(p[22] - '0') * 10 + (unsigned)(p[23] - '0');
  zm = (unsigned)(p[24] - '0') * 10 + (unsigned)(p[25] - '0');
  if(zh > 23 || zm > 59)
    return RIFT_TIME_NONE;
  /* NONE for a date that does not exist or lies outside int64 ns */
  t = rift_systemtime_to_ns(y, mo + 1, d, h, mi, s, 0);
  if(t == RIFT_TIME_NONE)
    return t;
  off = (int64_t)(zh * 3600 + zm * 60) * 1000000000;
  return p[21] == '+' ? rift_time_sub(t, off) : rift_time_add(t, off);
}

/* A quoted field at *i ('"' expected); its end is the next '"' not
 * escaped with a backslash.  *cut set if the line ends first. */
static int quoted(const char *p, size_t n, size_t *i, const char **v,
                  size_t *vl, int *cut)
{
  size_t j;
  if(*i >= n || p[*i] != '"')
    return 0;
  for(j = *i + 1; j < n && !(p[j] == '"' && p[j - 1] != '\\'); j++)
    ;
  *v = p + *i + 1;
  *vl = j - *i - 1;
  *cut = j >= n;
  *i = j < n ? j + 1 : n;
  return 1;
}

/* ' NNN SIZE' at p[j] (j just past a '"'): 1 if it is the status and
 * size that follow the request. */
static int status_at(const char *p, size_t n, size_t j)
{
  size_t k;
  if(j + 6 > n || p[j] != ' ' || !is_digit(p[j + 1]) || !is_digit(p[j + 2]) ||
     !is_digit(p[j + 3]) || p[j + 4] != ' ')
    return 0;
  k = j + 5;
  if(p[k] == '-')
    k++;
  else
    while(k < n && is_digit(p[k]))
      k++;
  return k > j + 5 && (k == n || p[k] == ' ');
}

static const char *parse(const char *p, size_t n, struct wline *w)
{
  const char *tok[4];
  size_t tokl[4], nt = 0, i = 0, j, k;
  memset(w, 0, sizeof(*w));
  /* up to four space-separated fields before '[' */
  while(i < n && p[i] != '[') {
    size_t s = i;
    while(i < n && p[i] != ' ')
      i++;
    if(nt == 4)
      return "too many fields before the time";
    tok[nt] = p + s;
    tokl[nt++] = i - s;
    while(i < n && p[i] == ' ')
      i++;
  }
  if(i >= n || (nt != 3 && nt != 4))
    return "not an access log line (no [time] after host, ident and user)";
  k = 0;
  if(nt == 4) {
    const char *c = memchr(tok[0], ':', tokl[0]);
    w->vhost = tok[0];
    w->vhostl = c ? (size_t)(c - tok[0]) : tokl[0];
    if(c)
      for(c++; c < tok[0] + tokl[0] && is_digit(*c) && w->port < 65536; c++)
        w->port = w->port * 10 + (unsigned)(*c - '0');
    if(w->port > 65535)
      w->port = 0;
    k = 1;
  }
  w->host = tok[k];
  w->hostl = tokl[k];
  w->user = tok[k + 2];
  w->userl = tokl[k + 2];
  if(!w->hostl)
    return "no client host";
  /* [time] */
  for(j = i + 1; j < n && p[j] != ']'; j++)
    ;
  if(j >= n)
    return "time not closed by ']'";
  w->ts = clf_time(p + i + 1, j - i - 1);
  if(w->ts == RIFT_TIME_NONE)
    return "bad time (want [dd/Mon/yyyy:HH:MM:SS +zzzz])";
  i = j + 1;
  if(i + 1 >= n || p[i] != ' ' || p[i + 1] != '"')
    return "no quoted request after the time";
  i += 2;
  /* the request ends at the first '"' followed by status and size */
  for(j = i; j < n; j++)
    if(p[j] == '"' && status_at(p, n, j + 1))
      break;
  if(j >= n)
    return "no status and size after the request";
  w->req = p + i;
  w->reql = j - i;
  w->status = (unsigned)(p[j + 2] - '0') * 100 +
              (unsigned)(p[j + 3] - '0') * 10 + (unsigned)(p[j + 4] - '0');
  i = j + 6;
  if(p[i] == '-') {
    i++;
  }
  else {
    w->has_bytes = 1;
    while(i < n && is_digit(p[i])) {
      if(w->bytes < UINT64_MAX / 10)
        w->bytes = w->bytes * 10 + (uint64_t)(p[i] - '0');
      i++;
    }
  }
  /* combined: "referer" "user agent" */
  if(i + 1 < n && p[i] == ' ' && p[i + 1] == '"') {
    int cut = 0;
    i++;
    quoted(p, n, &i, &w->ref, &w->refl, &cut);
    if(!cut && i + 1 < n && p[i] == ' ' && p[i + 1] == '"') {
      i++;
      quoted(p, n, &i, &w->ua, &w->ual, &w->ua_cut);
    }
  }
  return NULL;
}

static int dash(const char *s, size_t n)
{
  return !n || (n == 1 && s[0] == '-');
}

static rift_err event(struct wl *l, const char *line, size_t n,
                      const struct wline *w, uint64_t off, uint64_t lineno)
{
  struct rift_batch *b = &l->ls.batch;
  struct rift_event *e = rift_batch_add(b);
  uint8_t ip[16];
  struct rift_http_reqline rl;
  if(!e)
    return b->arena.err ? b->arena.err : RIFT_NOMEM;
  e->kind = RIFT_KIND_WEBLOG;
  e->ts = w->ts;
  e->file_id = l->o->file_id;
  e->offset = off;
  e->record_id = lineno;
  e->host = l->o->host_hint;
  e->category = "web";
  e->type = "access";
  e->action = "http_request";
  e->provider = "weblog";
  e->dataset = "weblog.access";
  e->outcome = w->status < 400 ? "success" : "failure";
  e->message = rift_arena_strndup(&b->arena, line, n);
  rift_event_add_str(b, e, rift_ip_parse(w->host, w->hostl, ip)
                             ? RIFT_F_SOURCE_IP : RIFT_F_SOURCE_DOMAIN,
                     w->host, w->hostl);
  if(!dash(w->user, w->userl))
    rift_event_add_str(b, e, RIFT_F_USER_NAME, w->user, w->userl);
  if(w->vhostl && !dash(w->vhost, w->vhostl)) {
    rift_event_add_str(b, e, RIFT_F_DESTINATION_DOMAIN, w->vhost, w->vhostl);
    rift_event_add_str(b, e, RIFT_F_URL_DOMAIN, w->vhost, w->vhostl);
  }
  if(w->port)
    rift_event_add_uint(b, e, RIFT_F_DESTINATION_PORT, w->port);
  if(rift_http_request_line(w->req, w->reql, &rl)) {
    rift_event_add_str(b, e, RIFT_F_HTTP_REQUEST_METHOD, rl.method, rl.method_len);
    rift_netev_url(b, e, rl.target, rl.target_len);
    if(rl.version_len)
      rift_event_add_str(b, e, RIFT_F_HTTP_VERSION, rl.version + 5,
                         rl.version_len - 5);
  }
  rift_event_add_uint(b, e, RIFT_F_HTTP_RESPONSE_STATUS, w->status);
  if(w->has_bytes)
    rift_event_add_uint(b, e, RIFT_F_HTTP_RESPONSE_BODY_BYTES, w->bytes);
  if(w->ref && !dash(w->ref, w->refl))
    rift_event_add_str(b, e, RIFT_F_HTTP_REQUEST_REFERRER, w->ref, w->refl);
  if(w->ua && !dash(w->ua, w->ual))
    rift_event_add_str(b, e, RIFT_F_USER_AGENT, w->ua, w->ual);
  if(l->o->path)
    rift_event_add_strref(b, e, RIFT_F_LOG_FILE_PATH, l->o->path,
                          strlen(l->o->path));
  return b->arena.err;
}

static rift_err line_cb(void *ctx, const char *line, size_t n, uint64_t off,
                        uint64_t lineno)
{
  struct wl *l = ctx;
  struct wline w;
  const char *why = parse(line, n, &w);
  rift_err rc;
  if(why) {
    rift_diag_report(l->d, RIFT_DIAG_WARN, RIFT_CORRUPT, off, "line %llu: %s",
                     (unsigned long long)lineno, why);
    l->ls.st->errors++;
    return RIFT_OK;
  }
  if(w.ua_cut)
    rift_diag_report(l->d, RIFT_DIAG_WARN, RIFT_TRUNCATED, off,
                     "line %llu: the user agent has no closing quote (kept "
                     "to the end of the line)", (unsigned long long)lineno);
  rc = event(l, line, n, &w, off, lineno);
  if(rc)
    return rc;
  return logsink_maybe_flush(&l->ls);
}

int rift_weblog_sniff(const uint8_t *head, size_t n, const char *path,
                      uint64_t size)
{
  const char *p = (const char *)head;
  const char *nl;
  struct wline w;
  size_t l;
  (void)path;
  (void)size;
  while(n && (*p == '\n' || *p == '\r')) {
    p++;
    n--;
  }
  nl = memchr(p, '\n', n);
  if(!nl)
    return 0; /* the first line must be whole */
  l = (size_t)(nl - p);
  if(l && p[l - 1] == '\r')
    l--;
  return parse(p, l, &w) ? 0 : 70;
}

rift_err rift_weblog_parse(const struct rift_source *src,
                           const struct rift_parse_opts *o,
                           struct rift_event_sink *sink, struct rift_diag *d,
                           struct rift_parse_stats *st)
{
  struct wl l;
  rift_err rc;
  memset(&l, 0, sizeof(l));
  l.o = o;
  l.d = d;
  logsink_init(&l.ls, sink, st);
  rc = logrec_lines(src, o, line_cb, &l);
  if(!rc)
    rc = logsink_flush(&l.ls);
  logsink_release(&l.ls);
  return rc;
}
