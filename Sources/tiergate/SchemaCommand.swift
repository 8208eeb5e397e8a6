import ArgumentParser
import TiergateCore

extension SchemaName: ExpressibleByArgument {}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print a JSON Schema: manifest, policy, report, policy-test or decision (the decision record).")

    @Argument(help: "manifest, policy, report, policy-test or decision")
    var name: SchemaName

    func run() throws {
        guard let text = name.text else {
            throw TiergateError(.usage, "the \(name.rawValue) schema is not bundled in this build")
        }
        try Output.stdout(text)
    }
}
