import Foundation
import Logging
@testable import MetadataProxyService
import Schemas
import Synchronization

/// An in-memory conductor: instances by (network, IP), a switch to make it "down", and a
/// count of calls.
final class FakeInstanceSource: InstanceSource {
    struct State {
        var instances: [InstanceMetadata] = []
        var down = false
        var lookups = 0
        var passwords: [String: String] = [:]
    }

    let state = Mutex(State())

    struct Down: Error {}

    init(_ instances: [InstanceMetadata] = []) {
        state.withLock { $0.instances = instances }
    }

    func set(down: Bool) { state.withLock { $0.down = down } }
    var lookups: Int { state.withLock { $0.lookups } }

    func instance(networkID: String, ip: String) async throws -> InstanceMetadata? {
        try state.withLock { s in
            s.lookups += 1
            if s.down { throw Down() }
            return s.instances.first { AddressKey.all(of: $0).contains(AddressKey(networkID: networkID, ip: ip)) }
        }
    }

    func page(marker: String?, limit: Int) async throws -> [InstanceMetadata] {
        try state.withLock { s in
            if s.down { throw Down() }
            return Array(s.instances.sorted { $0.uuid < $1.uuid }.filter { marker == nil || $0.uuid > marker! }.prefix(limit))
        }
    }

    func setPassword(instanceID: String, password: String) async throws -> Bool {
        try state.withLock { s in
            if s.down { throw Down() }
            if s.passwords[instanceID] != nil { return false }
            s.passwords[instanceID] = password
            return true
        }
    }
}

enum TestSupport {
    static var logger: Logger {
        var l = Logger(label: "test.metadata")
        l.logLevel = .critical
        return l
    }

    static func service(
        _ source: FakeInstanceSource, options: MetadataOptions = MetadataOptions(), store: MetadataStore? = nil
    ) async throws -> MetadataService {
        var o = options
        o.tree = MetadataTreeOptions(domain: "novalocal", vendorData: "{}")
        return try await MetadataRuntime.make(options: o, store: try store ?? MetadataStore.inMemory(), source: source, logger: logger)
    }

    /// Runs a request through the service (sync or after the conductor).
    static func run(_ s: MetadataService, _ r: MetadataRequest) async -> MetadataResponse {
        switch s.handle(r) {
        case .done(let resp): return resp
        case .pending(let work): return await work()
        }
    }

    static func get(
        _ s: MetadataService, _ path: String, from ip: String = "10.0.0.4", network: String = Fixtures.networkID,
        method: String = "GET", headers: [(String, String)] = [], body: [UInt8] = []
    ) async -> MetadataResponse {
        await run(s, MetadataRequest(
            method: method, target: path, headers: headers, body: body, peer: ip, listener: .namespace(networkID: network)))
    }
}
