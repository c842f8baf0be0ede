/// Runs an action on each named resource, reporting failures as openstackclient does
/// (`Failed to delete server with name or ID 'x': …`, then `1 of 2 servers failed to delete.`).
enum Batch {
    static func run(
        _ idents: [String], resource: String, verb: String, _ action: (String) async throws -> Void
    ) async throws {
        var failed = 0
        for ident in idents {
            do {
                try await action(ident)
            } catch {
                failed += 1
                Stderr.write("Failed to \(verb) \(resource) with name or ID '\(ident)': \(error)\n")
            }
        }
        if failed > 0 {
            let noun = idents.count == 1 ? resource : resource + "s"
            throw CLIError("\(failed) of \(idents.count) \(noun) failed to \(verb).")
        }
    }
}
