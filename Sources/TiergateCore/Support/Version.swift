package enum TiergateVersion {
    package static let current = "0.1.0"
}
