#include "CGitSupport.h"
#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call; this shim sets the options from C.
int tiergate_git_init(void) {
    int count = git_libgit2_init();
    if (count < 0) {
        return count;
    }
    // libgit2 re-hashes every object it inflates to compare it with its id; git itself does not on reads
    // (`git cat-file`, `git diff`), and the pack's own checksums still apply. tiergate only reads, so it
    // skips the second SHA-1 pass, which costs about a tenth of reading a manifest.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // libgit2 keeps every tree and commit it parses in a per-repository cache (up to 256 MB by default).
    // tiergate reads each tree once per walk, so the cache only grows with the repository: a lint of 50,000
    // manifests kept every one of their trees. Without it memory follows the manifests being judged.
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    return count;
}
