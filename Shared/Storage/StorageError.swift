/// A failure to open, migrate or use a service's local SQLite database.
///
/// Errors are a struct over a private code enum so cases can be added without breaking callers:
/// test the kind with the `is…` properties, and show ``description``, which names the path,
/// says what went wrong and what to do about it.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    enum Code: Sendable, Equatable {
        case notWritable
        case openFailed
        case migrationFailed
        case databaseFromNewerRelease
        case missingTable
        case invalidArgument
    }

    let code: Code
    /// Database file path, or `":memory:"`, when the failure concerns one.
    public let path: String?
    /// Human-readable explanation, including what to do about it.
    public let message: String
    /// The GRDB or file-system error underneath, if any.
    public let underlying: (any Error)?

    init(_ code: Code, path: String?, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.underlying = underlying
    }

    /// The database file or its directory cannot be created or written.
    public var isNotWritable: Bool { code == .notWritable }
    /// SQLite refused to open the file (corrupt, not a database, locked exclusively...).
    public var isOpenFailed: Bool { code == .openFailed }
    /// A migration threw; the database is left at the last migration that committed.
    public var isMigrationFailed: Bool { code == .migrationFailed }
    /// The file was migrated by a newer release that knows migrations this one does not.
    public var isDatabaseFromNewerRelease: Bool { code == .databaseFromNewerRelease }
    /// A helper's table (for example `processed_messages`) is missing from the schema.
    public var isMissingTable: Bool { code == .missingTable }
    /// A caller passed a value the helper cannot store (for example an empty message id).
    public var isInvalidArgument: Bool { code == .invalidArgument }

    public var description: String {
        guard let underlying else { return message }
        return "\(message) (underlying error: \(underlying))"
    }
}
