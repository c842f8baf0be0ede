import Messaging
import Schemas

/// What cirrus-api asks of the scheduler; ``SchedulerRPCAPI`` in production, a fake in tests.
public protocol SchedulerClient: Sendable {
    /// Throws ``NoValidHost`` when nothing fits.
    func selectDestinations(_ args: SelectDestinationsArguments, context: Messaging.RequestContext) async throws -> SelectDestinationsResult
    func claimAlternate(_ args: ClaimAlternateArguments, context: Messaging.RequestContext) async throws -> ClaimAlternateResult
    func releaseClaim(instanceUUID: String, context: Messaging.RequestContext) async throws
    func updateService(_ args: UpdateServiceArguments, context: Messaging.RequestContext) async throws
}

/// What cirrus-api casts to computes; ``ComputeRPCAPI`` in production, a fake in tests.
public protocol ComputeClient: Sendable {
    func buildAndRunInstance(host: String, _ args: BuildAndRunInstanceArguments, context: Messaging.RequestContext) async throws
    func terminateInstance(host: String, _ args: InstanceActionArguments, context: Messaging.RequestContext) async throws
    func stopInstance(host: String, _ args: InstanceActionArguments, context: Messaging.RequestContext) async throws
    func startInstance(host: String, _ args: InstanceActionArguments, context: Messaging.RequestContext) async throws
    func rebootInstance(host: String, _ args: RebootInstanceArguments, context: Messaging.RequestContext) async throws
    /// The last `lines` lines of the serial console (a call to `compute.<host>`).
    func getConsoleOutput(host: String, instanceUUID: String, lines: Int?, context: Messaging.RequestContext) async throws -> String
    /// Where the instance's VNC server listens (a call to `compute.<host>`).
    func getVNCConsole(host: String, instanceUUID: String, actionRequestID: String, context: Messaging.RequestContext) async throws -> VNCConsoleResult
}

extension SchedulerRPCAPI: SchedulerClient {}
extension ComputeRPCAPI: ComputeClient {}
