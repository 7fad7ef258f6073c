/*
 * libcrypto.h - OpenSSL's libcrypto, opened when first needed.
 *
 * libcrypto is the heaviest library rift links (17,000 relocations to
 * apply at every start: 0.35-0.4 of the ~1 ms a rift process takes to
 * start and exit), yet only hashing and the network decoders (JA3/JA4,
 * QUIC, certificates) use it.  So it is not linked: code that calls it
 * includes this header instead of <openssl/...>, and each call goes through
 * a table filled with dlopen/dlsym on the first call from any thread
 * (RIFT_DLIB_TABLE, core/dlib.h).  Prototypes come from OpenSSL's own
 * headers (__typeof__), so every call is type-checked as a direct one.  A
 * libcrypto that cannot be loaded is fatal, with the Debian package to
 * install.
 *
 * A function not yet in RIFT_CRYPTO_SYMS fails to link (undefined
 * reference): add it to the list and to the #defines below.
 */
#ifndef RIFT_LIBCRYPTO_H
#define RIFT_LIBCRYPTO_H

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/dlib.h"

#define RIFT_CRYPTO_SYMS(X) \
  X(ASN1_STRING_get0_data) X(ASN1_STRING_length) X(ASN1_STRING_to_UTF8) \
  X(ASN1_STRING_type) X(ASN1_TIME_to_tm) X(BIO_ctrl) X(BIO_free) X(BIO_new) \
  X(BIO_s_mem) X(CRYPTO_free) X(ERR_clear_error) X(EVP_CIPHER_CTX_ctrl) \
  X(EVP_CIPHER_CTX_free) X(EVP_CIPHER_CTX_new) \
  X(EVP_CIPHER_CTX_set_padding) X(EVP_CIPHER_fetch) X(EVP_DecryptFinal_ex) \
  X(EVP_DecryptInit_ex) X(EVP_DecryptUpdate) X(EVP_Digest) \
  X(EVP_DigestFinal_ex) X(EVP_DigestInit_ex) X(EVP_DigestUpdate) \
  X(EVP_EncodeBlock) X(EVP_EncryptInit_ex) X(EVP_EncryptUpdate) \
  X(EVP_MD_CTX_free) X(EVP_MD_CTX_new) X(EVP_MD_fetch) \
  X(EVP_PKEY_get_base_id) X(EVP_PKEY_get_bits) X(EVP_PKEY_get_group_name) \
  X(EVP_aes_128_ecb) X(EVP_aes_128_gcm) X(EVP_md5) X(EVP_sha1) \
  X(EVP_sha256) X(GENERAL_NAMES_free) X(OBJ_nid2ln) X(OBJ_nid2sn) \
  X(OBJ_obj2nid) X(OBJ_obj2txt) X(OPENSSL_sk_num) X(OPENSSL_sk_value) \
  X(X509_ALGOR_get0) X(X509_NAME_ENTRY_get_data) X(X509_NAME_cmp) \
  X(X509_NAME_get_entry) X(X509_NAME_get_index_by_NID) \
  X(X509_NAME_print_ex) X(X509_PUBKEY_get0_param) X(X509_free) \
  X(X509_get0_notAfter) X(X509_get0_notBefore) X(X509_get0_pubkey) \
  X(X509_get0_serialNumber) X(X509_get0_signature) X(X509_get_X509_PUBKEY) \
  X(X509_get_ext_by_NID) X(X509_get_ext_d2i) X(X509_get_extension_flags) \
  X(X509_get_issuer_name) X(X509_get_pathlen) X(X509_get_signature_nid) \
  X(X509_get_subject_name) X(X509_get_version) X(X509_verify) X(d2i_X509)

RIFT_DLIB_TABLE(libcrypto, RIFT_CRYPTO_SYMS)

#ifndef RIFT_LIBCRYPTO_TABLE
#define ASN1_STRING_get0_data (*rift_libcrypto()->ASN1_STRING_get0_data)
#define ASN1_STRING_length (*rift_libcrypto()->ASN1_STRING_length)
#define ASN1_STRING_to_UTF8 (*rift_libcrypto()->ASN1_STRING_to_UTF8)
#define ASN1_STRING_type (*rift_libcrypto()->ASN1_STRING_type)
#define ASN1_TIME_to_tm (*rift_libcrypto()->ASN1_TIME_to_tm)
#define BIO_ctrl (*rift_libcrypto()->BIO_ctrl)
#define BIO_free (*rift_libcrypto()->BIO_free)
#define BIO_new (*rift_libcrypto()->BIO_new)
#define BIO_s_mem (*rift_libcrypto()->BIO_s_mem)
#define CRYPTO_free (*rift_libcrypto()->CRYPTO_free)
#define ERR_clear_error (*rift_libcrypto()->ERR_clear_error)
#define EVP_CIPHER_CTX_ctrl (*rift_libcrypto()->EVP_CIPHER_CTX_ctrl)
#define EVP_CIPHER_CTX_free (*rift_libcrypto()->EVP_CIPHER_CTX_free)
#define EVP_CIPHER_CTX_new (*rift_libcrypto()->EVP_CIPHER_CTX_new)
#define EVP_CIPHER_CTX_set_padding (*rift_libcrypto()->EVP_CIPHER_CTX_set_padding)
#define EVP_CIPHER_fetch (*rift_libcrypto()->EVP_CIPHER_fetch)
#define EVP_DecryptFinal_ex (*rift_libcrypto()->EVP_DecryptFinal_ex)
#define EVP_DecryptInit_ex (*rift_libcrypto()->EVP_DecryptInit_ex)
#define EVP_DecryptUpdate (*rift_libcrypto()->EVP_DecryptUpdate)
#define EVP_Digest (*rift_libcrypto()->EVP_Digest)
#define EVP_DigestFinal_ex (*rift_libcrypto()->EVP_DigestFinal_ex)
#define EVP_DigestInit_ex (*rift_libcrypto()->EVP_DigestInit_ex)
#define EVP_DigestUpdate (*rift_libcrypto()->EVP_DigestUpdate)
#define EVP_EncodeBlock (*rift_libcrypto()->EVP_EncodeBlock)
#define EVP_EncryptInit_ex (*rift_libcrypto()->EVP_EncryptInit_ex)
#define EVP_EncryptUpdate (*rift_libcrypto()->EVP_EncryptUpdate)
#define EVP_MD_CTX_free (*rift_libcrypto()->EVP_MD_CTX_free)
#define EVP_MD_CTX_new (*rift_libcrypto()->EVP_MD_CTX_new)
#define EVP_MD_fetch (*rift_libcrypto()->EVP_MD_fetch)
#define EVP_PKEY_get_base_id (*rift_libcrypto()->EVP_PKEY_get_base_id)
#define EVP_PKEY_get_bits (*rift_libcrypto()->EVP_PKEY_get_bits)
#define EVP_PKEY_get_group_name (*rift_libcrypto()->EVP_PKEY_get_group_name)
#define EVP_aes_128_ecb (*rift_libcrypto()->EVP_aes_128_ecb)
#define EVP_aes_128_gcm (*rift_libcrypto()->EVP_aes_128_gcm)
#define EVP_md5 (*rift_libcrypto()->EVP_md5)
#define EVP_sha1 (*rift_libcrypto()->EVP_sha1)
#define EVP_sha256 (*rift_libcrypto()->EVP_sha256)
#define GENERAL_NAMES_free (*rift_libcrypto()->GENERAL_NAMES_free)
#define OBJ_nid2ln (*rift_libcrypto()->OBJ_nid2ln)
#define OBJ_nid2sn (*rift_libcrypto()->OBJ_nid2sn)
#define OBJ_obj2nid (*rift_libcrypto()->OBJ_obj2nid)
#define OBJ_obj2txt (*rift_libcrypto()->OBJ_obj2txt)
#define OPENSSL_sk_num (*rift_libcrypto()->OPENSSL_sk_num)
#define OPENSSL_sk_value (*rift_libcrypto()->OPENSSL_sk_value)
#define X509_ALGOR_get0 (*rift_libcrypto()->X509_ALGOR_get0)
#define X509_NAME_ENTRY_get_data (*rift_libcrypto()->X509_NAME_ENTRY_get_data)
#define X509_NAME_cmp (*rift_libcrypto()->X509_NAME_cmp)
#define X509_NAME_get_entry (*rift_libcrypto()->X509_NAME_get_entry)
#define X509_NAME_get_index_by_NID (*rift_libcrypto()->X509_NAME_get_index_by_NID)
#define X509_NAME_print_ex (*rift_libcrypto()->X509_NAME_print_ex)
#define X509_PUBKEY_get0_param (*rift_libcrypto()->X509_PUBKEY_get0_param)
#define X509_free (*rift_libcrypto()->X509_free)
#define X509_get0_notAfter (*rift_libcrypto()->X509_get0_notAfter)
#define X509_get0_notBefore (*rift_libcrypto()->X509_get0_notBefore)
#define X509_get0_pubkey (*rift_libcrypto()->X509_get0_pubkey)
#define X509_get0_serialNumber (*rift_libcrypto()->X509_get0_serialNumber)
#define X509_get0_signature (*rift_libcrypto()->X509_get0_signature)
#define X509_get_X509_PUBKEY (*rift_libcrypto()->X509_get_X509_PUBKEY)
#define X509_get_ext_by_NID (*rift_libcrypto()->X509_get_ext_by_NID)
#define X509_get_ext_d2i (*rift_libcrypto()->X509_get_ext_d2i)
#define X509_get_extension_flags (*rift_libcrypto()->X509_get_extension_flags)
#define X509_get_issuer_name (*rift_libcrypto()->X509_get_issuer_name)
#define X509_get_pathlen (*rift_libcrypto()->X509_get_pathlen)
#define X509_get_signature_nid (*rift_libcrypto()->X509_get_signature_nid)
#define X509_get_subject_name (*rift_libcrypto()->X509_get_subject_name)
#define X509_get_version (*rift_libcrypto()->X509_get_version)
#define X509_verify (*rift_libcrypto()->X509_verify)
#define d2i_X509 (*rift_libcrypto()->d2i_X509)
#endif

#endif
