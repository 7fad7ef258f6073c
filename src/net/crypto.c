/*
 * crypto.c - OpenSSL algorithm objects fetched once (crypto.h).
 */
#include <pthread.h>

#include "net/crypto.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static EVP_MD *md5, *sha1, *sha256;
static EVP_CIPHER *ecb, *gcm;

static void fetch(void)
{
  md5 = EVP_MD_fetch(NULL, "MD5", NULL);
  sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
  sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
  ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
  gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
}

const EVP_MD *rift_md5(void)
{
  pthread_once(&once, fetch);
  return md5 ? md5 : EVP_md5();
}

const EVP_MD *rift_sha1(void)
{
  pthread_once(&once, fetch);
  return sha1 ? sha1 : EVP_sha1();
}

const EVP_MD *net_sha256_md(void)
{
  pthread_once(&once, fetch);
  return sha256 ? sha256 : EVP_sha256();
}

const EVP_CIPHER *rift_aes128_ecb(void)
{
  pthread_once(&once, fetch);
  return ecb ? ecb : EVP_aes_128_ecb();
}

const EVP_CIPHER *rift_aes128_gcm(void)
{
  pthread_once(&once, fetch);
  return gcm ? gcm : EVP_aes_128_gcm();
}
