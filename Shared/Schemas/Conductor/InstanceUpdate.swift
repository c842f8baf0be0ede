/// A state change compute reports for an instance (cast, at least once: idempotent).
public struct InstanceUpdateArguments: Codable, Sendable, Equatable {
    public var instanceUUID: String
    public var host: String?
    public var vmState: VMState?
    /// The new task state; only applied when ``updatesTaskState`` (nil then clears it).
    public var taskState: TaskState?
    public var updatesTaskState: Bool
    public var powerState: PowerState?
    /// Set when the instance failed: shown as the server's `fault`.
    public var fault: InstanceFault?
    /// Appended to the instance action's events (`server event list`).
    public var event: InstanceActionEvent?
    /// Seconds since the epoch, when the instance became ACTIVE.
    public var launchedAt: Double?

    public init(
        instanceUUID: String, host: String? = nil, vmState: VMState? = nil, taskState: TaskState? = nil,
        updatesTaskState: Bool = false, powerState: PowerState? = nil, fault: InstanceFault? = nil,
        event: InstanceActionEvent? = nil, launchedAt: Double? = nil
    ) {
        self.instanceUUID = instanceUUID
        self.host = host
        self.vmState = vmState
        self.taskState = taskState
        self.updatesTaskState = updatesTaskState
        self.powerState = powerState
        self.fault = fault
        self.event = event
        self.launchedAt = launchedAt
    }

    enum CodingKeys: String, CodingKey {
        case instanceUUID = "instance_uuid"
        case host
        case vmState = "vm_state"
        case taskState = "task_state"
        case updatesTaskState = "updates_task_state"
        case powerState = "power_state"
        case fault, event
        case launchedAt = "launched_at"
    }
}

/// Why an instance is in ERROR (Nova's instance fault).
public struct InstanceFault: Codable, Sendable, Equatable {
    public var code: Int
    public var message: String
    public var details: String

    public init(code: Int = 500, message: String, details: String = "") {
        self.code = code
        self.message = message
        self.details = details
    }
}

/// One event of an instance action (`compute__do_build_and_run_instance`, Success/Error).
public struct InstanceActionEvent: Codable, Sendable, Equatable {
    /// The request id of the action this event belongs to.
    public var requestID: String
    public var name: String
    public var host: String
    /// Seconds since the epoch.
    public var startTime: Double
    public var finishTime: Double?
    /// `Success` or `Error`, nil while running.
    public var result: String?
    public var traceback: String?

    public init(requestID: String, name: String, host: String, startTime: Double, finishTime: Double? = nil, result: String? = nil, traceback: String? = nil) {
        self.requestID = requestID
        self.name = name
        self.host = host
        self.startTime = startTime
        self.finishTime = finishTime
        self.result = result
        self.traceback = traceback
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case name, host
        case startTime = "start_time"
        case finishTime = "finish_time"
        case result, traceback
    }
}

/// Spawning failed on `failedHost`: try the next alternate.
public struct RescheduleInstanceArguments: Codable, Sendable, Equatable {
    public var build: BuildAndRunInstanceArguments
    public var failedHost: String
    public var reason: String

    public init(build: BuildAndRunInstanceArguments, failedHost: String, reason: String) {
        self.build = build
        self.failedHost = failedHost
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case build
        case failedHost = "failed_host"
        case reason
    }
}

public struct ComputeNodeUpdateArguments: Codable, Sendable, Equatable {
    public var report: HostReport

    public init(report: HostReport) {
        self.report = report
    }
}

public struct GetHostInstancesArguments: Codable, Sendable, Equatable {
    public var host: String

    public init(host: String) {
        self.host = host
    }
}

/// The instances cirrus-api has on a host, for compute's reconciliation at start.
public struct GetHostInstancesResult: Codable, Sendable, Equatable {
    public var instances: [HostInstance]

    public init(instances: [HostInstance]) {
        self.instances = instances
    }
}

public struct HostInstance: Codable, Sendable, Equatable {
    public var uuid: String
    public var vmState: VMState
    public var taskState: TaskState?
    public var powerState: PowerState?

    public init(uuid: String, vmState: VMState, taskState: TaskState? = nil, powerState: PowerState? = nil) {
        self.uuid = uuid
        self.vmState = vmState
        self.taskState = taskState
        self.powerState = powerState
    }

    enum CodingKeys: String, CodingKey {
        case uuid
        case vmState = "vm_state"
        case taskState = "task_state"
        case powerState = "power_state"
    }
}
