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
    return count;
}
