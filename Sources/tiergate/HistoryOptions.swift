import ArgumentParser

/// `--repo` and `--rev`: the repository and the tip of the first-parent history the audit trail is read along.
/// Shared by `audit log`, `audit verify` and `evidence`.
struct HistoryOptions: ParsableArguments {
    @Option(help: .repository)
    var repo: String?

    @Option(help: "The tip of the history (the main branch).")
    var rev: String = "HEAD"
}
