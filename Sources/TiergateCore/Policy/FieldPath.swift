/// A path into a manifest as rules write it: `spec.network.egress`, `spec.integrations[*].access`.
package struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    package enum Segment: Sendable, Hashable {
        case key(String)
        case everyElement
    }

    package let segments: [Segment]
    package let description: String

    /// Parses a path; nil when it is not `name(.name|[*])*`.
    package init?(_ text: String) {
        var segments: [Segment] = []
        var rest = Substring(text)
        var expectKey = true
        while !rest.isEmpty {
            if rest.hasPrefix("[*]") {
                guard !segments.isEmpty else { return nil }
                segments.append(.everyElement)
                rest = rest.dropFirst(3)
                expectKey = false
                continue
            }
            if !expectKey {
                guard rest.first == "." else { return nil }
                rest = rest.dropFirst()
            }
            let name = rest.prefix { $0 != "." && $0 != "[" }
            guard !name.isEmpty else { return nil }
            segments.append(.key(String(name)))
            rest = rest.dropFirst(name.count)
            expectKey = false
        }
        guard !segments.isEmpty else { return nil }
        self.segments = segments
        self.description = text
    }

    /// Every value the path reaches; empty when the field is missing.
    package func values(in root: ManifestValue) -> [ManifestValue] {
        var out: [ManifestValue] = []
        Self.collect(segments[...], in: root, into: &out)
        return out
    }

    /// Appends every value `segments` reach from `root`: a key reads a mapping's field (a null one is missing),
    /// `[*]` every item of a list.
    static func collect(_ segments: ArraySlice<Segment>, in root: ManifestValue, into out: inout [ManifestValue]) {
        var current = [root]
        for segment in segments {
            var next: [ManifestValue] = []
            for v in current {
                switch segment {
                case .key(let k):
                    if let child = v[k], child != .null { next.append(child) }
                case .everyElement:
                    if case .list(let items) = v { next.append(contentsOf: items) }
                }
            }
            current = next
            if current.isEmpty { return }
        }
        out.append(contentsOf: current)
    }

    /// Whether one path reaches into what the other does: they are equal, or one is a prefix of the other segment
    /// by segment (`spec` and `spec.dataClass`; `spec.integrations` and `spec.integrations[*].access`;
    /// `metadata.labels.team` and `metadata.labels`). A change to the one can change what the other reads.
    package func overlaps(_ other: FieldPath) -> Bool {
        let n = min(segments.count, other.segments.count)
        return segments.prefix(n) == other.segments.prefix(n)
    }

    /// Whether the path names a field of the MicroApp schema (so a typo cannot silently disable a rule).
    package var isKnownManifestField: Bool { ManifestSchema.root.description.knows(segments) }
}
