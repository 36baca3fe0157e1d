// SHA-256 through the system's libcrypto, loaded with dlopen on first use: linking it costs
// every start of cruddur about 1.2 ms (measured with hyperfine), and `list` and the
// completions never take a digest. libpq depends on the same libcrypto, so wherever cruddur
// can connect at all this loads; where it cannot, the caller gets the loader's message as a
// value (SHA256.swift then computes the digest in Swift): nothing here ends the process.
//
// SHA256_Init/Update/Final rather than EVP: OpenSSL 3 deprecates them, but EVP's first use
// initialises the library context and fetches the algorithm from the default provider,
// which cost `cruddur plan` 1.7 ms of its 7.4 (1.23x) and 2 MB of memory, measured, even
// with the config file left unread. The digest is the same code (the CPU's SHA
// instructions). The types are declared here, not taken from <openssl/sha.h>, so building
// needs no OpenSSL headers.
#include "CDigest.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// sizeof(SHA256_CTX) is 112 bytes in OpenSSL 3; the context is given room to spare.
#define CONTEXT_SIZE 256

struct cruddur_sha256 {
  _Alignas(16) unsigned char context[CONTEXT_SIZE];
};

typedef int (*init_fn)(void *);
typedef int (*update_fn)(void *, const void *, size_t);
typedef int (*final_fn)(unsigned char *, void *);

static struct {
  init_fn init;
  update_fn update;
  final_fn final;
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
  crypto.init = (init_fn)dlsym(handle, "SHA256_Init");
  crypto.update = (update_fn)dlsym(handle, "SHA256_Update");
  crypto.final = (final_fn)dlsym(handle, "SHA256_Final");
  if (!crypto.init || !crypto.update || !crypto.final) {
    snprintf(crypto.error, sizeof crypto.error, "libcrypto.so.3 lacks SHA256_Init, SHA256_Update or SHA256_Final");
    crypto.init = NULL;
  }
}

cruddur_sha256 *cruddur_sha256_new(char *message, int size) {
  pthread_once(&crypto_once, load_crypto);
  cruddur_sha256 *digest = crypto.init ? malloc(sizeof *digest) : NULL;
  if (digest && crypto.init(digest->context) == 1) return digest;
  free(digest);
  snprintf(message, (size_t)size, "%s", crypto.error[0] ? crypto.error : "libcrypto could not start a SHA-256");
  return NULL;
}

void cruddur_sha256_update(cruddur_sha256 *digest, const void *bytes, size_t count) {
  if (count > 0) crypto.update(digest->context, bytes, count);
}

void cruddur_sha256_finish(cruddur_sha256 *digest, unsigned char out[32]) {
  crypto.final(out, digest->context);
  free(digest);
}

void cruddur_sha256_free(cruddur_sha256 *digest) { free(digest); }
