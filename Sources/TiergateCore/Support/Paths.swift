/// File-system paths as the command line gives them: relative ones start at the process's working directory.
package enum Paths {
    /// `path` as it is when absolute, else under `directory`.
    package static func absolute(_ path: String, from directory: String) -> String {
        path.hasPrefix("/") ? path : join(directory, path)
    }

    /// `name` inside `directory`, with one slash between them.
    package static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
