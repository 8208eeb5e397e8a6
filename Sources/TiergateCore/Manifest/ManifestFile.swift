/// Everything read from one manifest file: its apps and the findings that belong to the file itself.
package struct ManifestFile: Sendable {
    package var path: String
    package var apps: [DecodedManifest]
    /// YAML problems and file-level problems not tied to one app.
    package var findings: [Finding]
    /// Whether the YAML layer found anything (syntax, duplicate keys, merge keys, tags, limits, encoding, YAML 1.1
    /// scalars): exactly where another YAML reader may read other values than tiergate.
    package var hasYAMLFindings = false

    package init(path: String, apps: [DecodedManifest], findings: [Finding]) {
        self.path = path
        self.apps = apps
        self.findings = findings
    }

    /// A file over the size limit, refused before reading.
    package static func tooLarge(path: String, size: Int) -> ManifestFile {
        let p = YAMLProblem.fileTooLarge(size)
        return ManifestFile(
            path: path, apps: [],
            findings: [Finding(p.kind.id, message: p.message, path: path, mark: p.mark)])
    }

    /// A file that is not a regular file (symlink, submodule, LFS pointer): nothing is read from it.
    package static func notAManifest(path: String, reason: String) -> ManifestFile {
        ManifestFile(
            path: path, apps: [],
            findings: [Finding(.notAManifestFile, message: reason, path: path, mark: .start)])
    }
}

/// Reads a manifest file's bytes into apps and findings: YAML layer, then the manifest schema.
package enum ManifestReader {
    static let lfsPrefix = Array("version https://git-lfs.github.com/spec/v1".utf8)

    package static func read(_ bytes: [UInt8], path: String) -> ManifestFile {
        bytes.withUnsafeBufferPointer { read($0, path: path) }
    }

    package static func read(_ file: UnsafeBufferPointer<UInt8>, path: String) -> ManifestFile {
        // A UTF-8 byte-order mark is allowed and invisible (SPEC section 4); documents' text starts after it.
        let buffer = file.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: file[3...]) : file
        if buffer.count >= lfsPrefix.count, buffer.prefix(lfsPrefix.count).elementsEqual(lfsPrefix) {
            return .notAManifest(
                path: path,
                reason:
                    "\(path) is a Git LFS pointer, not a manifest: tiergate reads what git stores, so keep manifests out of LFS (.gitattributes)"
            )
        }
        let parsed = YAMLParser.parse(buffer)
        var apps = parsed.documents.map { doc in
            var m = ManifestDecoder.decode(doc, path: path)
            m.textDigest = fnv1a(buffer, doc.byteRange)
            return m
        }
        var fileFindings: [Finding] = []
        // A YAML problem belongs to the app whose document holds it, when that app has a name.
        for problem in parsed.problems {
            var finding = Finding(problem.kind.id, message: problem.message, path: path, mark: problem.mark)
            // After the last complete document of a stream that stopped early, the problem is in the
            // unfinished document, which belongs to no app.
            if let i = apps.lastIndex(where: { $0.root.mark <= problem.mark }), let name = apps[i].name,
                i + 1 < apps.count || parsed.complete
            {
                finding.app = name
                apps[i].findings.append(finding)
            } else {
                fileFindings.append(finding)
            }
        }
        if parsed.complete && apps.isEmpty {
            fileFindings.append(
                Finding(
                    .schema,
                    message: "\(path) holds no manifest; a manifest file holds one or more MicroApp documents",
                    path: path, mark: .start))
        }
        for i in apps.indices {
            let name = apps[i].name
            for j in apps[i].findings.indices where apps[i].findings[j].app == nil { apps[i].findings[j].app = name }
        }
        var file = ManifestFile(path: path, apps: apps, findings: fileFindings)
        file.hasYAMLFindings = !parsed.problems.isEmpty
        return file
    }
}

/// FNV-1a, 64 bits: a stable digest of a byte range (not for security, only to tell texts apart).
func fnv1a(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    let r = range.clamped(to: 0..<buffer.count)
    for i in r {
        h ^= UInt64(buffer[i])
        h &*= 0x100_0000_01b3
    }
    return h
}
