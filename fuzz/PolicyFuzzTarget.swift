// libFuzzer target: bytes → policy loader (strict validation, conditions, regular expressions) → a manifest
// judged by the policy when it is valid. Built by ci/fuzz.sh.

private let sample = ManifestReader.read(Array(CheckExample.baseManifest.utf8), path: "apps/example/microapp.yaml")

@_cdecl("LLVMFuzzerTestOneInput")
public func tiergateFuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard case .success(let policy) = PolicyLoader.load(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let evaluator = AppEvaluator(policy: policy, today: CheckExample.today, policyPath: ".tiergate/policy.yaml")
    let (apps, _) = evaluator.evaluate(sample)
    for app in apps {
        if let c = app.manifest.app { _ = TierCalculator(policy: policy).explain(c) }
        _ = evaluator.findingPolicy.expiredExceptions()
    }
    return 0
}
