/* Unit tests of src/detect/ network analytics: configuration, the beacon
 * score on constructed series, the model over hand-made events. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "detect/netan.h"
#include "unit.h"

void unit_netan_cfg(struct unit *t)
{
  struct rift_netcfg c;
  rift_netcfg_load(&c, NULL, NULL);
  CHECK_INT(t, rift_netcfg_internal(&c, "10.1.2.3", 8), 1);
  CHECK_INT(t, rift_netcfg_internal(&c, "172.31.255.255", 14), 1);
  CHECK_INT(t, rift_netcfg_internal(&c, "172.32.0.1", 10), 0);
  CHECK_INT(t, rift_netcfg_internal(&c, "192.168.0.1", 11), 1);
  CHECK_INT(t, rift_netcfg_internal(&c, "8.8.8.8", 7), 0);
  CHECK_INT(t, rift_netcfg_internal(&c, "224.0.0.251", 11), 1); /* multicast */
  CHECK_INT(t, rift_netcfg_internal(&c, "fe80::1", 7), 1);
  CHECK_INT(t, rift_netcfg_internal(&c, "fd00::5", 7), 1);
  CHECK_INT(t, rift_netcfg_internal(&c, "2001:db8::1", 11), 0);
  CHECK_INT(t, rift_netcfg_internal(&c, "not-an-ip", 9), -1);
  CHECK(t, rift_netcfg_browser(&c, NULL, "t13d1516h2_8daaf6152771_e5627efa2ab1"));
  CHECK(t, rift_netcfg_browser(&c, "14eff09463c9d6dc6e14e954eba239c2", NULL));
  CHECK(t, !rift_netcfg_browser(&c, "0123456789abcdef0123456789abcdef",
                                "t12i070600_c50f5591e341_c39ab67fec8e"));
  CHECK_INT(t, c.rare_max_hosts, 2);
  CHECK(t, fabs(c.beacon_min_score - 0.8) < 1e-9);
  rift_netcfg_release(&c);
}

void unit_netan_beacon(struct unit *t)
{
  struct rift_netcfg c;
  struct rift_netconn s[100];
  struct rift_beacon_score b;
  int64_t ns = 1000000000;
  unsigned i, seed = 12345;
  double sc;
  rift_netcfg_load(&c, NULL, NULL);
  /* perfectly regular: every 60 s, 200 bytes, until the end */
  for(i = 0; i < 100; i++) {
    s[i].ts = (int64_t)i * 60 * ns;
    s[i].bytes = 200;
  }
  sc = rift_beacon_score(s, 100, 99 * 60 * ns, &c, &b);
  CHECK(t, sc > 0.99);
  CHECK(t, fabs(b.interval - 60) < 1e-9);
  CHECK(t, b.ts_madm == 0 && b.ts_skew == 0);
  /* random times (exponential, mean 300 s) and sizes: no beacon */
  {
    int64_t at = 0;
    for(i = 0; i < 100; i++) {
      double u;
      seed = seed * 1103515245u + 12345u;
      u = ((seed >> 8) & 0xffff) / 65536.0 + 1e-6;
      at += (int64_t)(-log(u) * 300 * 1e9);
      s[i].ts = at;
      seed = seed * 1103515245u + 12345u;
      s[i].bytes = 1000 + (seed >> 8) % 50000;
    }
    sc = rift_beacon_score(s, 100, at, &c, &b);
    CHECK(t, sc < c.beacon_min_score);
    CHECK(t, b.ts_score < 0.5);
  }
  /* too few connections */
  CHECK(t, rift_beacon_score(s, 2, 0, &c, &b) == 0);
  rift_netcfg_release(&c);
}

static void ev_flow(struct rift_batch *b, const char *src, const char *dst,
                    int64_t ts, uint64_t bytes)
{
  struct rift_event *e = rift_batch_add(b);
  e->kind = RIFT_KIND_FLOW;
  e->ts = ts;
  rift_event_add_str(b, e, RIFT_F_SOURCE_IP, src, strlen(src));
  rift_event_add_str(b, e, RIFT_F_DESTINATION_IP, dst, strlen(dst));
  rift_event_add_uint(b, e, RIFT_F_DESTINATION_PORT, 443);
  rift_event_add_strref(b, e, RIFT_F_NETWORK_TRANSPORT, "tcp", 3);
  rift_event_add_uint(b, e, RIFT_F_SOURCE_BYTES, bytes);
  rift_event_add_uint(b, e, RIFT_F_DESTINATION_BYTES, 1000);
}

static unsigned nfind;
static char last_dst[64];

static rift_err count(void *ctx, const struct rift_finding *f)
{
  (void)ctx;
  nfind++;
  snprintf(last_dst, sizeof(last_dst), "%s",
           f->destination_ip ? f->destination_ip : "");
  return RIFT_OK;
}

void unit_netan_model(struct unit *t)
{
  struct rift_netcfg c;
  struct rift_netmodel m;
  struct rift_batch b;
  struct rift_finding_sink sink = { count, NULL };
  int64_t ns = 1000000000;
  size_t i;
  rift_netcfg_load(&c, NULL, NULL);
  rift_netmodel_init(&m, &c);
  rift_batch_init(&b);
  /* four hosts use a common site; one host alone reaches a rare one,
   * late, without a name */
  for(i = 0; i < 40; i++) { /* irregular times and sizes */
    char h[16];
    snprintf(h, sizeof(h), "10.0.0.%zu", 1 + i % 4);
    ev_flow(&b, h, "93.184.216.34", (int64_t)((i * i * 7919) % 3600) * ns,
            1000 + (i * i * 104729) % 60000);
  }
  for(i = 0; i < 20; i++)
    ev_flow(&b, "10.0.0.2", "198.51.100.9", (int64_t)(1800 + i * 90) * ns, 300);
  for(i = 0; i < b.n; i++)
    CHECK_INT(t, rift_netmodel_add(&m, &b.ev[i]), RIFT_OK);
  CHECK_INT(t, m.flows, 60);
  CHECK_INT(t, m.dests.n, 2);
  nfind = 0;
  CHECK_INT(t, rift_net_rare(&m, &sink), RIFT_OK);
  /* rare 0.3 + late 0.2 + no name 0.1 = 0.6: reported */
  CHECK_INT(t, nfind, 1);
  CHECK_STR(t, last_dst, "198.51.100.9");
  nfind = 0;
  CHECK_INT(t, rift_net_beacons(&m, &sink), RIFT_OK);
  CHECK_INT(t, nfind, 1);
  CHECK_STR(t, last_dst, "198.51.100.9");
  rift_batch_release(&b);
  rift_netmodel_release(&m);
  rift_netcfg_release(&c);
}
