/// The `microapps/v1` `MicroApp` manifest of SPEC section 1, as typed values.
package struct MicroApp: Sendable, Hashable, Codable {
    package static let apiVersion = "microapps/v1"
    package static let kind = "MicroApp"

    package var metadata: Metadata
    package var spec: Spec

    package struct Metadata: Sendable, Hashable, Codable {
        package var name: String
        package var owner: String
        package var title: String?
        package var description: String?
        package var labels: [String: String]
    }

    package struct Spec: Sendable, Hashable, Codable {
        package var template: String?
        package var dataClass: DataClass
        package var accessScope: AccessScope
        package var runtime: Runtime
        package var criticality: Criticality
        package var integrations: [Integration]
        package var network: Network
        package var secrets: [Secret]
        package var residency: String?
        package var regions: [String]?
        package var lifecycle: Lifecycle
        package var cost: Cost
        package var observability: Observability
        package var state: AppState
    }

    package struct Integration: Sendable, Hashable, Codable {
        package var name: String
        package var access: IntegrationAccess
        package var endpoint: String?
    }

    package struct Network: Sendable, Hashable, Codable {
        package var egress: Egress
        package var destinations: [String]
    }

    package struct Secret: Sendable, Hashable, Codable {
        package var name: String
        package var ref: String
    }

    package struct Lifecycle: Sendable, Hashable, Codable {
        package var createdAt: Day
        package var ttlDays: Int?
        package var renewedAt: Day?
        package var renewalJustification: String?
        package var retireBy: Day?
        package var attestedAt: Day?
    }

    package struct Cost: Sendable, Hashable, Codable {
        package var monthlyCapUSD: Double
    }

    package struct Observability: Sendable, Hashable, Codable {
        package var logSink: String
        package var retentionDays: Int
    }
}

/// The closed vocabularies of SPEC section 1. Each enum's cases are exactly the allowed values.
package protocol ManifestEnum: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {}

extension ManifestEnum {
    package static var allowedValues: [String] { allCases.map(\.rawValue) }
}

package enum DataClass: String, ManifestEnum { case `public`, `internal`, confidential, restricted, regulated }
package enum AccessScope: String, ManifestEnum { case personal, team, crossTeam = "cross-team", orgWide = "org-wide" }
package enum Runtime: String, ManifestEnum { case client, vendorPlatform = "vendor-platform", companyCloud = "company-cloud" }
package enum Criticality: String, ManifestEnum { case toy, productivity, slaCritical = "sla-critical" }
package enum IntegrationAccess: String, ManifestEnum { case read, write, admin }
package enum Egress: String, ManifestEnum { case none, internalOnly = "internal-only", allowlist, open }
package enum AppState: String, ManifestEnum { case active, quarantined, archived }
