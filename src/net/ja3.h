/*
 * ja3.h - JA3 and JA3S TLS fingerprints (salesforce/ja3 definitions).
 *
 *   JA3  = MD5("SSLVersion,Ciphers,Extensions,EllipticCurves,
 *               EllipticCurvePointFormats")  of a ClientHello
 *   JA3S = MD5("SSLVersion,Cipher,Extensions")  of a ServerHello
 *
 * Values are decimal, lists joined with '-', in wire order; GREASE values
 * (RFC 8701) are left out of every list.  The version is the hello's
 * legacy version field.  An absent list is an empty field.
 */
#ifndef RIFT_NET_JA3_H
#define RIFT_NET_JA3_H

#include "core/buf.h"
#include "net/tls.h"

#define RIFT_MD5_HEX 33

/* Append the JA3 (ClientHello) or JA3S (ServerHello) string of h to b. */
rift_err rift_ja3_string(struct rift_buf *b, const struct rift_tls_hello *h);
/* Lowercase hex MD5 of n bytes into out (33 bytes with the NUL). */
void rift_md5_hex(char out[RIFT_MD5_HEX], const void *p, size_t n);

#endif
