package enum TiergateVersion {
    package static let current = "0.1.0"
    /// The project's home, declared once: documentation links that must be absolute (SARIF's `helpUri`) start here.
    package static let homepage = "https://github.com/tiergate/tiergate"
    /// The README as the project page shows it (the branch users follow, as the pre-commit snippet does).
    package static let readme = "\(homepage)/blob/main/README.md"
}
