import Foundation
import Logging
import Messaging
import Schemas
import ServiceLifecycle

/// Reports the service's state to `conductor` every `report_interval` (Nova's servicegroup
/// `db` driver). A lost conductor is logged once, and its return once, not every interval.
public struct HeartbeatService: Service {
    public let conductor: ConductorRPCAPI
    public let binary: String
    public let host: String
    public let topic: String
    public let interval: Double
    public let logger: Logger
    /// Called with each answer (e.g. to resync after `revived`).
    public let onReply: @Sendable (ServiceStateReply) async -> Void
    /// Waited for before the first report (the daemon's own RPC server being up).
    public let startAfter: ReadySignal?

    public init(
        conductor: ConductorRPCAPI, binary: String, host: String, topic: String, interval: Double, logger: Logger,
        startAfter: ReadySignal? = nil, onReply: @escaping @Sendable (ServiceStateReply) async -> Void = { _ in }
    ) {
        self.startAfter = startAfter
        self.conductor = conductor
        self.binary = binary
        self.host = host
        self.topic = topic
        self.interval = interval
        self.logger = logger
        self.onReply = onReply
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.loop() }
    }

    private func loop() async throws {
        await startAfter?.wait()
        var count = 0
        var lost = false
        var reported = false  // whether the conductor ever answered this process
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            count += 1
            let context = RequestContext.service(binary)
            let report = ServiceReport(binary: binary, host: host, topic: topic, reportCount: count, version: CirrusVersion.string)
            do {
                let reply = try await conductor.reportState(report, context: context, timeout: max(interval, 1))
                if lost {
                    logger.info(
                        reported ? "Service status reporting recovered" : "Conductor reached, reporting service status",
                        metadata: ["request.id": "\(context.requestID)"])
                    lost = false
                }
                reported = true
                if reply.revived {
                    logger.info("Conductor had marked this service down", metadata: ["request.id": "\(context.requestID)"])
                }
                await onReply(reply)
            } catch {
                if !lost {
                    // Before the first answer the conductor may simply not have started yet.
                    logger.warning(
                        reported ? "Lost connection to conductor for reporting service status"
                            : "Cannot reach conductor yet for reporting service status",
                        metadata: ["request.id": "\(context.requestID)", "error": "\(error)"])
                    lost = true
                }
            }
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }
}

/// The Cirrus software version reported in heartbeats and `--version`.
public enum CirrusVersion {
    public static let string = "0.1.0"
}
