/*
 * ja4.h - FoxIO JA4 TLS client fingerprint (BSD 3-Clause definition).
 *
 *   JA4 = a_b_c
 *   a  = transport ('t' TCP, 'q' QUIC, 'd' DTLS) + version (highest
 *        non-GREASE supported_versions entry, else the legacy version:
 *        "13" "12" "11" "10" "s3" "s2" "d1" "d2" "d3", unknown "00") +
 *        'd' if SNI present else 'i' + cipher count (2 digits, max 99) +
 *        extension count (2 digits, max 99) + first and last character of
 *        the first ALPN value ("00" if none; hex digits if not alphanumeric)
 *   b  = first 12 hex of SHA-256 of the sorted cipher list ("002f,0035...")
 *        or "000000000000" when empty
 *   c  = first 12 hex of SHA-256 of the sorted extension list without SNI
 *        (0000) and ALPN (0010), then '_' and the signature algorithms in
 *        wire order (no '_' if none); "000000000000" when no extensions
 * GREASE values are ignored everywhere.  Only JA4 (the client TLS
 * fingerprint) is implemented: the other JA4+ methods are under a
 * licence that forbids commercial use.
 */
#ifndef RIFT_NET_JA4_H
#define RIFT_NET_JA4_H

#include "core/buf.h"
#include "net/tls.h"

#define RIFT_JA4_LEN 36

/* JA4 of a ClientHello into out (RIFT_JA4_LEN + 1 bytes). proto: 't' 'q'
 * or 'd'. */
void rift_ja4(char out[RIFT_JA4_LEN + 1], const struct rift_tls_hello *h,
              char proto);
/* The raw form JA4_r (sorted lists in place of the hashes), appended to b;
 * original=1 gives JA4_ro (wire order, SNI and ALPN kept). */
rift_err rift_ja4_raw(struct rift_buf *b, const struct rift_tls_hello *h,
                      char proto, int original);

#endif
