#ifndef GONOGO_COPENSSL_SHIM_H
#define GONOGO_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>

/* Macros over SSL_ctrl / SSL_CTX_ctrl that Swift cannot import. */
static inline long gonogo_ssl_set_tlsext_host_name(SSL *s, const char *name) { return SSL_set_tlsext_host_name(s, name); }
static inline int gonogo_ssl_ctx_set_min_proto_version(SSL_CTX *c, int v) { return (int)SSL_CTX_set_min_proto_version(c, v); }
static inline int gonogo_ssl_ctx_set_max_proto_version(SSL_CTX *c, int v) { return (int)SSL_CTX_set_max_proto_version(c, v); }
static inline long gonogo_ssl_set_tlsext_status_type(SSL *s, int t) { return SSL_set_tlsext_status_type(s, t); }
static inline long gonogo_ssl_get_tlsext_status_ocsp_resp(SSL *s, const unsigned char **resp) {
    return SSL_get_tlsext_status_ocsp_resp(s, resp);
}
/* The client's cipher list (a STACK_OF macro), secure renegotiation and the fallback signal (SSL_ctrl macros). */
static inline int gonogo_ssl_cipher_count(const SSL *s) {
    STACK_OF(SSL_CIPHER) *sk = SSL_get_ciphers(s);
    return sk ? sk_SSL_CIPHER_num(sk) : 0;
}
static inline const SSL_CIPHER *gonogo_ssl_cipher_at(const SSL *s, int i) { return sk_SSL_CIPHER_value(SSL_get_ciphers(s), i); }
static inline long gonogo_ssl_secure_renegotiation(SSL *s) { return SSL_get_secure_renegotiation_support(s); }
static inline long gonogo_ssl_ctx_send_fallback_scsv(SSL_CTX *c) { return SSL_CTX_set_mode(c, SSL_MODE_SEND_FALLBACK_SCSV); }
/* OpenSSL 3 refuses, on the client side, a server without RFC 5746: a probe must see such a server to judge it. */
static inline void gonogo_ssl_ctx_allow_legacy_server(SSL_CTX *c) { SSL_CTX_set_options(c, SSL_OP_LEGACY_SERVER_CONNECT); }
/* The certificates the server sent, leaf first (a STACK_OF macro). */
static inline int gonogo_ssl_peer_chain_count(const SSL *s) {
    STACK_OF(X509) *sk = SSL_get_peer_cert_chain(s);
    return sk ? sk_X509_num(sk) : 0;
}
static inline X509 *gonogo_ssl_peer_chain_at(const SSL *s, int i) { return sk_X509_value(SSL_get_peer_cert_chain(s), i); }
static inline int gonogo_tls1_version(void) { return TLS1_VERSION; }
static inline int gonogo_tls1_1_version(void) { return TLS1_1_VERSION; }
static inline int gonogo_tls1_2_version(void) { return TLS1_2_VERSION; }
static inline int gonogo_tls1_3_version(void) { return TLS1_3_VERSION; }

#endif
