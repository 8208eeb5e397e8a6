/// A manifest document read into the typed model, with the position of every field for findings.
package struct DecodedManifest: Sendable {
    /// The typed app, or nil when a required field is missing or malformed (the `schema` findings say why).
    package var app: MicroApp?
    /// `metadata.name` when it is a valid name, even if other fields are broken: findings still name the app.
    package var name: String?
    package var root: YAMLNode
    /// `schema` and `unknown-field` findings.
    package var findings: [Finding]
    /// A digest of the document's exact text: equal values with another digest means reformatted.
    package var textDigest: UInt64 = 0

    /// The position of a field (`spec.network.egress`, `spec.integrations[0].access`), or of the nearest
    /// enclosing node that exists. Looked up in the tree only when a finding needs it.
    package func mark(of fieldPath: String) -> Mark { root.nearest(fieldPath).mark }
}

/// The bounds of the manifest's numbers (SPEC section 8: a number never traps). `schemas/microapp.schema.json`
/// states the same bounds, and a test holds the two together.
package enum ManifestBounds {
    /// Ten years: every date computed from it stays within four-digit years.
    package static let ttlDays = 1...3650
    /// A hundred years.
    package static let retentionDays = 0...36500
    /// A billion dollars a month.
    package static let monthlyCapUSD = 0.0...1e9
}

/// Turns a YAML document into a `MicroApp` and the findings about its shape (SPEC section 1).
/// The schema has a fixed depth, so the walk is bounded by it, whatever the document holds.
package enum ManifestDecoder {
    package static let namePattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"

    package static func decode(_ document: YAMLDocument, path: String) -> DecodedManifest {
        var r = FieldReader(path: path)
        let app = r.readApp(document.root)
        return DecodedManifest(app: app, name: r.appName, root: document.root, findings: r.findings)
    }

    /// Lower-case DNS name: labels of letters, digits and inner hyphens, at most 253 characters.
    package static func isHostName(_ s: String) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for c in u {
            if c == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                let alnum = (c >= 0x61 && c <= 0x7A) || ScalarResolver.isDigit(c)
                guard alnum || c == UInt8(ascii: "-") else { return false }
                if labelLength == 0 && !alnum { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = c
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    package static func isAppName(_ s: String) -> Bool {
        s.utf8.count <= 63 && isDNSLabel(s.utf8)
    }

    private static func isDNSLabel<C: Collection>(_ b: C) -> Bool where C.Element == UInt8 {
        guard let first = b.first, b.count <= 63 else { return false }
        func ok(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || ScalarResolver.isDigit(c) }
        guard ok(first) else { return false }
        var last = first
        for c in b {
            guard ok(c) || c == UInt8(ascii: "-") else { return false }
            last = c
        }
        return ok(last)
    }
}

/// The fields of one mapping node, by key. Manifest mappings are small: a linear search beats hashing.
/// The fields SPEC section 1 defines for each mapping of a manifest (made once, not per manifest).
private enum KnownFields {
    static let top = ["apiVersion", "kind", "metadata", "spec"]
    static let metadata = ["name", "owner", "title", "description", "labels"]
    static let spec = [
        "template", "dataClass", "accessScope", "runtime", "criticality", "integrations", "network", "secrets",
        "residency", "regions", "lifecycle", "cost", "observability", "state",
    ]
    static let integration = ["name", "access", "endpoint"]
    static let network = ["egress", "destinations"]
    static let secret = ["name", "ref"]
    static let lifecycle = ["createdAt", "ttlDays", "renewedAt", "renewalJustification", "retireBy", "attestedAt"]
    static let cost = ["monthlyCapUSD"]
    static let observability = ["logSink", "retentionDays"]
}

/// The fields of one mapping node, looked up in the node itself (the first pair with a string key wins,
/// as YAML readers do; the YAML layer reports the duplicate). An empty field set is a null node.
private struct Fields {
    let node: YAMLNode
    let path: String

    subscript(key: String) -> YAMLNode? {
        node.pairIndex(of: key, stringKeysOnly: true).map { node.value($0) }
    }
}

private struct FieldReader {
    let path: String
    var findings: [Finding] = []
    var appName: String?
    var root = YAMLNode(scalar: YAMLScalar(text: "", style: .plain, value: .null), at: .start)

    init(path: String) { self.path = path }

    mutating func schema(_ message: String, at mark: Mark) {
        findings.append(Finding(id: "schema", severity: .error, message: message, path: path, mark: mark))
    }

    // MARK: The manifest

    mutating func readApp(_ root: YAMLNode) -> MicroApp? {
        self.root = root
        guard
            let top = mapping(
                root, path: "", known: KnownFields.top, what: "a MicroApp manifest (a mapping of fields)")
        else { return nil }
        let apiVersion = string(top, "apiVersion", required: true)
        if let apiVersion, apiVersion != MicroApp.apiVersion {
            schema("apiVersion is '\(display(apiVersion))'; a micro-app manifest must say apiVersion: \(MicroApp.apiVersion)", at: mark("apiVersion"))
        }
        let kind = string(top, "kind", required: true)
        if let kind, kind != MicroApp.kind {
            schema("kind is '\(display(kind))'; a micro-app manifest must say kind: \(MicroApp.kind)", at: mark("kind"))
        }
        let metadata = readMetadata(top)
        let spec = readSpec(top)
        guard apiVersion == MicroApp.apiVersion, kind == MicroApp.kind, let metadata, let spec else { return nil }
        return MicroApp(metadata: metadata, spec: spec)
    }

    mutating func readMetadata(_ top: Fields) -> MicroApp.Metadata? {
        guard let m = child(top, "metadata", known: KnownFields.metadata, required: true)
        else { return nil }
        let name = string(m, "name", required: true)
        var nameOK = false
        if let name {
            if ManifestDecoder.isAppName(name) {
                nameOK = true
                appName = name
            } else {
                schema(
                    "metadata.name '\(display(name))' is not a valid app name: use at most 63 lower-case letters, digits and inner hyphens (like where2eat or expense-bot)",
                    at: mark("metadata.name"))
            }
        }
        let owner = string(m, "owner", required: true)
        if let owner, owner.isEmpty { schema("metadata.owner is empty; name the owning group", at: mark("metadata.owner")) }
        let title = string(m, "title", required: false)
        let description = string(m, "description", required: false)
        var labels: [String: String] = [:]
        var labelsOK = true
        if let node = m["labels"] {
            let p = "metadata.labels"
            if let pairs = node.mapping {
                for pair in pairs {
                    guard let k = pair.key.scalar, case .string(let key) = k.value else {
                        schema("\(p) has a key that is not a string; label keys are strings", at: pair.key.mark)
                        labelsOK = false
                        continue
                    }
                    guard let v = pair.value.scalar, case .string(let value) = v.value else {
                        schema(
                            "\(p).\(key) must be a string, found \(pair.value.kindDescription); quote it if it looks like a number or boolean",
                            at: pair.value.mark)
                        labelsOK = false
                        continue
                    }
                    labels[key] = value
                }
            } else if !node.isNull {
                schema("\(p) must be a mapping of string to string, found \(node.kindDescription)", at: node.mark)
                labelsOK = false
            }
        }
        guard let name, nameOK, let owner, !owner.isEmpty, labelsOK, titleAndDescriptionOK(m) else { return nil }
        return MicroApp.Metadata(name: name, owner: owner, title: title, description: description, labels: labels)
    }

    private func titleAndDescriptionOK(_ m: Fields) -> Bool {
        for key in ["title", "description"] {
            if let n = m[key], !(n.scalar.map { if case .string = $0.value { true } else { false } } ?? false) { return false }
        }
        return true
    }

    mutating func readSpec(_ top: Fields) -> MicroApp.Spec? {
        let known = KnownFields.spec
        guard let s = child(top, "spec", known: known, required: true) else { return nil }
        var ok = true
        let template = string(s, "template", required: false)
        if s["template"] != nil && template == nil { ok = false }
        let dataClass: DataClass? = enumValue(s, "dataClass", required: true)
        let accessScope: AccessScope? = enumValue(s, "accessScope", required: true)
        let runtime: Runtime? = enumValue(s, "runtime", required: true)
        let criticality: Criticality? = enumValue(s, "criticality", required: true)
        let integrations = readIntegrations(s)
        let network = readNetwork(s)
        let secrets = readSecrets(s)
        let residency = string(s, "residency", required: false)
        if s["residency"] != nil && residency == nil { ok = false }
        let regions = stringList(s, "regions", required: false, element: "region name", valid: { !$0.isEmpty })
        if s["regions"] != nil && regions == nil { ok = false }
        let lifecycle = readLifecycle(s)
        let cost = readCost(s)
        let observability = readObservability(s)
        var state = AppState.active
        if s["state"] != nil {
            if let v: AppState = enumValue(s, "state", required: false) { state = v } else { ok = false }
        }
        guard ok, let dataClass, let accessScope, let runtime, let criticality, let integrations, let network,
            let secrets, let lifecycle, let cost, let observability
        else { return nil }
        return MicroApp.Spec(
            template: template, dataClass: dataClass, accessScope: accessScope, runtime: runtime,
            criticality: criticality, integrations: integrations, network: network, secrets: secrets,
            residency: residency, regions: regions, lifecycle: lifecycle, cost: cost, observability: observability,
            state: state)
    }

    mutating func readIntegrations(_ s: Fields) -> [MicroApp.Integration]? {
        guard let items = list(s, "integrations", required: false) else { return s["integrations"] == nil ? [] : nil }
        var result: [MicroApp.Integration] = []
        var ok = true
        var seen: [String: Mark] = [:]
        for (i, item) in items.enumerated() {
            let p = "spec.integrations[\(i)]"
            guard let f = mapping(item, path: p, known: KnownFields.integration, what: "an integration (a mapping with name and access)") else {
                ok = false
                continue
            }
            let name = string(f, "name", required: true)
            let access: IntegrationAccess? = enumValue(f, "access", required: true)
            let endpoint = string(f, "endpoint", required: false)
            if let endpoint, !ManifestDecoder.isHostName(endpoint) {
                schema(
                    "\(p).endpoint '\(display(endpoint))' is not a host name; write only the host, like crm.internal.example.com",
                    at: mark("\(p).endpoint"))
                ok = false
            }
            if f["endpoint"] != nil && endpoint == nil { ok = false }
            if let name {
                if name.isEmpty {
                    schema("\(p).name is empty; name the integration", at: mark("\(p).name"))
                    ok = false
                } else if let first = seen[name] {
                    schema(
                        "the integration '\(display(name))' is listed twice (also at line \(first.line)); each integration name must be unique",
                        at: mark("\(p).name"))
                    ok = false
                } else {
                    seen[name] = f["name"]?.mark ?? item.mark
                }
            }
            guard let name, let access else {
                ok = false
                continue
            }
            result.append(MicroApp.Integration(name: name, access: access, endpoint: endpoint))
        }
        return ok ? result : nil
    }

    mutating func readNetwork(_ s: Fields) -> MicroApp.Network? {
        guard let n = child(s, "network", known: KnownFields.network, required: true) else { return nil }
        let egress: Egress? = enumValue(n, "egress", required: true)
        let destinations = stringList(
            n, "destinations", required: false, element: "host name", valid: ManifestDecoder.isHostName)
        guard let egress, n["destinations"] == nil || destinations != nil else { return nil }
        return MicroApp.Network(egress: egress, destinations: destinations ?? [])
    }

    mutating func readSecrets(_ s: Fields) -> [MicroApp.Secret]? {
        guard let items = list(s, "secrets", required: false) else { return s["secrets"] == nil ? [] : nil }
        var result: [MicroApp.Secret] = []
        var ok = true
        var seen: [String: Mark] = [:]
        for (i, item) in items.enumerated() {
            let p = "spec.secrets[\(i)]"
            guard let f = mapping(item, path: p, known: KnownFields.secret, what: "a secret reference (a mapping with name and ref)") else {
                ok = false
                continue
            }
            let name = string(f, "name", required: true)
            let ref = string(f, "ref", required: true)
            if let name {
                if name.isEmpty {
                    schema("\(p).name is empty; name the secret", at: mark("\(p).name"))
                    ok = false
                } else if let first = seen[name] {
                    schema(
                        "the secret '\(display(name))' is listed twice (also at line \(first.line)); each secret name must be unique",
                        at: mark("\(p).name"))
                    ok = false
                } else {
                    seen[name] = f["name"]?.mark ?? item.mark
                }
            }
            guard let name, let ref else {
                ok = false
                continue
            }
            result.append(MicroApp.Secret(name: name, ref: ref))
        }
        return ok ? result : nil
    }

    mutating func readLifecycle(_ s: Fields) -> MicroApp.Lifecycle? {
        let known = KnownFields.lifecycle
        guard let l = child(s, "lifecycle", known: known, required: true) else { return nil }
        let createdAt = day(l, "createdAt", required: true)
        let ttlDays = integer(l, "ttlDays", required: false, in: ManifestBounds.ttlDays)
        let renewedAt = day(l, "renewedAt", required: false)
        let justification = string(l, "renewalJustification", required: false)
        let retireBy = day(l, "retireBy", required: false)
        let attestedAt = day(l, "attestedAt", required: false)
        let optionalOK =
            (l["ttlDays"] == nil || ttlDays != nil) && (l["renewedAt"] == nil || renewedAt != nil)
            && (l["renewalJustification"] == nil || justification != nil) && (l["retireBy"] == nil || retireBy != nil)
            && (l["attestedAt"] == nil || attestedAt != nil)
        guard let createdAt, optionalOK else { return nil }
        return MicroApp.Lifecycle(
            createdAt: createdAt, ttlDays: ttlDays, renewedAt: renewedAt, renewalJustification: justification,
            retireBy: retireBy, attestedAt: attestedAt)
    }

    mutating func readCost(_ s: Fields) -> MicroApp.Cost? {
        guard let c = child(s, "cost", known: KnownFields.cost, required: true) else { return nil }
        guard let cap = number(c, "monthlyCapUSD", required: true, in: ManifestBounds.monthlyCapUSD) else { return nil }
        return MicroApp.Cost(monthlyCapUSD: cap)
    }

    mutating func readObservability(_ s: Fields) -> MicroApp.Observability? {
        guard let o = child(s, "observability", known: KnownFields.observability, required: true) else { return nil }
        let sink = string(o, "logSink", required: true)
        let retention = integer(o, "retentionDays", required: true, in: ManifestBounds.retentionDays)
        guard let sink, let retention else { return nil }
        return MicroApp.Observability(logSink: sink, retentionDays: retention)
    }

    // MARK: Field readers

    func mark(_ fieldPath: String) -> Mark { root.nearest(fieldPath).mark }

    private func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : "\(parent).\(key)" }

    /// Reads a mapping node; reports keys that are not strings and keys the schema does not know.
    mutating func mapping(_ node: YAMLNode, path p: String, known: [String], what: String) -> Fields? {
        guard node.isMapping else {
            let name = p.isEmpty ? "the document" : p
            schema("\(name) must be \(what), found \(node.kindDescription)", at: node.mark)
            return nil
        }
        for i in 0..<node.count {
            let keyNode = node.key(i)
            guard case .string(let key) = keyNode.scalarValue else {
                schema("\(p.isEmpty ? "the document" : p) has a key that is not a field name", at: keyNode.mark)
                continue
            }
            let n = key.utf8.count
            if !known.contains(where: { $0.utf8.count == n && $0 == key }) {
                let fieldPath = join(p, key)
                var message = "\(fieldPath) is not a field of a MicroApp manifest"
                if let suggestion = closest(key, in: known) { message += "; did you mean '\(suggestion)'?" }
                message += " (known here: \(known.joined(separator: ", ")))"
                findings.append(
                    Finding(id: "unknown-field", severity: .warning, message: message, path: path, mark: keyNode.mark))
                continue
            }
        }
        return Fields(node: node, path: p)
    }

    mutating func child(_ parent: Fields, _ key: String, known: [String], required: Bool) -> Fields? {
        let p = join(parent.path, key)
        guard let node = parent[key] else {
            if required { missing(parent, key) }
            return nil
        }
        if node.isNull {
            if required { schema("\(p) is empty; fill in its fields (\(known.joined(separator: ", ")))", at: node.mark) }
            return required ? nil : Fields(node: node, path: p)
        }
        return mapping(node, path: p, known: known, what: "a mapping of fields")
    }

    mutating func missing(_ parent: Fields, _ key: String) {
        let p = join(parent.path, key)
        let holder = parent.path.isEmpty ? "the top level of the manifest" : parent.path
        schema("\(p) is missing; add '\(key):' to \(holder)", at: parent.node.mark)
    }

    /// The value node of a field, reporting a missing required one. A null value counts as missing.
    mutating func value(_ f: Fields, _ key: String, required: Bool) -> YAMLNode? {
        guard let node = f[key], !node.isNull else {
            if required {
                if let node = f[key] {
                    schema("\(join(f.path, key)) is empty; it is required", at: node.mark)
                } else {
                    missing(f, key)
                }
            }
            return nil
        }
        return node
    }

    mutating func string(_ f: Fields, _ key: String, required: Bool) -> String? {
        guard let node = value(f, key, required: required) else { return nil }
        guard let s = node.scalar, case .string(let text) = s.value else {
            schema(
                "\(join(f.path, key)) must be a string, found \(node.kindDescription)\(stringHint(node))",
                at: node.mark)
            return nil
        }
        return text
    }

    mutating func enumValue<E: ManifestEnum>(_ f: Fields, _ key: String, required: Bool) -> E? {
        guard let node = value(f, key, required: required) else { return nil }
        if case .string(let text) = node.scalarValue, let v = E(rawValue: text) { return v }
        let allowed = E.allowedValues.joined(separator: ", ")
        guard let s = node.scalar, case .string(let text) = s.value else {
            schema("\(join(f.path, key)) must be one of \(allowed); found \(node.kindDescription)", at: node.mark)
            return nil
        }
        guard let v = E(rawValue: text) else {
            schema("\(join(f.path, key)) is '\(display(text))', which is not allowed; use one of \(allowed)", at: node.mark)
            return nil
        }
        return v
    }

    /// A whole number within `bounds` (a number too large for 64 bits is outside them, not a trap).
    mutating func integer(_ f: Fields, _ key: String, required: Bool, in bounds: ClosedRange<Int>) -> Int? {
        guard let node = value(f, key, required: required) else { return nil }
        let range = "from \(bounds.lowerBound) to \(bounds.upperBound)"
        switch node.scalar?.value {
        case .int(let v):
            guard bounds.contains(v) else {
                schema("\(join(f.path, key)) is \(v); it must be a whole number \(range)", at: node.mark)
                return nil
            }
            return v
        case .float(let d) where !d.isFinite || abs(d) >= 9.2e18:
            schema("\(join(f.path, key)) is too large; it must be a whole number \(range)", at: node.mark)
            return nil
        default:
            schema("\(join(f.path, key)) must be a whole number \(range), found \(node.kindDescription)\(numberHint(node))", at: node.mark)
            return nil
        }
    }

    /// A finite number within `bounds`.
    mutating func number(_ f: Fields, _ key: String, required: Bool, in bounds: ClosedRange<Double>) -> Double? {
        guard let node = value(f, key, required: required) else { return nil }
        let range = "from \(ManifestValue.format(bounds.lowerBound)) to \(ManifestValue.format(bounds.upperBound))"
        let v: Double
        switch node.scalar?.value {
        case .int(let i): v = Double(i)
        case .float(let d) where d.isFinite: v = d
        case .float(let d) where !d.isNaN:
            schema("\(join(f.path, key)) is \(d < 0 ? "negative and " : "")infinite; it must be a number \(range)", at: node.mark)
            return nil
        default:
            schema("\(join(f.path, key)) must be a number \(range), found \(node.kindDescription)\(numberHint(node))", at: node.mark)
            return nil
        }
        guard v >= bounds.lowerBound else {
            schema("\(join(f.path, key)) is negative; it must be a number \(range)", at: node.mark)
            return nil
        }
        guard v <= bounds.upperBound else {
            schema("\(join(f.path, key)) is \(ManifestValue.format(v)); it must be a number \(range)", at: node.mark)
            return nil
        }
        return v
    }

    mutating func day(_ f: Fields, _ key: String, required: Bool) -> Day? {
        guard let node = value(f, key, required: required) else { return nil }
        guard let s = node.scalar, case .string(let text) = s.value, let d = Day(text) else {
            let found = node.scalar.map { sc -> String in
                if case .string(let t) = sc.value { return "'\(display(t))'" }
                return node.kindDescription
            } ?? node.kindDescription
            schema("\(join(f.path, key)) must be a date written YYYY-MM-DD (like 2026-01-10), found \(found)", at: node.mark)
            return nil
        }
        return d
    }

    mutating func list(_ f: Fields, _ key: String, required: Bool) -> [YAMLNode]? {
        guard let node = value(f, key, required: required) else { return nil }
        guard let items = node.sequence else {
            schema("\(join(f.path, key)) must be a list, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return items
    }

    mutating func stringList(
        _ f: Fields, _ key: String, required: Bool, element: String, valid: (String) -> Bool
    ) -> [String]? {
        guard let items = list(f, key, required: required) else { return nil }
        var result: [String] = []
        var ok = true
        for (i, item) in items.enumerated() {
            // The item's path is spelled out only for a finding.
            guard case .string(let text) = item.scalarValue else {
                schema("\(join(f.path, key))[\(i)] must be a \(element) (a string), found \(item.kindDescription)", at: item.mark)
                ok = false
                continue
            }
            guard valid(text) else {
                schema("\(join(f.path, key))[\(i)] '\(display(text))' is not a valid \(element)", at: item.mark)
                ok = false
                continue
            }
            result.append(text)
        }
        return ok ? result : nil
    }

    /// For a field that wants a string: YAML typed an unquoted value as something else.
    private func stringHint(_ node: YAMLNode) -> String {
        guard let s = node.scalar, s.style.isPlain else { return "" }
        if case .string = s.value { return "" }
        return "; put it in quotes"
    }

    /// For a field that wants a number: the value was quoted, which makes it a string.
    private func numberHint(_ node: YAMLNode) -> String {
        guard let s = node.scalar, !s.style.isPlain else { return "" }
        return "; write it without quotes"
    }

    /// Shows a value in a message only when it is short and plain (an enum-like word); anything that could be
    /// a credential is not repeated.
    func display(_ text: String) -> String {
        let shortEnoughForUpperCase = text.utf8.count <= 16
        let plain = text.utf8.count <= 32
            && text.utf8.allSatisfy { c in
                (c >= 0x61 && c <= 0x7A) || ScalarResolver.isDigit(c) || (shortEnoughForUpperCase && c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: " ") || c == UInt8(ascii: "_") || c == UInt8(ascii: "/")
            }
        return plain ? text : "(value not shown)"
    }

    /// The known name nearest to a typo, when it is close enough to be a likely fix.
    private func closest(_ key: String, in known: [String]) -> String? {
        var best: (String, Int)?
        for k in known {
            let d = editDistance(key.lowercased(), k.lowercased())
            if d <= max(1, min(3, k.count / 3)), d < (best?.1 ?? Int.max) { best = (k, d) }
        }
        return best?.0
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
