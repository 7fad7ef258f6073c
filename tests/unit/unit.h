/*
 * unit.h - rift's unit test harness (rift selftest).
 *
 * A test is a function void unit_NAME(struct unit *t) in tests/unit/,
 * listed once in UNIT_LIST below.  CHECK* record failures with file:line
 * and go on.  Tests that need the sample evidence call unit_data() and
 * skip when ../shared/data is absent.
 */
#ifndef RIFT_UNIT_H
#define RIFT_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit {
  const char *name;
  int checks, failed, skipped;
};

#define CHECK(t, cond)                                                   \
  do {                                                                   \
    (t)->checks++;                                                       \
    if(!(cond)) {                                                        \
      (t)->failed++;                                                     \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
              #cond);                                                    \
    }                                                                    \
  } while(0)

#define CHECK_INT(t, got, want)                                           \
  do {                                                                    \
    long long g_ = (long long)(got), w_ = (long long)(want);              \
    (t)->checks++;                                                        \
    if(g_ != w_) {                                                        \
      (t)->failed++;                                                      \
      fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__,         \
              __LINE__, #got, g_, w_);                                    \
    }                                                                     \
  } while(0)

#define CHECK_STR(t, got, want)                                           \
  do {                                                                    \
    const char *g_ = (got), *w_ = (want);                                 \
    (t)->checks++;                                                        \
    if(!g_ || strcmp(g_, w_)) {                                           \
      (t)->failed++;                                                      \
      fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__,     \
              __LINE__, #got, g_ ? g_ : "(null)", w_);                    \
    }                                                                     \
  } while(0)

#define CHECK_MEM(t, got, glen, want)                                     \
  do {                                                                    \
    const char *w_ = (want);                                              \
    size_t gl_ = (glen);                                                  \
    (t)->checks++;                                                        \
    if(gl_ != strlen(w_) || memcmp((got), w_, gl_)) {                     \
      (t)->failed++;                                                      \
      fprintf(stderr, "%s:%d: %s is \"%.*s\", want \"%s\"\n", __FILE__,   \
              __LINE__, #got, (int)gl_, (const char *)(got), w_);         \
    }                                                                     \
  } while(0)

/* Path of the sample evidence (RIFT_DATA or ../shared/data), or NULL
 * (and the test marked skipped) if it is not there. */
const char *unit_data(struct unit *t);
/* unit_data() + "/" + rel into a static buffer, or NULL. */
const char *unit_path(struct unit *t, const char *rel);

#define UNIT_LIST(U)                                                      \
  U(core_err) U(core_cur) U(core_buf) U(core_arena) U(core_hmap)          \
  U(core_field) U(core_utf16) U(core_time) U(core_pool) U(core_event)     \
  U(core_diag) U(core_dlib)                                               \
  U(evtx_values) U(evtx_samples) U(evtx_damaged) U(evtx_programs)         \
  U(evtx_jobs) U(source_forget)                                           \
  U(store_roundtrip) U(walk_paths) U(map_winlog) U(out_writers)          \
  U(sigma_values) U(sigma_modifiers) U(sigma_expand) U(sigma_conditions)  \
  U(sigma_invalid) U(sigma_correlation) U(sigma_filters) U(sigma_ac)      \
  U(net_ip) U(net_pkt) U(net_ja) U(net_tls) U(net_cid) U(net_quic)        \
  U(net_dns) U(net_http) U(netan_cfg) U(netan_beacon) U(netan_model)         \
  U(endpoint_winev) U(endpoint_powershell) U(endpoint_rules)              \
  U(endpoint_proctree) U(endpoint_behaviour) U(endpoint_logons)

#define U(n) void unit_##n(struct unit *t);
UNIT_LIST(U)
#undef U

#endif
