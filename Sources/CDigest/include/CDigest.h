#ifndef CRUDDUR_CDIGEST_H
#define CRUDDUR_CDIGEST_H

#include <stddef.h>

/// A SHA-256 in progress, computed by the system's libcrypto (see Digest.c).
typedef struct cruddur_sha256 cruddur_sha256;

/// A new digest, or NULL when libcrypto cannot be loaded; `message` then says why.
cruddur_sha256 *cruddur_sha256_new(char *message, int size);
void cruddur_sha256_update(cruddur_sha256 *digest, const void *bytes, size_t count);
/// Writes the 32 bytes of the digest and frees it.
void cruddur_sha256_finish(cruddur_sha256 *digest, unsigned char out[32]);
/// Frees a digest that was never finished.
void cruddur_sha256_free(cruddur_sha256 *digest);

#endif
