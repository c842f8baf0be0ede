/// What to do with one network's dnsmasq, given what runs and what should run (Neutron's
/// `reload_allocations` vs `restart`): a pure decision, tested without processes.
public enum DnsmasqAction: Sendable, Equatable {
    /// Nothing changed.
    case none
    /// Not running: plumb the interface, write every file (leases too) and start it.
    case spawn(DnsmasqConfig)
    /// The command line or the DHCP port's addresses changed: stop, then spawn.
    case restart(DnsmasqConfig)
    /// Only host/addn_hosts/opts changed: rewrite those, release the leases of removed
    /// reservations, SIGHUP.
    case reload(DnsmasqConfig, releases: [DnsmasqHostEntry])
    /// The network is no longer served: stop dnsmasq and remove its namespace and files.
    case stop

    /// - Parameters:
    ///   - applied: the configuration the running dnsmasq was started with / last reloaded to.
    ///   - running: whether that dnsmasq is alive.
    ///   - desired: what the network needs now; nil when it needs no dnsmasq.
    public static func decide(applied: DnsmasqConfig?, running: Bool, desired: DnsmasqConfig?) -> DnsmasqAction {
        guard let desired else { return applied == nil && !running ? .none : .stop }
        guard let applied, running else { return .spawn(desired) }
        if applied.commandLine != desired.commandLine || applied.interface != desired.interface { return .restart(desired) }
        if applied.files == desired.files { return .none }
        return .reload(desired, releases: removedReservations(from: applied.hosts, to: desired.hosts))
    }

    /// Reservations (MAC + IP) present before and gone now: their leases are released.
    public static func removedReservations(from old: [DnsmasqHostEntry], to new: [DnsmasqHostEntry]) -> [DnsmasqHostEntry] {
        let kept = Set(new.map { $0.mac + " " + $0.ip })
        return old.filter { !kept.contains($0.mac + " " + $0.ip) }
    }
}
