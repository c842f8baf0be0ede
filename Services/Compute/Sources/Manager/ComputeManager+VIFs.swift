import Logging
import Messaging
import Schemas

extension ComputeManager {
    /// Port status values Neutron uses.
    static let portActive = "ACTIVE", portDown = "DOWN"

    /// Plugs every VIF of `instance` (before the driver starts the guest).
    func plugVIFs(_ instance: InstanceSpec, logger: Logger) async throws {
        guard let vifs else { return }
        for nic in instance.networks {
            try await vifs.plug(nic, logger: logger.with("port.id", nic.portID))
        }
    }

    /// Unplugs every VIF of `instance`; failures are logged (a delete must not stop on a tap).
    func unplugVIFs(_ instance: InstanceSpec, logger: Logger) async {
        guard let vifs else { return }
        for nic in instance.networks {
            do {
                try await vifs.unplug(nic, logger: logger)
            } catch {
                logger.warning("Cannot unplug VIF", metadata: ["port.id": "\(nic.portID)", "error": "\(error)"])
            }
        }
    }

    /// Tells the conductor the ports of `instance` are `status` (`ACTIVE`/`DOWN`); failures are
    /// logged: the port status is informational and the next plug reports again.
    func reportPorts(_ instance: InstanceSpec, status: String, context: RequestContext, logger: Logger) async {
        for nic in instance.networks {
            do {
                try await control.updatePortStatus(portID: nic.portID, status: status, host: host, context: context)
            } catch {
                logger.warning("Cannot report port status", metadata: [
                    "port.id": "\(nic.portID)", "port.status": "\(status)", "error": "\(error)",
                ])
            }
        }
    }
}

extension Logger {
    /// A copy with one more metadata value.
    func with(_ key: String, _ value: String) -> Logger {
        var l = self
        l[metadataKey: key] = "\(value)"
        return l
    }
}
