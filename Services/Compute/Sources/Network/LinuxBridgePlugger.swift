import Logging
import Schemas
import ServiceKit

/// ``VIFPlugging`` into Linux bridges with `ip`: observes the bridge, uplink and tap
/// (`ip -j -d link show`), asks ``VIFPlugPlan`` what to change and runs it. One actor per
/// process, so plugs that share a bridge do not race to create it.
public actor LinuxBridgePlugger: VIFPlugging {
    public let runner: any ProcessRunning
    public let mappings: PhysicalInterfaceMappings
    /// One plug or unplug at a time (the actor alone would interleave them at each `await`).
    private let serial = AsyncSemaphore(1)

    public init(runner: any ProcessRunning, mappings: PhysicalInterfaceMappings) {
        self.runner = runner
        self.mappings = mappings
    }

    public func plug(_ nic: NetworkInterfaceSpec, logger: Logger) async throws {
        try await serialized { try await self.plugNow(nic, logger: logger) }
    }

    public func unplug(_ nic: NetworkInterfaceSpec, logger: Logger) async throws {
        try await serialized { try await self.unplugNow(nic, logger: logger) }
    }

    private func plugNow(_ nic: NetworkInterfaceSpec, logger: Logger) async throws {
        var uplink: LinkState?
        if let name = mappings.interface(for: nic.physicalNetwork) { uplink = try await link(name, logger: logger) }
        let plan = try VIFPlugPlan.plug(
            nic, mappings: mappings, bridge: try await link(nic.bridgeName, logger: logger), uplink: uplink,
            tap: try await link(nic.tapName, logger: logger))
        for warning in plan.warnings {
            logger.warning("VIF plugged without uplink", metadata: ["port.id": "\(nic.portID)", "reason": "\(warning)"])
        }
        try await run(plan, logger: logger)
        logger.info("VIF plugged", metadata: [
            "port.id": "\(nic.portID)", "vif.tap": "\(nic.tapName)", "vif.bridge": "\(nic.bridgeName)",
        ])
    }

    private func unplugNow(_ nic: NetworkInterfaceSpec, logger: Logger) async throws {
        let plan = VIFPlugPlan.unplug(nic, tap: try await link(nic.tapName, logger: logger))
        try await run(plan, logger: logger)
        if !plan.commands.isEmpty {
            logger.info("VIF unplugged", metadata: ["port.id": "\(nic.portID)", "vif.tap": "\(nic.tapName)"])
        }
    }

    private func serialized(_ body: () async throws -> Void) async throws {
        await serial.wait()
        do {
            try await body()
        } catch {
            await serial.signal()
            throw error
        }
        await serial.signal()
    }

    private func run(_ plan: VIFPlugPlan, logger: Logger) async throws {
        for command in plan.commands {
            do {
                try await runner.run(command, logger: logger)
            } catch {
                throw VIFPlugError("cannot plug or unplug a VIF: \(error)")
            }
        }
    }

    /// The link named `name`, or nil when it does not exist.
    public func link(_ name: String, logger: Logger) async throws -> LinkState? {
        do {
            let out = try await runner.run(["ip", "-j", "-d", "link", "show", "dev", name], logger: logger)
            return LinkState.parse(ipJSON: out)
        } catch let failure as ProcessFailure where failure.exitStatus != nil && failure.stderr.contains("does not exist") {
            return nil
        } catch {
            throw VIFPlugError("cannot read link \(name) with `ip` (is iproute2 installed?): \(error)")
        }
    }
}
