import ArgumentParser

/// `--repo`: which repository. Every command that reads one takes it, with this help.
struct RepositoryOption: ParsableArguments {
    @Option(help: "The repository (default: the one containing the current directory).")
    var repo: String?
}
