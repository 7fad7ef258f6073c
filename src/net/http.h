/*
 * http.h - HTTP/1.x request and response headers from a TCP stream.
 *
 * Each direction is fed in order.  The parser reads a header block (up to
 * RIFT_HTTP_MAX_HEADER bytes, ending in an empty line), then skips the
 * body by Content-Length or chunked encoding, and reads the next message.
 * A body that ends only with the connection, or anything unparsable, ends
 * that direction.  Requests queue until their response arrives (HTTP/1.1
 * pipelining keeps order); a transaction is reported through the done()
 * callback when its response header is read, or by rift_http_flush().
 * A CONNECT answered with 2xx turns the connection into a tunnel
 * (rift_http_feed returns RIFT_HTTP_TUNNEL): the caller then looks for
 * TLS inside.
 */
#ifndef RIFT_NET_HTTP_H
#define RIFT_NET_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define RIFT_HTTP_MAX_HEADER (32u * 1024)
#define RIFT_HTTP_MAX_PENDING 32
#define RIFT_HTTP_MAX_TXN 1024     /* transactions per connection */
#define RIFT_HTTP_MAX_FIELD 8192   /* bytes kept of one value */

struct rift_http_txn {
  char *method, *uri, *version, *host, *user_agent, *referrer;
  char *content_type;             /* of the response */
  char *location;                 /* of the response */
  int status;                     /* 0 until the response */
  uint64_t req_body, resp_body;   /* Content-Length values */
  int64_t ts;                     /* request time */
  uint64_t frame, offset;
};

struct rift_http_dir {
  struct rift_buf hdr;
  uint64_t left;          /* body bytes to skip */
  uint8_t state;
  uint8_t done;
  struct rift_buf line;   /* chunk-size line */
};

struct rift_http {
  struct rift_http_dir dir[2];
  struct rift_http_txn q[RIFT_HTTP_MAX_PENDING];
  unsigned head, n;       /* pending requests (ring) */
  unsigned ntxn;
  int tunnel;
};

enum { RIFT_HTTP_MORE = 1, RIFT_HTTP_DONE = 0, RIFT_HTTP_TUNNEL = 2 };

typedef void (*rift_http_done_fn)(void *ctx, const struct rift_http_txn *t);

void rift_http_init(struct rift_http *h);
void rift_http_release(struct rift_http *h);
/* Feed direction dir (0 = client).  Returns RIFT_HTTP_MORE while the
 * direction is being parsed, RIFT_HTTP_DONE when it is not any more,
 * RIFT_HTTP_TUNNEL after a successful CONNECT. */
int rift_http_feed(struct rift_http *h, int dir, const uint8_t *p, size_t n,
                   int64_t ts, uint64_t frame, uint64_t offset,
                   rift_http_done_fn done, void *ctx);
/* Report pending requests that never got a response. */
void rift_http_flush(struct rift_http *h, rift_http_done_fn done, void *ctx);

/* The parts of a request line "METHOD target HTTP/x.y", as captures and
 * access logs both need them.  Runs of spaces separate the parts.  The
 * target runs to the last space before the version, so it may hold spaces
 * ("GET /a b HTTP/1.0", an evasion; Wireshark shows it the same way).
 * Without a version word ("HTTP/" and more), as HTTP/0.9's "GET /" or junk,
 * the target is the rest of the line and version_len is 0.  version keeps
 * its "HTTP/".  Returns 0 when no space follows the method. */
struct rift_http_reqline {
  const char *method, *target, *version;
  size_t method_len, target_len, version_len;
};
int rift_http_request_line(const char *p, size_t n, struct rift_http_reqline *r);

/* Does p start like an HTTP request (1) or response (2)? */
int rift_http_sniff(const uint8_t *p, size_t n);

#endif
