/*
 * crypto.h - OpenSSL algorithm objects fetched once.
 *
 * OpenSSL 3 looks an algorithm up in its provider store (behind a global
 * read-write lock) every time EVP_md5()/EVP_sha256()... is passed to a
 * one-shot call; on a capture with thousands of handshakes that lookup
 * costs more than the hashing.  These return the same object fetched once
 * per process (thread-safe, never freed; NULL only if OpenSSL lacks it).
 */
#ifndef RIFT_NET_CRYPTO_H
#define RIFT_NET_CRYPTO_H

#include "core/libcrypto.h"

const EVP_MD *rift_md5(void);
const EVP_MD *rift_sha1(void);
const EVP_MD *net_sha256_md(void);
const EVP_CIPHER *rift_aes128_ecb(void);
const EVP_CIPHER *rift_aes128_gcm(void);

#endif
