import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Schemas
import ServiceKit
import Storage
import Synchronization

/// A scheduler stand-in: answers `select_destinations` with the configured hosts (or
/// NoValidHost) and records every call.
final class FakeScheduler: SchedulerClient {
    struct State {
        var hosts: [String] = ["compute1", "compute2", "compute3"]
        var noValidHost: String?
        var alternate: ClaimAlternateResult?
        var selects: [SelectDestinationsArguments] = []
        var claims: [ClaimAlternateArguments] = []
        var releases: [String] = []
        var serviceUpdates: [UpdateServiceArguments] = []
        var contexts: [Messaging.RequestContext] = []
    }
    let state = Mutex(State())

    func selectDestinations(_ args: SelectDestinationsArguments, context: Messaging.RequestContext) async throws -> SelectDestinationsResult {
        let (hosts, failure) = state.withLock { s in
            s.selects.append(args)
            s.contexts.append(context)
            return (s.hosts, s.noValidHost)
        }
        if let failure { throw NoValidHost(remoteMessage: failure) }
        let count = min(hosts.count, args.maxAttempts ?? 3)
        return SelectDestinationsResult(selections: args.instanceUUIDs.map { _ in
            hosts.prefix(count).map { Selection(host: $0, nodename: $0) }
        })
    }

    func claimAlternate(_ args: ClaimAlternateArguments, context: Messaging.RequestContext) async throws -> ClaimAlternateResult {
        state.withLock { s in
            s.claims.append(args)
            return s.alternate ?? ClaimAlternateResult(selection: args.alternates.first, remaining: Array(args.alternates.dropFirst()))
        }
    }

    func releaseClaim(instanceUUID: String, context: Messaging.RequestContext) async throws {
        state.withLock { $0.releases.append(instanceUUID) }
    }

    func updateService(_ args: UpdateServiceArguments, context: Messaging.RequestContext) async throws {
        state.withLock { $0.serviceUpdates.append(args) }
    }
}

/// A compute stand-in recording each cast as `method host uuid`.
final class FakeCompute: ComputeClient {
    let casts = Mutex<[String]>([])
    let builds = Mutex<[BuildAndRunInstanceArguments]>([])

    func buildAndRunInstance(host: String, _ args: BuildAndRunInstanceArguments, context: Messaging.RequestContext) async throws {
        casts.withLock { $0.append("build \(host) \(args.instance.uuid)") }
        builds.withLock { $0.append(args) }
    }
    func terminateInstance(host: String, _ args: InstanceActionArguments, context: Messaging.RequestContext) async throws {
        casts.withLock { $0.append("terminate \(host) \(args.instanceUUID)") }
    }
    func stopInstance(host: String, _ args: InstanceActionArguments, context: Messaging.RequestContext) async throws {
        casts.withLock { $0.append("stop \(host) \(args.instanceUUID)") }
    }
    func startInstance(host: String, _ args: InstanceActionArguments, context: Messaging.RequestContext) async throws {
        casts.withLock { $0.append("start \(host) \(args.instanceUUID)") }
    }
    func rebootInstance(host: String, _ args: RebootInstanceArguments, context: Messaging.RequestContext) async throws {
        casts.withLock { $0.append("reboot-\(args.rebootType.rawValue) \(host) \(args.instanceUUID)") }
    }
    /// What `getConsoleOutput` answers (or throws).
    let console = Mutex<Result<String, RemoteError>>(.success("line1\nline2\n"))
    func getConsoleOutput(host: String, instanceUUID: String, lines: Int?, context: Messaging.RequestContext) async throws -> String {
        casts.withLock { $0.append("console \(host) \(instanceUUID) \(lines.map(String.init) ?? "all")") }
        return try console.withLock { $0 }.get()
    }
    func getVNCConsole(host: String, instanceUUID: String, actionRequestID: String, context: Messaging.RequestContext) async throws -> VNCConsoleResult {
        casts.withLock { $0.append("vnc \(host) \(instanceUUID)") }
        return VNCConsoleResult(host: "127.0.0.1", port: 5900, url: "vnc://127.0.0.1:5900")
    }
}

/// DHCP agent and metadata proxy stand-in recording each notification as `method detail`.
final class FakeNotifications: DHCPAgentNotifying, MetadataNotifying {
    let sent = Mutex<[String]>([])
    let metadata = Mutex<[InstanceMetadata]>([])
    func record(_ s: String) { sent.withLock { $0.append(s) } }
    func networkCreateEnd(_ network: NetworkInfo, context: Messaging.RequestContext) async throws { record("network_create_end \(network.id) ports=\(network.ports.count)") }
    func networkUpdateEnd(_ network: NetworkInfo, context: Messaging.RequestContext) async throws { record("network_update_end \(network.id)") }
    func networkDeleteEnd(networkID: String, context: Messaging.RequestContext) async throws { record("network_delete_end \(networkID)") }
    func subnetCreateEnd(_ subnet: SubnetInfo, context: Messaging.RequestContext) async throws { record("subnet_create_end \(subnet.id)") }
    func subnetUpdateEnd(_ subnet: SubnetInfo, context: Messaging.RequestContext) async throws { record("subnet_update_end \(subnet.id)") }
    func subnetDeleteEnd(subnetID: String, networkID: String, context: Messaging.RequestContext) async throws { record("subnet_delete_end \(subnetID)") }
    func portCreateEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws { record("port_create_end \(port.id)") }
    func portUpdateEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws { record("port_update_end \(port.id)") }
    func portDeleteEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws { record("port_delete_end \(port.id)") }
    func instanceMetadataUpdate(_ instances: [InstanceMetadata], context: Messaging.RequestContext) async throws {
        record("instance_metadata_update \(instances.map(\.uuid).joined(separator: ","))")
        metadata.withLock { $0.append(contentsOf: instances) }
    }
    func instanceMetadataDelete(_ instanceIDs: [String], context: Messaging.RequestContext) async throws {
        record("instance_metadata_delete \(instanceIDs.joined(separator: ","))")
    }
    /// The methods sent so far.
    var methods: [String] { sent.withLock { $0.map { String($0.split(separator: " ")[0]) } } }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// An API over an in-memory database, fake RPC peers and inline background work.
struct TestAPI {
    let environment: APIEnvironment
    let scheduler = FakeScheduler()
    let compute = FakeCompute()
    let clock = TestClock()
    let notifications = FakeNotifications()
    let stateDirectory: String

    /// - Parameter databasePath: an on-disk database (concurrency tests); in-memory when nil.
    init(buildTimeout: Double = 600, databasePath: String? = nil) throws {
        stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cirrus-api-tests-\(UUID().uuidString)").path
        var configuration = APIConfiguration()
        configuration.publicURL = "http://api.test:8774"
        configuration.statePath = stateDirectory
        configuration.tokenTTL = 3600
        configuration.instanceBuildTimeout = buildTimeout
        configuration.serviceDownTime = 60
        configuration.users = [
            UserAccount(name: "admin", password: "s3cret", projectName: "admin", role: "admin"),
            UserAccount(name: "demo", password: "demo", projectName: "demo", role: "member"),
            UserAccount(name: "other", password: "other", projectName: "other", role: "member"),
        ]
        let clock = self.clock
        environment = APIEnvironment(
            configuration: configuration,
            database: try databasePath.map { try ServiceDatabase(path: $0, migrations: APIDatabase.migrations) } ?? .inMemory(migrations: APIDatabase.migrations),
            scheduler: scheduler, compute: compute, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { clock.now() }, inlineBoot: true, dhcp: notifications, metadata: notifications)
    }

    var app: some ApplicationProtocol { Application(router: APIApplication.router(environment)) }

    /// Runs `body` with a test client.
    func run<T: Sendable>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
        try await app.test(.router) { client in try await body(Client(client: client)) }
    }
}

/// A thin client that logs in and speaks JSON.
struct Client: Sendable {
    let client: any TestClientProtocol

    func token(_ user: String, _ password: String, project: String? = nil) async throws -> String {
        let body: JSONValue = [
            "auth": [
                "identity": ["methods": ["password"], "password": ["user": ["name": .string(user), "password": .string(password), "domain": ["name": "Default"]]]],
                "scope": ["project": ["name": .string(project ?? user), "domain": ["name": "Default"]]],
            ]
        ]
        let response = try await send(.post, "/v3/auth/tokens", json: body)
        guard response.status == .created, let token = response.headers[HeaderName("X-Subject-Token")!] else {
            throw TestFailure("login of \(user) answered \(response.status)")
        }
        return token
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: JSONValue? = nil, raw: ByteBuffer? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[HeaderName("X-Auth-Token")!] = token }
        var body = raw
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json.serialized())
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension TestResponse {
    /// The body as JSON (`.null` when it is not JSON).
    var json: JSONValue { (try? JSONValue.parse(Data(body.readableBytesView))) ?? .null }
    var text: String { String(buffer: body) }
}

extension JSONValue {
    /// Member `key` of an object, or element `Int(key)` of an array.
    func at(_ path: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in path {
            if case .array(let a)? = current, let i = Int(key) { current = i < a.count ? a[i] : nil } else { current = current?[key] }
        }
        return current
    }
    var arrayValue: [JSONValue] { if case .array(let a) = self { return a } else { return [] } }
}
