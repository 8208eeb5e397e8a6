#ifndef TIERGATE_CGITSUPPORT_H
#define TIERGATE_CGITSUPPORT_H

/// Initialises libgit2 once for the process and sets the options tiergate reads with.
/// Returns git_libgit2_init's result (the number of initialisations, or a negative error).
int tiergate_git_init(void);

#endif
