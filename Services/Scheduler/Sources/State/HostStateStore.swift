import Logging
import Storage
import Synchronization

/// The scheduler's host states: a ``HostTable`` in memory behind a mutex (every decision is
/// made under it, so concurrent requests never claim the same capacity twice), written
/// through to SQLite.
///
/// Mutations append to the table's journal under the lock; ``flush()`` drains the journal
/// inside a SQLite write transaction. GRDB runs write transactions one at a time, so drained
/// batches commit in the order the changes happened, concurrent callers share commits, and
/// when `flush()` returns every change made before the call is on disk.
public final class HostStateStore: Sendable {
    private let table: Mutex<HostTable>
    public let database: ServiceDatabase
    private let logger: Logger

    /// Restores the table from `database`.
    public init(database: ServiceDatabase, logger: Logger) async throws {
        self.database = database
        self.logger = logger
        table = Mutex(try await SchedulerDatabase.load(database))
    }

    /// Runs `body` on the table under the lock; keep it short and free of I/O.
    public func withTable<R: Sendable>(_ body: (inout HostTable) throws -> R) rethrows -> R {
        try table.withLock { (t: inout HostTable) throws -> R in try body(&t) }
    }

    /// A copy of the current table (tests, diagnostics).
    public var snapshot: HostTable { table.withLock { $0 } }

    /// Writes every journaled change to SQLite. On a write failure the changes stay queued for
    /// the next flush (memory stays authoritative; only crash recovery lags) and the error is
    /// logged, not thrown: the decision already made in memory stands.
    public func flush() async {
        do {
            try await database.write { db in
                let ops = self.table.withLock { t -> [PersistenceOp] in
                    defer { t.journal.removeAll(keepingCapacity: true) }
                    return t.journal
                }
                guard !ops.isEmpty else { return }
                do {
                    try SchedulerDatabase.apply(ops, to: db)
                } catch {
                    self.table.withLock { $0.journal.insert(contentsOf: ops, at: 0) }
                    throw error
                }
            }
        } catch {
            logger.error("Could not write scheduler state to SQLite; will retry", metadata: ["error": "\(error)"])
        }
    }
}
