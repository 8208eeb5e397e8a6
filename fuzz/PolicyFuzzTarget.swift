// libFuzzer target: bytes → policy loader (strict validation, conditions, regular expressions) → when the policy
// is valid, manifests judged by it (the base example and every check's triggering example) and the lint report
// in every format. Built by ci/fuzz.sh with fuzz/Checks.swift.
//
// Every input must be an answer (a policy or its problems; no trap, no hang). For a valid policy:
// - every app's tier is one of the policy's tiers (0 to 3, each defined), and `explain` gives the same tier;
// - every finding id is a built-in one or one of the policy's rules;
// - every output holds what fuzz/Checks.swift checks: the policy's strings (rule ids and messages, tier names,
//   groups) reach the reports, and must stay inert there; a credential written in the policy appears in none.

private let samples: [ManifestFile] = ([CheckExample.baseManifest] + ManifestChecks.all.map(\.triggering.manifest))
    .enumerated().map { ManifestReader.read(Array($0.element.utf8), path: "apps/example-\($0.offset)/microapp.yaml") }

@_cdecl("LLVMFuzzerTestOneInput")
public func tiergateFuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    let policy: Policy
    switch PolicyLoader.load(Array(input)) {
    case .success(let p): policy = p
    case .failure(let e):
        guard !e.problems.isEmpty else { fail("an invalid policy without a problem", "") }
        return 0
    }
    let evaluator = AppEvaluator(policy: policy, today: CheckExample.today, policyPath: ".tiergate/policy.yaml")
    let calculator = TierCalculator(policy: policy)
    var apps: [EvaluatedApp] = []
    var fileFindings: [Finding] = []
    for sample in samples {
        let (evaluated, findings) = evaluator.evaluate(sample)
        apps += evaluated
        fileFindings += findings
        for app in evaluated {
            guard let typed = app.manifest.app, let tier = app.tier else { continue }
            guard policy.tier(tier) != nil else { fail("tier \(tier) is not one of the policy's tiers", "") }
            let explained = calculator.explain(typed).tier
            guard explained == tier else { fail("explain gives tier \(explained), the evaluation \(tier)", "") }
        }
    }
    fileFindings += evaluator.findingPolicy.expiredExceptions()
    let secrets = YAMLParser.parse(input).documents.map(\.root).flatMap(credentials(in:))
    renderAll(lintReport(apps, fileFindings: fileFindings, policy: policy), knownIDs: knownFindingIDs(policy), secrets: secrets, fully: isFullyChecked(input))
    return 0
}
