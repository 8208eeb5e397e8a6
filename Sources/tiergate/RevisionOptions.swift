import ArgumentParser
import TiergateCore

/// `--repo`, `--rev` and `--policy`: which repository, which revision, which policy. Shared by the commands that
/// read one revision (lint, explain, inventory).
struct RevisionOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOption

    @Option(help: "The revision to read.")
    var rev: String = "HEAD"

    @Option(help: "A policy file instead of the one at --rev (for local experiments).")
    var policy: String?
}
