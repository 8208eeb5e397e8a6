/// The `microapps/v1` `MicroApp` manifest of SPEC section 1, as typed values. `ManifestSchema` says which
/// field is which and reads them; a field the table has without a property here is kept in `otherFields`.
/// The initial values are placeholders: a decoded app has every field the table sets.
package struct MicroApp: OpenRecord, Hashable {
    package static let apiVersion = "microapps/v1"
    package static let kind = "MicroApp"

    package var metadata = Metadata()
    package var spec = Spec()
    package var otherFields: [String: ManifestValue] = [:]

    package init() {}

    package struct Metadata: OpenRecord, Hashable {
        package var name = ""
        package var owner = ""
        package var title: String?
        package var description: String?
        package var labels: [String: String] = [:]
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Spec: OpenRecord, Hashable {
        package var template: String?
        package var dataClass = DataClass.public
        package var accessScope = AccessScope.personal
        package var runtime = Runtime.client
        package var criticality = Criticality.toy
        package var integrations: [Integration] = []
        package var network = Network()
        package var secrets: [Secret] = []
        package var residency: String?
        package var regions: [String]?
        package var lifecycle = Lifecycle()
        package var cost = Cost()
        package var observability = Observability()
        package var state = AppState.active
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Integration: OpenRecord, Hashable {
        package var name = ""
        package var access = IntegrationAccess.read
        package var endpoint: String?
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Network: OpenRecord, Hashable {
        package var egress = Egress.none
        package var destinations: [String] = []
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Secret: OpenRecord, Hashable {
        package var name = ""
        package var ref = ""
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Lifecycle: OpenRecord, Hashable {
        package var createdAt = Day.earliest
        package var ttlDays: Int?
        package var renewedAt: Day?
        package var renewalJustification: String?
        package var retireBy: Day?
        package var attestedAt: Day?
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Cost: OpenRecord, Hashable {
        package var monthlyCapUSD = 0.0
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }

    package struct Observability: OpenRecord, Hashable {
        package var logSink = ""
        package var retentionDays = 0
        package var otherFields: [String: ManifestValue] = [:]

        package init() {}
    }
}

/// The closed vocabularies of SPEC section 1. Each enum's cases are exactly the allowed values.
package protocol ManifestEnum: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

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
