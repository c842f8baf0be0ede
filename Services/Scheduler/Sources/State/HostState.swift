import Foundation
import Schemas

/// What the scheduler knows about one compute host: its last report, its administrative
/// state, and the claims made on it that the report does not show yet.
///
/// Usage seen by the filters is the reported usage plus the in-flight claims: a claim is
/// dropped as soon as a report lists its instance on this host (the report then accounts for
/// it), so nothing is counted twice; instances whose claims were lost (a scheduler restored
/// from an old file, a build from another scheduler) are still covered by the report.
public struct HostState: Sendable, Equatable {
    /// Names, zone and capabilities (shared, immutable; replaced by each report).
    public var identity: HostIdentity
    public var host: String { identity.host }
    public var nodename: String { identity.nodename }
    public var hypervisorType: String { identity.hypervisorType }
    public var hostIP: String { identity.hostIP }
    public var availabilityZone: String { identity.availabilityZone }
    public var capabilities: [String: String] { identity.capabilities }
    /// Canonical architecture the host declares, if any (read by the image-properties filter).
    public var architecture: String? { identity.architecture }
    /// Canonical hypervisor types the host runs.
    public var hypervisorTypes: [String] { identity.hypervisorTypes }
    /// Totals as reported.
    public var vcpus: Int
    public var memoryMB: Int
    public var localGB: Int
    /// Usage as reported.
    public var reported: Resources
    /// Seconds since 1970 of the last report; nil when the host never reported (known only
    /// through `update_service`).
    public var lastReportAt: Double?
    public var disabled: Bool
    public var forcedDown: Bool
    /// Sum of the claims on this host not yet shown by a report.
    public var claimed: Resources

    public init(
        host: String, nodename: String, hypervisorType: String = "", hostIP: String = "", availabilityZone: String = "nova",
        capabilities: [String: String] = [:], vcpus: Int = 0, memoryMB: Int = 0, localGB: Int = 0,
        reported: Resources = .zero, lastReportAt: Double? = nil, disabled: Bool = false, forcedDown: Bool = false,
        claimed: Resources = .zero
    ) {
        identity = HostIdentity(
            host: host, nodename: nodename, hypervisorType: hypervisorType, hostIP: hostIP,
            availabilityZone: availabilityZone, capabilities: capabilities)
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.localGB = localGB
        self.reported = reported
        self.lastReportAt = lastReportAt
        self.disabled = disabled
        self.forcedDown = forcedDown
        self.claimed = claimed
    }

    /// A host known from its report, keeping the administrative state and claims of `previous`.
    public init(report: HostReport, at now: Double, previous: HostState?) {
        self.init(
            host: report.host, nodename: report.nodename, hypervisorType: report.hypervisorType, hostIP: report.hostIP,
            availabilityZone: report.availabilityZone, capabilities: report.capabilities, vcpus: report.vcpus,
            memoryMB: report.memoryMB, localGB: report.localGB,
            reported: Resources(
                vcpus: report.vcpusUsed, memoryMB: report.memoryMBUsed, diskGB: report.localGBUsed,
                instances: report.runningVMs),
            lastReportAt: now, disabled: previous?.disabled ?? false, forcedDown: previous?.forcedDown ?? false,
            claimed: previous?.claimed ?? .zero)
    }

    /// Usage the filters and weighers see: reported plus in-flight claims.
    public var used: Resources { reported + claimed }
    /// RAM not used (before the allocation ratio), what the RAM weigher weighs.
    public var freeRAMMB: Int { memoryMB - reported.memoryMB - claimed.memoryMB }
    /// Instances on the host, including in-flight builds.
    public var instanceCount: Int { reported.instances + claimed.instances }

    /// Reported within `serviceDownTime` seconds of `now` (and not forced down).
    public func isUp(now: Double, serviceDownTime: Double) -> Bool {
        guard !forcedDown, let lastReportAt else { return false }
        return now - lastReportAt <= serviceDownTime
    }

    /// The selection naming this host.
    public var selection: Selection { Selection(host: host, nodename: nodename) }
}
