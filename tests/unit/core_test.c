/* Unit tests of src/core/: table-driven where the module is a function of
 * its input. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/cur.h"
#include "core/diag.h"
#include "core/dlib.h"
#include "core/err.h"
#include "core/event.h"
#include "core/field.h"
#include "core/hmap.h"
#include "core/libcrypto.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "core/utf16.h"
#include "unit.h"

#include <zlib.h>

void unit_core_err(struct unit *t)
{
  CHECK_STR(t, rift_errname(RIFT_TRUNCATED), "TRUNCATED");
  CHECK_STR(t, rift_strerror(RIFT_OK), "success");
  CHECK_STR(t, rift_strerror((rift_err)999), "unknown error");
  CHECK_STR(t, rift_errname((rift_err)-1), "UNKNOWN");
}

void unit_core_cur(struct unit *t)
{
  static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
  struct rift_cur c, s;
  rift_cur_init(&c, b, sizeof(b));
  CHECK_INT(t, rift_cur_u8(&c), 1);
  CHECK_INT(t, rift_cur_u16(&c), 0x0302);
  CHECK_INT(t, rift_cur_u32(&c), 0x07060504);
  CHECK_INT(t, c.err, RIFT_OK);
  CHECK(t, rift_cur_u64(&c) == 0); /* only 4 left: fails */
  CHECK_INT(t, c.err, RIFT_TRUNCATED);
  CHECK_INT(t, c.off, 7);          /* nothing consumed by the failed read */
  CHECK_INT(t, rift_cur_u8(&c), 0); /* sticky */
  rift_cur_init(&c, b, sizeof(b));
  rift_cur_seek(&c, 3);
  CHECK_INT(t, rift_cur_u16be(&c), 0x0405);
  s = rift_cur_sub(&c, 8, 3);
  CHECK_INT(t, s.err, RIFT_OK);
  CHECK_INT(t, rift_cur_u8(&s), 9);
  s = rift_cur_sub(&c, 9, 3);
  CHECK_INT(t, s.err, RIFT_TRUNCATED);
  rift_cur_seek(&c, 12);
  CHECK_INT(t, c.err, RIFT_TRUNCATED);
  rift_cur_init(&c, b, sizeof(b));
  CHECK(t, rift_cur_take(&c, (size_t)-1) == NULL); /* no overflow */
  CHECK_INT(t, c.err, RIFT_TRUNCATED);
}

static void json_random(struct unit *t);

void unit_core_buf(struct unit *t)
{
  {
    /* rift_grow: doubling from first, room for need, overflow refused */
    uint32_t *a = NULL;
    size_t cap = 0;
    CHECK_INT(t, rift_grow((void **)&a, &cap, 1, sizeof(*a), 16), RIFT_OK);
    CHECK_INT(t, cap, 16);
    a[15] = 7;
    CHECK_INT(t, rift_grow((void **)&a, &cap, 16, sizeof(*a), 16), RIFT_OK);
    CHECK_INT(t, cap, 16);
    CHECK_INT(t, rift_grow((void **)&a, &cap, 40, sizeof(*a), 16), RIFT_OK);
    CHECK_INT(t, cap, 64);
    CHECK_INT(t, a[15], 7);
    CHECK_INT(t, rift_grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a), 16),
              RIFT_NOMEM);
    CHECK_INT(t, cap, 64);
    free(a);
  }
  struct rift_buf b;
  static const struct {
    uint64_t v;
    int width;
    const char *want;
  } hex[] = {
    { 0, 0, "0x0" }, { 0x3e7, 0, "0x3e7" }, { 4, 16, "0x0000000000000004" },
    { 0xffffffffffffffffull, 0, "0xffffffffffffffff" },
  };
  size_t i;
  rift_buf_init(&b, 16);
  CHECK(t, b.buf != NULL && b.buf[0] == 0);
  CHECK_INT(t, rift_buf_adds(&b, "0123456789"), RIFT_OK);
  CHECK_INT(t, rift_buf_adds(&b, "abcdef"), RIFT_OK);
  CHECK_INT(t, b.len, 16);
  CHECK_INT(t, rift_buf_addch(&b, 'x'), RIFT_LIMIT); /* ceiling */
  CHECK_INT(t, b.len, 16);
  CHECK_STR(t, b.buf, "0123456789abcdef");
  rift_buf_release(&b);

  rift_buf_init(&b, RIFT_BUF_MAX_LINE);
  rift_buf_add_i64(&b, INT64_MIN);
  CHECK_STR(t, b.buf, "-9223372036854775808");
  rift_buf_reset(&b);
  rift_buf_add_u64(&b, UINT64_MAX);
  CHECK_STR(t, b.buf, "18446744073709551615");
  for(i = 0; i < sizeof(hex) / sizeof(hex[0]); i++) {
    rift_buf_reset(&b);
    rift_buf_add_hex(&b, hex[i].v, hex[i].width, 0);
    CHECK_STR(t, b.buf, hex[i].want);
  }
  rift_buf_reset(&b);
  rift_buf_add_json(&b, "a\"b\\c\n\x01", 7);
  CHECK_STR(t, b.buf, "a\\\"b\\\\c\\n\\u0001");
  rift_buf_reset(&b);
  rift_buf_add_xml(&b, "<a & 'b'>", 9);
  CHECK_STR(t, b.buf, "&lt;a &amp; &apos;b&apos;&gt;");
  rift_buf_reset(&b);
  rift_buf_addf(&b, "%d-%s", 42, "x");
  CHECK_STR(t, b.buf, "42-x");
  {
    size_t n;
    char *p = rift_buf_detach(&b, &n);
    CHECK_INT(t, n, 4);
    CHECK_STR(t, p, "42-x");
    free(p);
    CHECK(t, b.buf == rift_buf_slop && b.len == 0);
  }
  rift_buf_release(&b);
  json_random(t);
}

/* rift_buf_add_json (SSE2 scan) against a byte-at-a-time reference. */
static void json_random(struct unit *t)
{
  static const char pool[] = "ab\"\\\n\x01\x1f \x7f\x80\xc3\xa9z";
  uint32_t seed = 777;
  int iter, bad = 0;
  struct rift_buf got, want;
  rift_buf_init(&got, 1 << 16);
  rift_buf_init(&want, 1 << 16);
  for(iter = 0; iter < 3000 && !bad; iter++) {
    char in[100];
    size_t n, i;
    seed = seed * 1103515245 + 12345;
    n = (seed >> 16) % 100;
    for(i = 0; i < n; i++) {
      seed = seed * 1103515245 + 12345;
      in[i] = (seed >> 16) % 3 ? (char)('a' + (seed >> 20) % 26)
                               : pool[(seed >> 20) % (sizeof(pool) - 1)];
    }
    rift_buf_reset(&got);
    rift_buf_reset(&want);
    rift_buf_add_json(&got, in, n);
    for(i = 0; i < n; i++) {
      unsigned char c = (unsigned char)in[i];
      if(c == '"') rift_buf_adds(&want, "\\\"");
      else if(c == '\\') rift_buf_adds(&want, "\\\\");
      else if(c == '\n') rift_buf_adds(&want, "\\n");
      else if(c == '\r') rift_buf_adds(&want, "\\r");
      else if(c == '\t') rift_buf_adds(&want, "\\t");
      else if(c < 0x20) rift_buf_addf(&want, "\\u%04x", c);
      else rift_buf_addch(&want, (char)c);
    }
    bad = got.len != want.len || memcmp(got.buf, want.buf, got.len);
  }
  CHECK_INT(t, bad, 0);
  rift_buf_release(&got);
  rift_buf_release(&want);
}

void unit_core_arena(struct unit *t)
{
  struct rift_arena a;
  int i, ok = 1;
  char *p, *big;
  rift_arena_init(&a, 1u << 20);
  for(i = 0; i < 10000; i++) {
    p = rift_arena_alloc(&a, 24);
    if(!p || ((uintptr_t)p & 15)) {
      ok = 0;
      break;
    }
    memset(p, 0xab, 24);
  }
  CHECK(t, ok);
  big = rift_arena_alloc(&a, 100000); /* one-off block */
  CHECK(t, big != NULL);
  CHECK_STR(t, rift_arena_strdup(&a, "hello"), "hello");
  CHECK(t, rift_arena_alloc(&a, 2u << 20) == NULL); /* past the ceiling */
  CHECK_INT(t, a.err, RIFT_LIMIT);
  rift_arena_clear(&a);
  CHECK_INT(t, a.err, RIFT_OK);
  CHECK(t, a.total <= RIFT_ARENA_BLOCK);
  CHECK_STR(t, rift_arena_printf(&a, "%s-%d", "a", 7), "a-7");
  rift_arena_release(&a);
  CHECK(t, a.head == NULL);
}

void unit_core_hmap(struct unit *t)
{
  struct rift_hmap m;
  union rift_hval *v;
  int isnew, i, ok = 1;
  char k[32];
  rift_hmap_init(&m, 5000);
  for(i = 0; i < 5000; i++) {
    int n = snprintf(k, sizeof(k), "key%d", i);
    if(rift_hmap_put(&m, k, (size_t)n, &v, &isnew) || !isnew) {
      ok = 0;
      break;
    }
    v->u = (uint64_t)i;
  }
  CHECK(t, ok);
  CHECK_INT(t, m.n, 5000);
  CHECK_INT(t, rift_hmap_put(&m, "new", 3, &v, &isnew), RIFT_LIMIT);
  for(i = 0; i < 5000 && ok; i++) {
    int n = snprintf(k, sizeof(k), "key%d", i);
    v = rift_hmap_get(&m, k, (size_t)n);
    ok = v && v->u == (uint64_t)i;
  }
  CHECK(t, ok);
  CHECK(t, rift_hmap_get(&m, "key5000", 7) == NULL);
  CHECK_INT(t, rift_hmap_put(&m, "key7", 4, &v, &isnew), RIFT_OK);
  CHECK_INT(t, isnew, 0);
  CHECK_INT(t, v->u, 7);
  CHECK(t, rift_hash("abc", 3) != rift_hash("abd", 3));
  rift_hmap_release(&m);
}

void unit_core_field(struct unit *t)
{
  size_t len;
  uint32_t id;
  CHECK_STR(t, rift_field_name(RIFT_F_PROCESS_COMMAND_LINE, &len),
            "process.command_line");
  CHECK_INT(t, len, strlen("process.command_line"));
  CHECK_INT(t, rift_field_id("process.command_line", 20),
            RIFT_F_PROCESS_COMMAND_LINE);
  id = rift_field_id("winlog.event_data.UnitTestOnly", 30);
  CHECK(t, id >= RIFT_F__STATIC);
  CHECK_INT(t, rift_field_id("winlog.event_data.UnitTestOnly", 30), id);
  CHECK_INT(t, rift_field_find("winlog.event_data.UnitTestOnly", 30), id);
  CHECK_INT(t, rift_field_find("no.such.field.ever", 18), 0);
  CHECK_STR(t, rift_field_name(id, NULL), "winlog.event_data.UnitTestOnly");
  CHECK_STR(t, rift_field_name(0, NULL), "");
  CHECK_STR(t, rift_field_name(RIFT_FIELDS_MAX + 5, NULL), "");
}

/* Reference conversion, one code point at a time, for the property test. */
static void ref_utf16(struct rift_buf *b, const uint16_t *u, size_t n, int mode)
{
  size_t i;
  for(i = 0; i < n; i++) {
    uint32_t cp = u[i];
    char tmp[8];
    if(cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && u[i + 1] >= 0xdc00 &&
       u[i + 1] <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (u[i + 1] - 0xdc00);
      i++;
    }
    else if(cp >= 0xd800 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    if(mode == 1 && (cp < 0x20 || cp == '"' || cp == '\\')) {
      if(cp == '"') rift_buf_adds(b, "\\\"");
      else if(cp == '\\') rift_buf_adds(b, "\\\\");
      else if(cp == '\n') rift_buf_adds(b, "\\n");
      else if(cp == '\r') rift_buf_adds(b, "\\r");
      else if(cp == '\t') rift_buf_adds(b, "\\t");
      else rift_buf_addf(b, "\\u%04x", cp);
      continue;
    }
    if(mode == 2) {
      const char *e = cp == '&' ? "&amp;" : cp == '<' ? "&lt;" : cp == '>' ? "&gt;"
                      : cp == '"' ? "&quot;" : cp == '\'' ? "&apos;" : NULL;
      if(e) {
        rift_buf_adds(b, e);
        continue;
      }
      if(cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
        cp = 0xfffd;
    }
    rift_buf_add(b, tmp, rift_utf8_put(tmp, cp));
  }
}

/* Fast paths (SSE2, SWAR, scalar) against the reference on random text
 * biased towards the boundaries: ASCII runs, escapes, controls, non-ASCII
 * and broken surrogates at every alignment. */
static void utf16_random(struct unit *t)
{
  static const uint16_t pool[] = { 'a', 'Z', ' ', '0', '"', '\\', '<', '&', '\'',
                                   '>', 0x1f, 0x20, 0x7f, 0x80, 0xe9, 0x20ac,
                                   0xd83d, 0xde00, 0xdc00, 0xd800, 0, '\n', 0xfffd };
  uint32_t seed = 12345;
  int iter, bad = 0;
  struct rift_buf got, want;
  rift_buf_init(&got, 1 << 20);
  rift_buf_init(&want, 1 << 20);
  for(iter = 0; iter < 3000 && !bad; iter++) {
    uint16_t u[80];
    uint8_t raw[160];
    size_t n, i;
    int mode;
    seed = seed * 1103515245 + 12345;
    n = (seed >> 16) % 80;
    for(i = 0; i < n; i++) {
      seed = seed * 1103515245 + 12345;
      u[i] = (seed >> 16) % 4 ? (uint16_t)('a' + (seed >> 20) % 26)
                              : pool[(seed >> 20) % (sizeof(pool) / sizeof(pool[0]))];
      raw[2 * i] = (uint8_t)u[i];
      raw[2 * i + 1] = (uint8_t)(u[i] >> 8);
    }
    for(mode = 0; mode < 3; mode++) {
      rift_buf_reset(&got);
      rift_buf_reset(&want);
      if(mode == 0)
        rift_utf16le_add(&got, raw, n);
      else if(mode == 1)
        rift_utf16le_add_json(&got, raw, n);
      else
        rift_utf16le_add_xml(&got, raw, n);
      ref_utf16(&want, u, n, mode);
      if(got.len != want.len || memcmp(got.buf, want.buf, got.len))
        bad = 1;
    }
  }
  CHECK_INT(t, bad, 0);
  rift_buf_release(&got);
  rift_buf_release(&want);
}

void unit_core_utf16(struct unit *t)
{
  static const struct {
    const char *in; /* UTF-16LE bytes */
    size_t units;
    const char *utf8, *json, *xml;
  } cases[] = {
    { "A\0B\0C\0D\0E\0", 5, "ABCDE", "ABCDE", "ABCDE" },
    { "\xe9\0t\0\xe9\0", 3, "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9",
      "\xc3\xa9t\xc3\xa9" },
    { "=\xd8\0\xde", 2, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80",
      "\xf0\x9f\x98\x80" },                                /* U+1F600 */
    { "\0\xd8x\0", 2, "\xef\xbf\xbdx", "\xef\xbf\xbdx", "\xef\xbf\xbdx" },
    { "\0\xdc", 1, "\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbd" },
    { "a\0\"\0\\\0\n\0<\0&\0", 6, "a\"\\\n<&", "a\\\"\\\\\\n<&",
      "a&quot;\\\n&lt;&amp;" },
    { "\x01\0a\0b\0c\0", 4, "\x01" "abc", "\\u0001abc", "\xef\xbf\xbd" "abc" },
  };
  size_t i;
  struct rift_buf b;
  char out[64];
  rift_buf_init(&b, 1024);
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t n = rift_utf16le_to_utf8(out, (const uint8_t *)cases[i].in,
                                    cases[i].units);
    CHECK_MEM(t, out, n, cases[i].utf8);
    rift_buf_reset(&b);
    rift_utf16le_add_json(&b, (const uint8_t *)cases[i].in, cases[i].units);
    CHECK_STR(t, b.buf, cases[i].json);
    rift_buf_reset(&b);
    rift_utf16le_add_xml(&b, (const uint8_t *)cases[i].in, cases[i].units);
    CHECK_STR(t, b.buf, cases[i].xml);
  }
  CHECK_INT(t, rift_utf16le_strnlen((const uint8_t *)"a\0b\0\0\0c\0", 4), 2);
  rift_buf_release(&b);
  utf16_random(t);
}

void unit_core_time(struct unit *t)
{
  char s[RIFT_TIME_FMT_MAX];
  int64_t ns;
  size_t n;
  static const struct {
    const char *in;
    int64_t ns;
  } parse[] = {
    { "1970-01-01T00:00:00Z", 0 },
    { "2016-07-08T18:12:51.681640Z", 1468001571681640000LL },
    { "2016-07-08 20:12:51.681640+02:00", 1468001571681640000LL },
    { "2024-02-29", 1709164800000000000LL },
    { "1969-12-31T23:59:59.5Z", -500000000LL },
  };
  static const char *bad[] = { "2024-13-01", "20240101", "2024-01-01T25:00",
                               "2024-01-01Tx", "" };
  size_t i;
  /* FILETIME of 2016-07-08T18:12:51.6816408Z, from the evtx-rs snapshot */
  uint64_t ft = 131124751716816408ull;
  CHECK_INT(t, rift_filetime_to_ns(ft), 1468001571681640800LL);
  n = rift_time_fmt_filetime(s, ft, 7);
  CHECK_MEM(t, s, n, "2016-07-08T18:12:51.6816408Z");
  n = rift_time_fmt_filetime(s, ft, 9);
  CHECK_MEM(t, s, n, "2016-07-08T18:12:51.681640800Z");
  n = rift_time_fmt_filetime(s, 0, 6);
  CHECK_MEM(t, s, n, "1601-01-01T00:00:00.000000Z");
  CHECK(t, rift_filetime_to_ns(0) == RIFT_TIME_NONE);
  CHECK(t, rift_filetime_to_ns(UINT64_MAX) == RIFT_TIME_NONE);
  n = rift_time_fmt(s, 1468001571681640800LL, 6);
  CHECK_MEM(t, s, n, "2016-07-08T18:12:51.681640Z");
  n = rift_time_fmt(s, -1, 9);
  CHECK_MEM(t, s, n, "1969-12-31T23:59:59.999999999Z");
  n = rift_time_fmt(s, 0, 0);
  CHECK_MEM(t, s, n, "1970-01-01T00:00:00Z");
  CHECK_INT(t, rift_systemtime_to_ns(2017, 5, 19, 2, 2, 36, 203),
            1495159356203000000LL);
  CHECK(t, rift_systemtime_to_ns(2017, 13, 1, 0, 0, 0, 0) == RIFT_TIME_NONE);
  for(i = 0; i < sizeof(parse) / sizeof(parse[0]); i++) {
    ns = 0;
    CHECK_INT(t, rift_time_parse(parse[i].in, strlen(parse[i].in), &ns), RIFT_OK);
    CHECK_INT(t, ns, parse[i].ns);
  }
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK_INT(t, rift_time_parse(bad[i], strlen(bad[i]), &ns), RIFT_SYNTAX);
  /* round trip over a range of days */
  {
    int64_t d;
    int ok = 1;
    for(d = -800000; d < 800000 && ok; d += 997) {
      int64_t y;
      unsigned m, dd;
      rift_civil_from_days(d, &y, &m, &dd);
      ok = rift_days_from_civil(y, m, dd) == d;
    }
    CHECK(t, ok);
  }
}

/* An ordered map checks itself: items emitted in order, one emit at a
 * time, each slot worked by only one thread and never holding two items. */
struct sq_slot {
  uint64_t v;
  pthread_t owner;
  int owned, in_use;
};

struct sq {
  uint64_t emitted;
  int in_order, one_owner, no_overlap, one_emitter;
  int emitting; /* guarded by the map: only touched inside emit */
  pthread_mutex_t mu;
};

static void sq_work(void *ctx, size_t i, void *slotp)
{
  struct sq *s = ctx;
  struct sq_slot *sl = slotp;
  volatile unsigned spin;
  pthread_mutex_lock(&s->mu);
  if(!sl->owned) {
    sl->owner = pthread_self();
    sl->owned = 1;
  }
  else if(!pthread_equal(sl->owner, pthread_self()))
    s->one_owner = 0;
  if(sl->in_use)
    s->no_overlap = 0;
  sl->in_use = 1;
  pthread_mutex_unlock(&s->mu);
  for(spin = 0; spin < (i % 7) * 500; spin++) /* uneven item times */
    ;
  sl->v = (uint64_t)i * i;
}

static void sq_emit(void *ctx, size_t i, void *slotp)
{
  struct sq *s = ctx;
  struct sq_slot *sl = slotp;
  if(s->emitting++)
    s->one_emitter = 0;
  if(s->emitted != i || sl->v != (uint64_t)i * i)
    s->in_order = 0;
  s->emitted++;
  pthread_mutex_lock(&s->mu);
  sl->in_use = 0;
  pthread_mutex_unlock(&s->mu);
  s->emitting--;
}

static void *producer(void *arg)
{
  struct rift_queue *q = arg;
  uintptr_t i;
  for(i = 1; i <= 1000; i++)
    rift_queue_push(q, (void *)i);
  rift_queue_close(q);
  return NULL;
}

void unit_core_pool(struct unit *t)
{
  unsigned nt[] = { 1, 2, 3, 8 };
  size_t k;
  for(k = 0; k < 4; k++) {
    struct rift_pool *p;
    struct sq s = { 0, 1, 1, 1, 1, 0, PTHREAD_MUTEX_INITIALIZER };
    struct sq_slot slotv[7];
    void *slots[7];
    size_t i;
    memset(slotv, 0, sizeof(slotv));
    for(i = 0; i < 7; i++)
      slots[i] = &slotv[i];
    CHECK_INT(t, rift_pool_init(&p, nt[k]), RIFT_OK);
    CHECK_INT(t, rift_pool_map_ordered(p, 5000, 7, sq_work, sq_emit, &s, slots),
              RIFT_OK);
    CHECK(t, s.in_order);
    CHECK(t, s.one_owner);
    CHECK(t, s.no_overlap);
    CHECK(t, s.one_emitter);
    CHECK_INT(t, s.emitted, 5000);
    /* a second map on the same pool, of one item and of none */
    s.emitted = 0;
    CHECK_INT(t, rift_pool_map_ordered(p, 1, 7, sq_work, sq_emit, &s, slots),
              RIFT_OK);
    CHECK_INT(t, s.emitted, 1);
    s.emitted = 0;
    CHECK_INT(t, rift_pool_map_ordered(p, 0, 7, sq_work, sq_emit, &s, slots),
              RIFT_OK);
    CHECK_INT(t, s.emitted, 0);
    pthread_mutex_destroy(&s.mu);
    rift_pool_free(&p);
    CHECK(t, p == NULL);
  }
  {
    /* slots: on cache lines, zeroed, and the pointers to them */
    struct line_slot {
      _Alignas(64) uint64_t v[3];
    } *sl;
    void **ptrs;
    size_t i;
    int ok = 1;
    sl = rift_pool_slots(5, sizeof(*sl), &ptrs);
    CHECK(t, sl != NULL);
    for(i = 0; sl && i < 5; i++)
      ok &= ptrs[i] == &sl[i] && (uintptr_t)ptrs[i] % 64 == 0 && !sl[i].v[0] &&
            !sl[i].v[2];
    CHECK(t, ok);
    rift_pool_slots_free(sl, ptrs);
    CHECK(t, rift_pool_slots(2, 40, &ptrs) == NULL && ptrs == NULL);
  }
  {
    struct rift_queue q;
    pthread_t th;
    uintptr_t sum = 0;
    void *it;
    CHECK_INT(t, rift_queue_init(&q, 4), RIFT_OK);
    pthread_create(&th, NULL, producer, &q);
    while((it = rift_queue_pop(&q)) != NULL)
      sum += (uintptr_t)it;
    pthread_join(th, NULL);
    CHECK_INT(t, sum, 500500);
    CHECK_INT(t, rift_queue_push(&q, (void *)1), RIFT_INVALID);
    rift_queue_release(&q);
  }
}

void unit_core_event(struct unit *t)
{
  struct rift_batch b;
  struct rift_event *e;
  const struct rift_value *v;
  char tmp[32];
  size_t len;
  int i, ok = 1;
  rift_batch_init(&b);
  for(i = 0; i < 1000 && ok; i++) {
    e = rift_batch_add(&b);
    ok = e && e->ts == RIFT_TIME_NONE;
    if(ok)
      ok = !rift_event_add_int(&b, e, RIFT_F_PROCESS_PID, i);
  }
  CHECK(t, ok);
  CHECK_INT(t, b.n, 1000);
  e = &b.ev[999];
  CHECK_INT(t, rift_event_get(e, RIFT_F_PROCESS_PID)->i, 999);
  for(i = 0; i < 100; i++)
    rift_event_add_str(&b, e, RIFT_F_MESSAGE, "m", 1);
  CHECK_INT(t, e->nf, 101);
  CHECK_INT(t, rift_event_get(e, RIFT_F_PROCESS_PID)->i, 999);
  v = rift_event_get(e, RIFT_F_MESSAGE);
  CHECK_STR(t, v->s, "m");
  CHECK(t, rift_event_get(e, RIFT_F_USER_NAME) == NULL);
  rift_event_add_uint(&b, e, RIFT_F_SOURCE_PORT, 443);
  CHECK_STR(t, rift_value_str(rift_event_get(e, RIFT_F_SOURCE_PORT), tmp, &len),
            "443");
  rift_event_add_bool(&b, e, RIFT_F_EVENT_OUTCOME, 1);
  CHECK_STR(t, rift_value_str(rift_event_get(e, RIFT_F_EVENT_OUTCOME), tmp, &len),
            "true");
  CHECK_STR(t, rift_kind_name(RIFT_KIND_EVTX), "evtx");
  CHECK_STR(t, rift_kind_name(9999), "unknown");
  rift_batch_clear(&b);
  CHECK_INT(t, b.n, 0);
  rift_batch_release(&b);
}

struct seen_msg {
  int n;
  char text[128], path[64];
  uint64_t off;
  rift_err code;
};

static void seen_report(void *ctx, const struct rift_diag_msg *m)
{
  struct seen_msg *s = ctx;
  s->n++;
  snprintf(s->text, sizeof(s->text), "%s", m->text);
  snprintf(s->path, sizeof(s->path), "%s", m->path ? m->path : "");
  s->off = m->offset;
  s->code = m->code;
}

void unit_core_diag(struct unit *t)
{
  struct rift_diag d;
  struct seen_msg s;
  struct rift_progress p;
  memset(&s, 0, sizeof(s));
  rift_diag_init(&d, "a.evtx", seen_report, &s);
  rift_diag_report(&d, RIFT_DIAG_ERROR, RIFT_CORRUPT, 0x1200,
                   "chunk %d: %s", 3, "bad chunk magic");
  rift_diag_report(&d, RIFT_DIAG_WARN, RIFT_LIMIT, UINT64_MAX, "w");
  CHECK_INT(t, s.n, 2);
  CHECK_INT(t, d.errors, 1);
  CHECK_INT(t, d.warnings, 1);
  CHECK_STR(t, s.text, "w");
  CHECK_STR(t, s.path, "a.evtx");
  CHECK(t, s.off == UINT64_MAX);
  CHECK_INT(t, s.code, RIFT_LIMIT);
  rift_diag_report(NULL, RIFT_DIAG_ERROR, RIFT_IO, 0, "ignored"); /* no sink */
  rift_diag_init(&d, NULL, NULL, NULL);
  rift_diag_report(&d, RIFT_DIAG_ERROR, RIFT_IO, 0, "counted only");
  CHECK_INT(t, d.errors, 1);
  /* the progress bar stays silent when stderr is not a terminal or when
   * RIFT_NO_PROGRESS is set (make check sets it) */
  rift_progress_init(&p, "test", 10);
  rift_progress_update(&p, 5);
  CHECK_INT(t, p.done, 5);
  CHECK_INT(t, p.drawn, 0);
  rift_progress_done(&p);
  CHECK_INT(t, p.drawn, 0);
}

/* Libraries opened on first use: a missing library or symbol is refused
 * with the package to install (and stays refused), a present one resolves
 * to the same function the linker would give; the libcrypto table fills on
 * its first call. */
static const char *(*sym_zlibVersion)(void);
static void *sym_missing;

void unit_core_dlib(struct unit *t)
{
  static const struct rift_dlsym ok_syms[] = {
    { "zlibVersion", (void **)&sym_zlibVersion },
  };
  static const struct rift_dlsym bad_syms[] = {
    { "rift_no_such_function", &sym_missing },
  };
  static struct rift_dlib none = RIFT_DLIB("libnothere9", ok_syms,
                                           "libnothere.so.9");
  static struct rift_dlib bad = RIFT_DLIB("zlib1g", bad_syms, "libz.so.1");
  static struct rift_dlib ok = RIFT_DLIB("zlib1g", ok_syms, "libnothere.so.9",
                                         "libz.so.1");
  unsigned char md[16];
  unsigned int mdlen = 0;
  CHECK_INT(t, rift_dlib_load(&none), RIFT_UNSUPPORTED);
  CHECK(t, strstr(none.why, "libnothere.so.9") && strstr(none.why, "libnothere9"));
  CHECK_INT(t, rift_dlib_load(&none), RIFT_UNSUPPORTED);
  CHECK_INT(t, rift_dlib_load(&bad), RIFT_UNSUPPORTED);
  CHECK(t, strstr(bad.why, "rift_no_such_function") && strstr(bad.why, "zlib1g"));
  CHECK_INT(t, rift_dlib_load(&ok), RIFT_OK);
  CHECK(t, sym_zlibVersion && !strcmp(sym_zlibVersion(), zlibVersion()));
  /* MD5("abc") through the libcrypto table */
  CHECK_INT(t, EVP_Digest("abc", 3, md, &mdlen, EVP_md5(), NULL), 1);
  CHECK_INT(t, mdlen, 16);
  CHECK(t, md[0] == 0x90 && md[1] == 0x01 && md[15] == 0x72);
  CHECK(t, rift_libcrypto_ready);
}
