#ifndef TIERGATE_CNOCABUNDLE_H
#define TIERGATE_CNOCABUNDLE_H

// This target exports one symbol, mbedtls_x509_crt_parse_file, to stand in for mbedTLS's at link time;
// nothing calls it from Swift. See no_ca_bundle.c for why.

#endif
