import Foundation
import Testing

/// The README's two commands, `.ci/run`, and the two scripts that make the test command honest.
@Suite("The README's commands and .ci/run", .temporaryDirectories)
struct ProjectCommandsTests {
    /// The commands of the README's first `sh` block, one a line, comments dropped.
    static func readmeCommands() throws -> [String] {
        let readme = try Project.text("README.md")
        let start = try #require(readme.range(of: "```sh\n"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").map { line in
            let command = line.range(of: "  #").map { line[..<$0.lowerBound] } ?? line[...]
            return command.trimmingCharacters(in: .whitespaces)
        }
    }

    @Test("the README has two commands, each starting with a script in ci/; .ci/run runs exactly the second")
    func ciRunIsTheTestCommand() throws {
        let commands = try Self.readmeCommands()
        #expect(commands.count == 2)
        #expect(commands.allSatisfy { $0.hasPrefix("ci/") })
        #expect(commands.first?.hasSuffix("swift run tiergate demo") == true)
        let ciRun = try Project.text(".ci/run").split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("set ") && !$0.hasPrefix("cd ") && !$0.isEmpty }
        #expect(ciRun == [commands[1]])
        #expect(commands[1].contains("swift test"))
    }

    @Test("ci/no-temp-leftovers.sh fails when the command leaves a file in its TMPDIR, passes when it leaves none")
    func leftovers() throws {
        let script = Project.path("ci/no-temp-leftovers.sh")
        let dirty = try run(script, ["sh", "-c", "touch \"$TMPDIR/left-behind\""])
        #expect(dirty.status == 1 && dirty.stderr.contains("left-behind"), "\(dirty.stderr)")
        let clean = try run(script, ["sh", "-c", "f=\"$TMPDIR/made\" && touch \"$f\" && rm \"$f\""])
        #expect(clean.status == 0, "\(clean.stderr)")
        let failing = try run(script, ["false"])
        #expect(failing.status != 0)
    }

    @Test("ci/fresh-clone.sh runs the command in a clone of HEAD's commit that holds nothing untracked")
    func freshClone() throws {
        let repo = try makeTemporaryDirectory("fresh-clone-source")
        try run("git", ["init", "-q", repo])
        try FileManager.default.createDirectory(atPath: repo + "/ci", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Project.path("ci/fresh-clone.sh"), toPath: repo + "/ci/fresh-clone.sh")
        try "committed\n".write(toFile: repo + "/tracked.txt", atomically: true, encoding: .utf8)
        try run("git", ["-C", repo, "add", "."])
        try run("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one"])
        try "not in the commit\n".write(toFile: repo + "/untracked.txt", atomically: true, encoding: .utf8)
        try "changed\n".write(toFile: repo + "/tracked.txt", atomically: true, encoding: .utf8)
        let head = try run("git", ["-C", repo, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let r = try run(repo + "/ci/fresh-clone.sh", ["sh", "-c", "git rev-parse HEAD; cat tracked.txt; test ! -e untracked.txt && pwd"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines.count == 3 && lines[0] == head && lines[1] == "committed", "\(r.stdout)")
        #expect(r.stderr.contains("uncommitted changes are not in it"))
        // The clone is gone afterwards.
        if lines.count == 3 { #expect(!FileManager.default.fileExists(atPath: lines[2])) }
        #expect(try run(repo + "/ci/fresh-clone.sh", ["false"]).status != 0)
    }
}
