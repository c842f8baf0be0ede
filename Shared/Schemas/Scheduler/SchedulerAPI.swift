import Messaging

/// The `scheduler` RPC API, served by cirrus-scheduler.
///
/// Other half: the scheduler manager in `Services/Scheduler`. Version history:
/// - 1.0: `select_destinations` (call, claims), `claim_alternate` (call, for reschedules),
///   `release_claim` (cast), `update_host_state` (fanout cast from computes),
///   `update_service` (fanout cast from cirrus-api when a service is enabled/disabled).
public enum SchedulerAPI: RPCAPIDescription {
    public static let topic = "scheduler"
    public static let version = RPCVersion(1, 0)
    public static let methods: [RPCMethodDescription] = [
        RPCMethodDescription("select_destinations", since: RPCVersion(1, 0), .call, arguments: SelectDestinationsArguments.self, result: SelectDestinationsResult.self),
        RPCMethodDescription("claim_alternate", since: RPCVersion(1, 0), .call, arguments: ClaimAlternateArguments.self, result: ClaimAlternateResult.self),
        RPCMethodDescription("release_claim", since: RPCVersion(1, 0), .cast, arguments: ReleaseClaimArguments.self),
        RPCMethodDescription("update_host_state", since: RPCVersion(1, 0), .fanout, arguments: UpdateHostStateArguments.self),
        RPCMethodDescription("update_service", since: RPCVersion(1, 0), .fanout, arguments: UpdateServiceArguments.self),
    ]
}

/// What to place: Nova's RequestSpec, reduced to what the filters read.
public struct RequestSpec: Codable, Sendable, Equatable {
    public var projectID: String
    public var flavor: FlavorSpec
    public var image: ImageSpec
    public var availabilityZone: String?
    /// Hosts not to use (e.g. the one a reschedule comes from).
    public var ignoreHosts: [String]
    /// Only these hosts, if set (admin's `--host`).
    public var forceHosts: [String]

    public init(projectID: String, flavor: FlavorSpec, image: ImageSpec, availabilityZone: String? = nil, ignoreHosts: [String] = [], forceHosts: [String] = []) {
        self.projectID = projectID
        self.flavor = flavor
        self.image = image
        self.availabilityZone = availabilityZone
        self.ignoreHosts = ignoreHosts
        self.forceHosts = forceHosts
    }

    enum CodingKeys: String, CodingKey {
        case projectID = "project_id"
        case flavor, image
        case availabilityZone = "availability_zone"
        case ignoreHosts = "ignore_hosts"
        case forceHosts = "force_hosts"
    }
}

/// One destination: a compute host and node.
public struct Selection: Codable, Sendable, Equatable, Hashable {
    public var host: String
    public var nodename: String

    public init(host: String, nodename: String) {
        self.host = host
        self.nodename = nodename
    }
}

public struct SelectDestinationsArguments: Codable, Sendable, Equatable {
    public var spec: RequestSpec
    public var instanceUUIDs: [String]
    /// Alternates returned per instance = `maxAttempts - 1`.
    public var maxAttempts: Int?

    public init(spec: RequestSpec, instanceUUIDs: [String], maxAttempts: Int? = nil) {
        self.spec = spec
        self.instanceUUIDs = instanceUUIDs
        self.maxAttempts = maxAttempts
    }

    enum CodingKeys: String, CodingKey {
        case spec
        case instanceUUIDs = "instance_uuids"
        case maxAttempts = "max_attempts"
    }
}

/// Per instance (same order as the request): the claimed host first, then unclaimed alternates.
public struct SelectDestinationsResult: Codable, Sendable, Equatable {
    public var selections: [[Selection]]

    public init(selections: [[Selection]]) {
        self.selections = selections
    }
}

public struct ClaimAlternateArguments: Codable, Sendable, Equatable {
    public var instanceUUID: String
    public var spec: RequestSpec
    /// Try these in order; the first that still fits is claimed.
    public var alternates: [Selection]

    public init(instanceUUID: String, spec: RequestSpec, alternates: [Selection]) {
        self.instanceUUID = instanceUUID
        self.spec = spec
        self.alternates = alternates
    }

    enum CodingKeys: String, CodingKey {
        case instanceUUID = "instance_uuid"
        case spec, alternates
    }
}

/// The claimed alternate and those left after it; nil when none fits (NoValidHost).
public struct ClaimAlternateResult: Codable, Sendable, Equatable {
    public var selection: Selection?
    public var remaining: [Selection]

    public init(selection: Selection?, remaining: [Selection]) {
        self.selection = selection
        self.remaining = remaining
    }
}

public struct ReleaseClaimArguments: Codable, Sendable, Equatable {
    public var instanceUUID: String

    public init(instanceUUID: String) {
        self.instanceUUID = instanceUUID
    }

    enum CodingKeys: String, CodingKey { case instanceUUID = "instance_uuid" }
}

public struct UpdateHostStateArguments: Codable, Sendable, Equatable {
    public var report: HostReport

    public init(report: HostReport) {
        self.report = report
    }
}

public struct UpdateServiceArguments: Codable, Sendable, Equatable {
    public var host: String
    public var disabled: Bool
    public var forcedDown: Bool

    public init(host: String, disabled: Bool, forcedDown: Bool = false) {
        self.host = host
        self.disabled = disabled
        self.forcedDown = forcedDown
    }

    enum CodingKeys: String, CodingKey {
        case host, disabled
        case forcedDown = "forced_down"
    }
}

/// No host passed the filters; the message says how many hosts each filter removed.
public struct NoValidHost: RemoteErrorConvertible, CustomStringConvertible {
    public static let remoteClassName = "NoValidHost"
    public static let remoteModule = "cirrus.exception"
    public let remoteMessage: String
    public init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
    public var description: String { "No valid host was found. \(remoteMessage)" }
}
