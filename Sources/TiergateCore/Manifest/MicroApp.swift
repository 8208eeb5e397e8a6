/// The `microapps/v1` `MicroApp` manifest of SPEC section 1, as typed values.
public struct MicroApp: Sendable, Hashable, Codable {
    public static let apiVersion = "microapps/v1"
    public static let kind = "MicroApp"

    public var metadata: Metadata
    public var spec: Spec

    public struct Metadata: Sendable, Hashable, Codable {
        public var name: String
        public var owner: String
        public var title: String?
        public var description: String?
        public var labels: [String: String]
    }

    public struct Spec: Sendable, Hashable, Codable {
        public var template: String?
        public var dataClass: DataClass
        public var accessScope: AccessScope
        public var runtime: Runtime
        public var criticality: Criticality
        public var integrations: [Integration]
        public var network: Network
        public var secrets: [Secret]
        public var residency: String?
        public var regions: [String]?
        public var lifecycle: Lifecycle
        public var cost: Cost
        public var observability: Observability
        public var state: AppState
    }

    public struct Integration: Sendable, Hashable, Codable {
        public var name: String
        public var access: IntegrationAccess
        public var endpoint: String?
    }

    public struct Network: Sendable, Hashable, Codable {
        public var egress: Egress
        public var destinations: [String]
    }

    public struct Secret: Sendable, Hashable, Codable {
        public var name: String
        public var ref: String
    }

    public struct Lifecycle: Sendable, Hashable, Codable {
        public var createdAt: Day
        public var ttlDays: Int?
        public var renewedAt: Day?
        public var renewalJustification: String?
        public var retireBy: Day?
        public var attestedAt: Day?
    }

    public struct Cost: Sendable, Hashable, Codable {
        public var monthlyCapUSD: Double
    }

    public struct Observability: Sendable, Hashable, Codable {
        public var logSink: String
        public var retentionDays: Int
    }
}

/// The closed vocabularies of SPEC section 1. Each enum's cases are exactly the allowed values.
public protocol ManifestEnum: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {}

extension ManifestEnum {
    public static var allowedValues: [String] { allCases.map(\.rawValue) }
}

public enum DataClass: String, ManifestEnum { case `public`, `internal`, confidential, restricted, regulated }
public enum AccessScope: String, ManifestEnum { case personal, team, crossTeam = "cross-team", orgWide = "org-wide" }
public enum Runtime: String, ManifestEnum { case client, vendorPlatform = "vendor-platform", companyCloud = "company-cloud" }
public enum Criticality: String, ManifestEnum { case toy, productivity, slaCritical = "sla-critical" }
public enum IntegrationAccess: String, ManifestEnum { case read, write, admin }
public enum Egress: String, ManifestEnum { case none, internalOnly = "internal-only", allowlist, open }
public enum AppState: String, ManifestEnum { case active, quarantined, archived }
