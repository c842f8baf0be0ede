import Messaging
import Schemas

/// Bounds on what one request may ask for.
public enum SelectionLimits {
    /// Highest `max_attempts` accepted (a request or the configuration).
    public static let maxAttempts = 100
    /// Most instances in one `select_destinations`.
    public static let instancesPerRequest = 10_000
}

/// Checks of the scheduler's RPC arguments; each failure is an ``InvalidArguments`` that says
/// what to fix, so bad input is answered, never crashes the scheduler.
public enum RequestValidation {
    public static func check(_ args: SelectDestinationsArguments) throws {
        guard !args.instanceUUIDs.isEmpty else {
            throw InvalidArguments(remoteMessage: "select_destinations needs at least one instance uuid in instance_uuids")
        }
        guard args.instanceUUIDs.count <= SelectionLimits.instancesPerRequest else {
            throw InvalidArguments(remoteMessage: "select_destinations got \(args.instanceUUIDs.count) instances; send at most \(SelectionLimits.instancesPerRequest) per request")
        }
        var seen = Set<String>()
        for uuid in args.instanceUUIDs {
            try checkUUID(uuid, in: "instance_uuids")
            guard seen.insert(uuid).inserted else {
                throw InvalidArguments(remoteMessage: "instance uuid \(uuid) appears twice in instance_uuids; list each instance once")
            }
        }
        if let attempts = args.maxAttempts, !(1...SelectionLimits.maxAttempts).contains(attempts) {
            throw InvalidArguments(remoteMessage: "max_attempts is \(attempts); it must be from 1 to \(SelectionLimits.maxAttempts)")
        }
        try check(args.spec)
    }

    public static func check(_ args: ClaimAlternateArguments) throws {
        try checkUUID(args.instanceUUID, in: "instance_uuid")
        try check(args.spec)
    }

    /// Flavor sizes: at least 1 vCPU and 1 MB of RAM, no negative disk or swap.
    public static func check(_ spec: RequestSpec) throws {
        let f = spec.flavor
        var problems: [String] = []
        if f.vcpus < 1 { problems.append("vcpus \(f.vcpus) (must be at least 1)") }
        if f.memoryMB < 1 { problems.append("memory_mb \(f.memoryMB) (must be at least 1)") }
        if f.rootGB < 0 { problems.append("root_gb \(f.rootGB) (must not be negative)") }
        if f.ephemeralGB < 0 { problems.append("ephemeral_gb \(f.ephemeralGB) (must not be negative)") }
        if f.swapMB < 0 { problems.append("swap_mb \(f.swapMB) (must not be negative)") }
        guard problems.isEmpty else {
            throw InvalidArguments(remoteMessage: "flavor '\(f.name)' (\(f.id)) has invalid " + problems.joined(separator: ", "))
        }
    }

    public static func check(_ report: HostReport) throws {
        guard !report.host.isEmpty, report.host.count <= 255 else {
            throw InvalidArguments(remoteMessage: "update_host_state needs a host name of 1-255 characters")
        }
        let fields = [
            ("vcpus", report.vcpus), ("memory_mb", report.memoryMB), ("local_gb", report.localGB),
            ("vcpus_used", report.vcpusUsed), ("memory_mb_used", report.memoryMBUsed),
            ("local_gb_used", report.localGBUsed), ("running_vms", report.runningVMs),
        ]
        let negative = fields.filter { $0.1 < 0 }.map { "\($0.0) \($0.1)" }
        guard negative.isEmpty else {
            throw InvalidArguments(remoteMessage: "report from host \(report.host) has negative " + negative.joined(separator: ", "))
        }
    }

    public static func checkHost(_ host: String, method: String) throws {
        guard !host.isEmpty, host.count <= 255 else {
            throw InvalidArguments(remoteMessage: "\(method) needs a host name of 1-255 characters")
        }
    }

    static func checkUUID(_ uuid: String, in field: String) throws {
        guard !uuid.isEmpty, uuid.count <= 255 else {
            throw InvalidArguments(remoteMessage: "\(field) must hold instance uuids of 1-255 characters, got '\(uuid.prefix(40))'")
        }
    }
}
