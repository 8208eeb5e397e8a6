import ArgumentParser
import TiergateCore

/// `--repo`, `--rev` and `--policy`: which repository, which revision, which policy. Shared by the commands that
/// read one revision (lint, explain, inventory).
struct RevisionOptions: ParsableArguments {
    @Option(help: .repository)
    var repo: String?

    @Option(help: "The revision to read.")
    var rev: String = "HEAD"

    @Option(help: "A policy file instead of the one at --rev (for local experiments).")
    var policy: String?
}

/// The help of the options many commands share, said once.
extension ArgumentHelp {
    /// `--repo`.
    static var repository: ArgumentHelp { "The repository (default: the one containing the current directory)." }
    /// `--today`, where it is the day expiry is judged by.
    static var expiryDay: ArgumentHelp { "The date to judge expiry by, YYYY-MM-DD (default: today, UTC)." }
}
