import Synchronization

/// Builds the daemon's ``APIEnvironment`` once, for both the RPC endpoint and the services
/// that ``CirrusDaemon`` asks for separately.
final class EnvironmentCache: Sendable {
    static let shared = EnvironmentCache()
    private let value = Mutex<APIEnvironment?>(nil)

    func get(_ make: () throws -> APIEnvironment) throws -> APIEnvironment {
        try value.withLock { cached in
            if let cached { return cached }
            let made = try make()
            cached = made
            return made
        }
    }
}
