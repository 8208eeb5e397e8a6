// The files that ship inside the tool (ci/embed-resources.py writes the list; `#embed` reads them at build time).
// Only Sources/TiergateCore/Resources/Resources.swift sees these declarations.
#ifndef TIERGATE_EMBEDDED_FILES_H
#define TIERGATE_EMBEDDED_FILES_H
#include <stddef.h>

typedef struct {
    /// The file's path in the source tree: "schemas/policy.schema.json".
    const char *path;
    /// Its bytes, exactly as in the file.
    const unsigned char *bytes;
    size_t count;
} tiergate_embedded_file;

size_t tiergate_embedded_file_count(void);
/// index < tiergate_embedded_file_count().
tiergate_embedded_file tiergate_embedded_file_at(size_t index);

#endif
