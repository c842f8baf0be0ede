import Schemas

/// The `ip` commands that plug or unplug one VIF, decided from the links as they are (os-vif's
/// linux bridge plugin with the Neutron linuxbridge agent's bridge handling). Pure: the
/// plugger observes the links, asks for a plan, and runs it.
///
/// Plugging makes sure that the bridge `brq<network id[:11]>` exists and is up, that the
/// physical network's mapped interface (if any, and only that one) is its uplink, and that
/// the tap `tap<port id[:11]>` exists (`ip tuntap add ... mode tap`), has the port's MTU, is
/// in the bridge and is up. Every step is skipped when already true, so a plan for a plugged
/// VIF is empty. Unplugging deletes the tap and leaves the bridge (as Nova/os-vif do).
public struct VIFPlugPlan: Sendable, Equatable {
    /// `ip` command lines, in order.
    public var commands: [[String]]
    /// Things an operator should fix that do not stop the plug (a missing uplink).
    public var warnings: [String]

    public init(commands: [[String]] = [], warnings: [String] = []) {
        self.commands = commands
        self.warnings = warnings
    }

    /// - Parameters: the observed links (nil: does not exist).
    /// - Throws: ``VIFPlugError`` when a name is taken by a link of another kind.
    public static func plug(
        _ nic: NetworkInterfaceSpec, mappings: PhysicalInterfaceMappings, bridge: LinkState?, uplink: LinkState?, tap: LinkState?
    ) throws -> VIFPlugPlan {
        var plan = VIFPlugPlan()
        let br = nic.bridgeName, tapName = nic.tapName
        if let bridge {
            guard bridge.kind == "bridge" else {
                throw VIFPlugError("link \(br) exists but is a \(bridge.kind ?? "plain device"), not a bridge: remove it or rename it")
            }
            if !bridge.isUp { plan.commands.append(["ip", "link", "set", "dev", br, "up"]) }
        } else {
            plan.commands.append(["ip", "link", "add", "name", br, "type", "bridge"])
            plan.commands.append(["ip", "link", "set", "dev", br, "up"])
        }
        plan.planUplink(nic, mappings: mappings, uplink: uplink)
        if let tap {
            guard tap.kind == "tun" else {
                throw VIFPlugError("link \(tapName) exists but is a \(tap.kind ?? "plain device"), not a tap: remove it")
            }
            if tap.master != br || !tap.isUp || tap.mtu != nic.mtu {
                plan.commands.append(["ip", "link", "set", "dev", tapName, "mtu", "\(nic.mtu)", "master", br, "up"])
            }
        } else {
            plan.commands.append(["ip", "tuntap", "add", "dev", tapName, "mode", "tap"])
            plan.commands.append(["ip", "link", "set", "dev", tapName, "mtu", "\(nic.mtu)", "master", br, "up"])
        }
        return plan
    }

    /// Deletes the tap if it exists; the bridge stays (other ports, the DHCP port, may use it).
    public static func unplug(_ nic: NetworkInterfaceSpec, tap: LinkState?) -> VIFPlugPlan {
        guard tap != nil else { return VIFPlugPlan() }
        return VIFPlugPlan(commands: [["ip", "link", "del", "dev", nic.tapName]])
    }

    /// The uplink: only the interface mapped to the network's physical network, and only
    /// when it is free or already in this bridge.
    private mutating func planUplink(_ nic: NetworkInterfaceSpec, mappings: PhysicalInterfaceMappings, uplink: LinkState?) {
        let br = nic.bridgeName
        guard let physnet = nic.physicalNetwork else { return }
        guard let name = mappings.interface(for: physnet) else {
            warnings.append(
                "no [linux_bridge] physical_interface_mappings entry for physical network '\(physnet)': bridge \(br) has no uplink")
            return
        }
        guard let uplink else {
            warnings.append(
                "interface \(name) mapped to physical network '\(physnet)' does not exist: bridge \(br) has no uplink")
            return
        }
        if let master = uplink.master, master != br {
            warnings.append("interface \(name) is already in bridge \(master), not moved into \(br): bridge \(br) has no uplink")
            return
        }
        if uplink.master != br || !uplink.isUp {
            commands.append(["ip", "link", "set", "dev", name, "master", br, "up"])
        }
    }
}
