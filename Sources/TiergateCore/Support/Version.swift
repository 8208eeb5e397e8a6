public enum TiergateVersion {
    public static let current = "0.1.0"
}
