#include "CNoCABundle.h"

// Why this file exists: tiergate reads local repositories and never opens a network connection, but a
// libgit2 built with mbedTLS (Debian's, among others) parses the whole system CA bundle inside
// git_libgit2_init — about 55 million instructions, the largest single cost of a `tiergate check`.
//
// Defining mbedtls_x509_crt_parse_file in the executable interposes the shared library's definition
// (the executable comes first in symbol lookup). libgit2's initialisation then loads no certificate and
// carries on, as it does on a machine without a CA bundle. Should TLS ever be used in this process, every
// certificate would fail verification: the stand-in fails closed. It lives only in the `tiergate`
// executable, never in the TiergateCore library, so programs that embed the library are not affected;
// with a libgit2 built against OpenSSL nothing calls it.

int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    return -0x2900;  // MBEDTLS_ERR_X509_FILE_IO_ERROR: "the file could not be read"
}
