import Testing

@testable import TiergateCore

/// Loads a policy text, failing the test with the loader's problems when it is invalid.
func loadPolicy(_ text: String?) throws -> Policy {
    guard let text else { return .builtIn }
    switch PolicyLoader.load(Array(text.utf8)) {
    case .success(let p): return p
    case .failure(let e): throw TestFailure("policy invalid: \(e)")
    }
}

/// The problems of a policy that must be invalid.
func policyProblems(_ text: String) -> [PolicyProblem] {
    switch PolicyLoader.load(Array(text.utf8)) {
    case .success: return []
    case .failure(let e): return e.problems
    }
}

/// Every finding for one manifest text under a policy, as `lint` would report them.
func findings(manifest: String, policy: String? = nil, today: Day = CheckExample.today, path: String = "apps/x/microapp.yaml") throws -> [Finding] {
    let p = try loadPolicy(policy)
    let file = ManifestReader.read(Array(manifest.utf8), path: path)
    let evaluator = AppEvaluator(policy: p, today: today, policyPath: ".tiergate/policy.yaml")
    let (apps, fileFindings) = evaluator.evaluate(file)
    return apps.flatMap(\.findings) + fileFindings + evaluator.findingPolicy.expiredExceptions()
}

/// The tier of one manifest under a policy.
func tier(_ manifest: String, policy: String? = nil) throws -> Int? {
    let p = try loadPolicy(policy)
    let file = ManifestReader.read(Array(manifest.utf8), path: "m.yaml")
    guard let app = file.apps.first?.app else { throw TestFailure("manifest does not decode: \(file.apps.first?.findings.map(\.message) ?? [])") }
    return TierCalculator(policy: p).tier(of: app)
}

/// A policy text that adds sections to the defaults.
func policy(_ body: String) -> String {
    "apiVersion: tiergate/v1\nkind: Policy\n" + body + "\n"
}
