/// Connection settings for a ``ServiceDatabase``. The defaults suit every Cirrus daemon.
public struct StorageOptions: Sendable {
    /// How long a connection waits for another connection's lock before failing with
    /// `SQLITE_BUSY`. Default 5 seconds.
    public var busyTimeout: Duration
    /// Label of the GRDB dispatch queues (shows in crash logs and debuggers).
    public var label: String?

    /// Creates options; every parameter has the default Cirrus uses.
    public init(busyTimeout: Duration = .seconds(5), label: String? = nil) {
        self.busyTimeout = busyTimeout
        self.label = label
    }

    /// GRDB configuration for these options: busy timeout, foreign keys on, and
    /// `synchronous = NORMAL` on file databases (durable across process crashes in WAL mode;
    /// a power loss may drop the last transactions, never corrupt the file).
    func grdbConfiguration(isFile: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.label = label
        configuration.foreignKeysEnabled = true
        let parts = busyTimeout.components
        configuration.busyMode = .timeout(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
        if isFile {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        return configuration
    }
}
