/// Opens a repository and resolves a revision, turning libgit2 failures into tool failures with a fix.
package enum RevisionReader {
    package static func open(_ repository: String?, cwd: String) throws(TiergateError) -> Repository {
        let start = repository.map { Linter.absolute($0, from: cwd) } ?? cwd
        do { return try Repository(discoverFrom: start) } catch { throw .opening(start, error) }
    }

    package static func resolve(_ repo: Repository, _ revision: String) throws(TiergateError) -> ObjectID {
        do { return try repo.resolveCommit(revision) } catch {
            throw .resolving(revision, error, shallow: repo.isShallow)
        }
    }

    package static func open(_ repository: String?, revision: String, cwd: String) throws(TiergateError) -> (Repository, ObjectID) {
        let repo = try open(repository, cwd: cwd)
        return (repo, try resolve(repo, revision))
    }
}
