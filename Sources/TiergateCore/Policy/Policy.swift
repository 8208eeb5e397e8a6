/// The policy in force (`tiergate/v1` `Policy`).
public struct Policy: Sendable {
    public var manifests: PathMatcher

    public static let builtIn = Policy(manifests: .default)
}
