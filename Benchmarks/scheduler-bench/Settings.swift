import Foundation
import Schemas

/// Command-line settings (`--hosts`, `--requests`, `--concurrency`, `--transport-url`).
struct BenchSettings {
    var hosts = 1_000
    var requests = 20_000
    var concurrency = 4
    var transportURL: String?

    init(arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        while let arg = it.next() {
            switch arg {
            case "--hosts": hosts = Int(it.next() ?? "") ?? hosts
            case "--requests": requests = Int(it.next() ?? "") ?? requests
            case "--concurrency": concurrency = max(1, Int(it.next() ?? "") ?? concurrency)
            case "--transport-url": transportURL = it.next()
            default:
                FileHandle.standardError.write(Data("unknown argument \(arg); use --hosts N --requests N --concurrency N --transport-url URL\n".utf8))
                exit(2)
            }
        }
    }
}

/// Synthetic compute hosts: varied usage so the weighers have something to sort, three zones
/// in the data but requests without a zone.
enum SyntheticCloud {
    static func report(_ index: Int) -> HostReport {
        HostReport(
            host: "compute-\(index)", nodename: "compute-\(index)", hypervisorType: "qemu", hostIP: "127.0.0.1",
            vcpus: 64, memoryMB: 262_144, localGB: 4_000, vcpusUsed: index % 32, memoryMBUsed: (index % 97) * 1_024,
            localGBUsed: (index % 53) * 20, runningVMs: index % 32, availabilityZone: "az-\(index % 3)",
            capabilities: ["hw_architecture": "x86_64"])
    }

    static let spec = RequestSpec(
        projectID: "bench",
        flavor: FlavorSpec(id: "2", name: "m1.small", vcpus: 1, memoryMB: 2_048, rootGB: 20),
        image: ImageSpec(id: "cirros", name: "cirros", properties: ["hw_architecture": "x86_64"]))
}
