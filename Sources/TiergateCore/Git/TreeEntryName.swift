/// Tree entry names git refuses: `git fsck` reports them (`hasDot`, `hasDotdot`, `hasDotgit`, `emptyName`,
/// `fullPathname`) and no checkout writes them, so a revision holding one is not what any deployer would see.
enum TreeEntryName {
    /// Whether git refuses `name` (a tree entry's NUL-terminated name) for an entry: empty, holding `/`, `.`,
    /// `..`, or `.git` in any spelling a checkout could take for it: any case, with trailing spaces or dots or
    /// an NTFS stream suffix (`.git.`, `.GIT `, `.git::$INDEX_ALLOCATION`), its NTFS short name `git~1`, and with
    /// the code points HFS+ ignores (U+200C…U+200F, U+202A…U+202E, U+206A…U+206F, U+FEFF) anywhere in it.
    /// Most names are decided by their first byte; it allocates nothing.
    @inline(__always)
    static func isImpossible(_ name: UnsafePointer<CChar>) -> Bool {
        let first = UInt8(bitPattern: name[0])
        if first == 0 { return true }
        if containsSlash(name) { return true }
        switch first {
        case UInt8(ascii: "."), UInt8(ascii: "g"), UInt8(ascii: "G"), 0xE2, 0xEF: return isDotGitLike(name)
        default: return false
        }
    }

    private static func containsSlash(_ name: UnsafePointer<CChar>) -> Bool {
        var i = 0
        while true {
            let c = name[i]
            if c == 0 { return false }
            if c == 0x2F { return true }
            i += 1
        }
    }

    private static func byte(_ name: UnsafePointer<CChar>, _ i: Int) -> UInt8 { UInt8(bitPattern: name[i]) }

    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 0x20 : c }

    private static func isDotGitLike(_ name: UnsafePointer<CChar>) -> Bool {
        // `.` and `..`.
        if byte(name, 0) == UInt8(ascii: "."), byte(name, 1) == 0 || (byte(name, 1) == UInt8(ascii: ".") && byte(name, 2) == 0) {
            return true
        }
        return isNTFSDotGit(name) || isHFSDotGit(name)
    }

    /// git's `is_ntfs_dotgit`: `.git` or `git~1` in any case, then only spaces and dots up to the end, a `\`
    /// (a Windows path separator) or a `:` (an NTFS stream).
    private static func isNTFSDotGit(_ name: UnsafePointer<CChar>) -> Bool {
        var i: Int
        if byte(name, 0) == UInt8(ascii: "."), lower(byte(name, 1)) == UInt8(ascii: "g"), lower(byte(name, 2)) == UInt8(ascii: "i"),
            lower(byte(name, 3)) == UInt8(ascii: "t")
        {
            i = 4
        } else if lower(byte(name, 0)) == UInt8(ascii: "g"), lower(byte(name, 1)) == UInt8(ascii: "i"), lower(byte(name, 2)) == UInt8(ascii: "t"),
            byte(name, 3) == UInt8(ascii: "~"), byte(name, 4) == UInt8(ascii: "1")
        {
            i = 5
        } else {
            return false
        }
        while true {
            let c = byte(name, i)
            if c == 0 || c == UInt8(ascii: "\\") || c == UInt8(ascii: ":") { return true }
            if c != UInt8(ascii: " ") && c != UInt8(ascii: ".") { return false }
            i += 1
        }
    }

    /// git's `is_hfs_dotgit`: `.git` in any case once the code points HFS+ ignores are left out.
    private static func isHFSDotGit(_ name: UnsafePointer<CChar>) -> Bool {
        var i = 0
        for expected in [UInt8(ascii: "."), UInt8(ascii: "g"), UInt8(ascii: "i"), UInt8(ascii: "t")] {
            guard let c = nextHFSCharacter(name, &i), c < 0x80, lower(UInt8(c)) == expected else { return false }
        }
        return nextHFSCharacter(name, &i) == 0
    }

    /// The next code point at `i` that HFS+ does not ignore (0 at the end), or nil for bytes that are not UTF-8.
    private static func nextHFSCharacter(_ name: UnsafePointer<CChar>, _ i: inout Int) -> UInt32? {
        while true {
            let b0 = byte(name, i)
            var scalar: UInt32
            var length: Int
            switch b0 {
            case 0: return 0
            case 0x01..<0x80: scalar = UInt32(b0); length = 1
            case 0xC2..<0xE0: scalar = UInt32(b0 & 0x1F); length = 2
            case 0xE0..<0xF0: scalar = UInt32(b0 & 0x0F); length = 3
            case 0xF0..<0xF5: scalar = UInt32(b0 & 0x07); length = 4
            default: return nil
            }
            for k in 1..<length {
                let b = byte(name, i + k)
                guard b & 0xC0 == 0x80 else { return nil }
                scalar = scalar << 6 | UInt32(b & 0x3F)
            }
            i += length
            switch scalar {
            case 0x200C...0x200F, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF: continue
            default: return scalar
            }
        }
    }

    /// A name for a message: printable ASCII as it is, every other byte as `\xNN`, so that nothing a repository
    /// holds (control characters, bidi overrides, invisible code points) reaches a terminal or a log unescaped.
    static func display(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func display(_ name: UnsafePointer<CChar>) -> String {
        var bytes: [UInt8] = []
        var i = 0
        while name[i] != 0 {
            bytes.append(UInt8(bitPattern: name[i]))
            i += 1
        }
        return display(bytes)
    }
}

extension GitError {
    /// A tree entry git refuses, found under `directory` ("" for the top level) of a revision.
    static func impossibleEntry(in directory: String, name: UnsafePointer<CChar>) -> GitError {
        let shown = TreeEntryName.display(name)
        let place = directory.isEmpty ? "the top-level tree" : "the tree '\(TreeEntryName.display(Array(directory.utf8)))'"
        let what = shown.isEmpty ? "an entry with an empty name" : "an entry named '\(shown)'"
        return GitError(
            kind: .impossibleTreeEntry, code: -1, operation: "read the tree",
            message: "\(place) holds \(what), which git fsck rejects and no checkout can write")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
