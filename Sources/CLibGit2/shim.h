#include <git2.h>
// git_repository_set_index: read the index a git hook is handed (GIT_INDEX_FILE).
#include <git2/sys/repository.h>
