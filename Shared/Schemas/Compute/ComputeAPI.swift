import Messaging

/// The `compute` RPC API, served by cirrus-compute on `compute.<host>`. Every method is a
/// durable cast: compute reports progress with `conductor.instance_update`.
///
/// Other half: the compute manager in `Services/Compute`. Version history:
/// - 1.0: `build_and_run_instance`, `terminate_instance`, `stop_instance`, `start_instance`,
///   `reboot_instance`.
/// - 1.1: `build_and_run_instance`'s interfaces carry `physical_network` and `network_type`;
///   calls `get_console_output` and `get_vnc_console` (real drivers).
public enum ComputeAPI: RPCAPIDescription {
    public static let topic = "compute"
    public static let version = RPCVersion(1, 1)
    public static let methods: [RPCMethodDescription] = [
        RPCMethodDescription("build_and_run_instance", since: RPCVersion(1, 1), .cast, arguments: BuildAndRunInstanceArguments.self),
        RPCMethodDescription("terminate_instance", since: RPCVersion(1, 0), .cast, arguments: InstanceActionArguments.self),
        RPCMethodDescription("stop_instance", since: RPCVersion(1, 0), .cast, arguments: InstanceActionArguments.self),
        RPCMethodDescription("start_instance", since: RPCVersion(1, 0), .cast, arguments: InstanceActionArguments.self),
        RPCMethodDescription("reboot_instance", since: RPCVersion(1, 0), .cast, arguments: RebootInstanceArguments.self),
        RPCMethodDescription("get_console_output", since: RPCVersion(1, 1), .call, arguments: ConsoleOutputArguments.self, result: ConsoleOutputResult.self),
        RPCMethodDescription("get_vnc_console", since: RPCVersion(1, 1), .call, arguments: InstanceActionArguments.self, result: VNCConsoleResult.self),
    ]
}

public struct BuildAndRunInstanceArguments: Codable, Sendable, Equatable {
    public var instance: InstanceSpec
    public var spec: RequestSpec
    /// Where to reschedule if spawning here fails.
    public var alternates: [Selection]
    /// 1 for the first host, 2 for the first reschedule ...
    public var attempt: Int
    /// The request id of the user's create request, for `server event list`.
    public var actionRequestID: String

    public init(instance: InstanceSpec, spec: RequestSpec, alternates: [Selection], attempt: Int = 1, actionRequestID: String) {
        self.instance = instance
        self.spec = spec
        self.alternates = alternates
        self.attempt = attempt
        self.actionRequestID = actionRequestID
    }

    enum CodingKeys: String, CodingKey {
        case instance, spec, alternates, attempt
        case actionRequestID = "action_request_id"
    }
}

public struct InstanceActionArguments: Codable, Sendable, Equatable {
    public var instanceUUID: String
    public var actionRequestID: String

    public init(instanceUUID: String, actionRequestID: String) {
        self.instanceUUID = instanceUUID
        self.actionRequestID = actionRequestID
    }

    enum CodingKeys: String, CodingKey {
        case instanceUUID = "instance_uuid"
        case actionRequestID = "action_request_id"
    }
}

public struct RebootInstanceArguments: Codable, Sendable, Equatable {
    public var instanceUUID: String
    public var rebootType: RebootType
    public var actionRequestID: String

    public init(instanceUUID: String, rebootType: RebootType, actionRequestID: String) {
        self.instanceUUID = instanceUUID
        self.rebootType = rebootType
        self.actionRequestID = actionRequestID
    }

    enum CodingKeys: String, CodingKey {
        case instanceUUID = "instance_uuid"
        case rebootType = "reboot_type"
        case actionRequestID = "action_request_id"
    }
}
