// libFuzzer target: bytes → YAML layer → manifest schema → every check and rule → tiers → every report format.
// Built by ci/fuzz.sh together with the library's sources (one module, -sanitize=fuzzer,address).

nonisolated(unsafe) private var evaluator = AppEvaluator(
    policy: .builtIn, today: Day(year: 2026, month: 11, day: 22) ?? Day(daysSinceEpoch: 0), policyPath: ".tiergate/policy.yaml")

nonisolated(unsafe) private var counter = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func tiergateFuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let file = ManifestReader.read(UnsafeBufferPointer(start: data, count: size), path: "apps/fuzz/microapp.yaml")
    let (apps, fileFindings) = evaluator.evaluate(file)
    var reports: [AppReport] = []
    for app in apps {
        // Changes and redaction over whatever was read, typed or not.
        let value = app.manifest.app?.value ?? ManifestValue(node: app.manifest.root)
        _ = Redactor.fieldChanges(FieldDiff.changes(from: nil, to: value))
        _ = FieldDiff.changes(from: value, to: ManifestValue(node: app.manifest.root))
        for f in app.findings { _ = app.manifest.mark(of: f.id) }
        reports.append(AppReport(name: app.name ?? "", path: app.path, tier: app.tier, findings: app.findings))
    }
    let all = reports.flatMap(\.findings) + fileFindings
    var report = Report(
        command: .lint, toolVersion: "fuzz", base: nil, head: nil, policy: PolicyInfo(source: .default, path: nil, blob: nil),
        decision: .pass, apps: reports, findings: fileFindings, summary: Summary(findings: all, apps: reports.count))
    report.describeFindings(policy: .builtIn)
    // Every format, with the hand-written ones on every input and the Foundation-encoded ones (slow under
    // ASan) on one input in sixteen.
    counter &+= 1
    for format in ReportFormat.allCases where counter % 16 == 0 || ![.sarif, .gitlab].contains(format) {
        _ = try? format.reporter().render(report)
    }
    return 0
}
