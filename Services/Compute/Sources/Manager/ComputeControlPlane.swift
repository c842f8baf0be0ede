import Logging
import Messaging
import Schemas

/// Everything compute tells or asks the rest of Cirrus, behind one protocol so unit tests can
/// record it. ``RPCControlPlane`` is the real one over the conductor and scheduler proxies and
/// the notifier.
public protocol ComputeControlPlane: Sendable {
    /// `conductor.instance_update` (durable cast).
    func instanceUpdate(_ args: InstanceUpdateArguments, context: RequestContext) async throws
    /// `conductor.reschedule_instance` (durable cast).
    func rescheduleInstance(_ args: RescheduleInstanceArguments, context: RequestContext) async throws
    /// `scheduler.update_host_state` (fanout) and `conductor.compute_node_update`.
    func reportResources(_ report: HostReport, context: RequestContext) async throws
    /// `conductor.get_host_instances` (call).
    func hostInstances(host: String, context: RequestContext) async throws -> [HostInstance]
    /// `conductor.update_port_status` (durable cast): `ACTIVE` once plugged, `DOWN` once unplugged.
    func updatePortStatus(portID: String, status: String, host: String, context: RequestContext) async throws
    /// A `compute.instance.*` notification; failures are logged, never thrown.
    func notify(_ eventType: String, payload: InstanceNotificationPayload, context: RequestContext, priority: NotificationPriority) async
}

/// The legacy `compute.instance.*` notification payload (a subset of Nova's).
public struct InstanceNotificationPayload: Encodable, Sendable, Equatable {
    public var instanceID: String
    public var displayName: String
    public var host: String
    public var state: String
    public var stateDescription: String
    public var imageRef: String
    public var instanceType: String
    public var memoryMB: Int
    public var vcpus: Int
    public var rootGB: Int
    public var tenantID: String
    public var userID: String
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case instanceID = "instance_id"
        case displayName = "display_name"
        case host, state
        case stateDescription = "state_description"
        case imageRef = "image_ref_url"
        case instanceType = "instance_type"
        case memoryMB = "memory_mb"
        case vcpus
        case rootGB = "root_gb"
        case tenantID = "tenant_id"
        case userID = "user_id"
        case message
    }

    public init(instance i: InstanceSpec, host: String, state: VMState, taskState: TaskState?, message: String? = nil) {
        instanceID = i.uuid
        displayName = i.name
        self.host = host
        self.state = state.rawValue
        stateDescription = taskState?.rawValue ?? ""
        imageRef = i.image.id
        instanceType = i.flavor.name
        memoryMB = i.flavor.memoryMB
        vcpus = i.flavor.vcpus
        rootGB = i.flavor.rootGB
        tenantID = i.projectID
        userID = i.userID
        self.message = message
    }
}

/// ``ComputeControlPlane`` over RabbitMQ.
public struct RPCControlPlane: ComputeControlPlane {
    public let conductor: ConductorRPCAPI
    public let scheduler: SchedulerRPCAPI
    public let notifier: Notifier
    public let logger: Logger
    /// Timeout of `get_host_instances` (short: a restart must not hang on a missing conductor).
    public let syncTimeout: Double
    /// False unless `[oslo_messaging_notifications] driver` names a driver (messagingv2, messaging); off by default, as in Nova.
    public let notificationsEnabled: Bool

    public init(
        conductor: ConductorRPCAPI, scheduler: SchedulerRPCAPI, notifier: Notifier, logger: Logger, syncTimeout: Double = 10,
        notificationsEnabled: Bool = true
    ) {
        self.notificationsEnabled = notificationsEnabled
        self.conductor = conductor
        self.scheduler = scheduler
        self.notifier = notifier
        self.logger = logger
        self.syncTimeout = syncTimeout
    }

    public func instanceUpdate(_ args: InstanceUpdateArguments, context: RequestContext) async throws {
        try await conductor.instanceUpdate(args, context: context)
    }

    public func rescheduleInstance(_ args: RescheduleInstanceArguments, context: RequestContext) async throws {
        try await conductor.rescheduleInstance(args, context: context)
    }

    public func reportResources(_ report: HostReport, context: RequestContext) async throws {
        try await scheduler.updateHostState(report, context: context)
        try await conductor.computeNodeUpdate(report, context: context)
    }

    public func hostInstances(host: String, context: RequestContext) async throws -> [HostInstance] {
        let r: GetHostInstancesResult = try await conductor.client.prepare(timeout: syncTimeout).call(
            "get_host_instances", GetHostInstancesArguments(host: host), context: context, version: RPCVersion(1, 1))
        return r.instances
    }

    public func updatePortStatus(portID: String, status: String, host: String, context: RequestContext) async throws {
        try await conductor.updatePortStatus(portID: portID, status: status, host: host, context: context)
    }

    public func notify(_ eventType: String, payload: InstanceNotificationPayload, context: RequestContext, priority: NotificationPriority) async {
        guard notificationsEnabled else { return }
        var n = notifier
        n.publisherID = "compute.\(payload.host)"
        do {
            try await n.notify(eventType, payload: payload, context: context, priority: priority)
        } catch {
            logger.warning("Cannot send notification", metadata: ["event.type": "\(eventType)", "error": "\(error)"])
        }
    }
}
