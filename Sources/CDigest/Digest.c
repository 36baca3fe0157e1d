// SHA-256 through libcrypto's EVP interface, loaded with dlopen on first use: linking it
// costs every start of cruddur about 1.2 ms (measured with hyperfine), and `list` and the
// completions never take a digest. libpq depends on the same libcrypto, so wherever cruddur
// can connect at all this loads; where it cannot, the caller gets the loader's message.
// EVP rather than SHA256_Init: those are deprecated in OpenSSL 3. The types are declared
// here, not taken from <openssl/evp.h>, so building needs no OpenSSL headers.
#include "CDigest.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

typedef void *(*md_ctx_new_fn)(void);
typedef void (*md_ctx_free_fn)(void *);
typedef const void *(*sha256_fn)(void);
typedef int (*digest_init_fn)(void *, const void *, void *);
typedef int (*digest_update_fn)(void *, const void *, size_t);
typedef int (*digest_final_fn)(void *, unsigned char *, unsigned int *);

static struct {
  md_ctx_new_fn ctx_new;
  md_ctx_free_fn ctx_free;
  sha256_fn sha256;
  digest_init_fn init;
  digest_update_fn update;
  digest_final_fn final;
  char error[256];
} crypto;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void load_crypto(void) {
  void *handle = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *reason = dlerror();
    snprintf(crypto.error, sizeof crypto.error, "cannot load libcrypto.so.3 (OpenSSL 3): %s", reason ? reason : "not found");
    return;
  }
  crypto.ctx_new = (md_ctx_new_fn)dlsym(handle, "EVP_MD_CTX_new");
  crypto.ctx_free = (md_ctx_free_fn)dlsym(handle, "EVP_MD_CTX_free");
  crypto.sha256 = (sha256_fn)dlsym(handle, "EVP_sha256");
  crypto.init = (digest_init_fn)dlsym(handle, "EVP_DigestInit_ex");
  crypto.update = (digest_update_fn)dlsym(handle, "EVP_DigestUpdate");
  crypto.final = (digest_final_fn)dlsym(handle, "EVP_DigestFinal_ex");
  if (!crypto.ctx_new || !crypto.ctx_free || !crypto.sha256 || !crypto.init || !crypto.update || !crypto.final) {
    snprintf(crypto.error, sizeof crypto.error, "libcrypto.so.3 lacks the EVP digest functions");
    crypto.ctx_new = NULL;
  }
}

cruddur_sha256 *cruddur_sha256_new(char *message, int size) {
  pthread_once(&crypto_once, load_crypto);
  void *context = crypto.ctx_new ? crypto.ctx_new() : NULL;
  if (context && crypto.init(context, crypto.sha256(), NULL) == 1) return (cruddur_sha256 *)context;
  if (context) crypto.ctx_free(context);
  snprintf(message, (size_t)size, "%s", crypto.error[0] ? crypto.error : "libcrypto could not start a SHA-256");
  return NULL;
}

void cruddur_sha256_update(cruddur_sha256 *digest, const void *bytes, size_t count) {
  if (count > 0) crypto.update(digest, bytes, count);
}

void cruddur_sha256_finish(cruddur_sha256 *digest, unsigned char out[32]) {
  unsigned int length = 32;
  crypto.final(digest, out, &length);
  crypto.ctx_free(digest);
}

void cruddur_sha256_free(cruddur_sha256 *digest) { crypto.ctx_free(digest); }
