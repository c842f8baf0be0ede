import Foundation
import Messaging
import Schemas
import Testing

/// Every method's wire schema, fingerprinted. When a test here fails because a schema
/// changed: bump the API's minor version, set the method's `since` to it, add fixtures under
/// `Fixtures/<topic>/<new version>/`, and append the new fingerprint to the method's history.
/// Never edit an existing history entry: old peers still send those shapes.
let fingerprintHistory: [String: [String]] = [
    "conductor.report_state": ["1.0-54e8e4d952dc165c"],
    "compute.build_and_run_instance": ["1.0-f4ce3c8ae5d8ddb4", "1.1-da7072f1a6876be3"],
    "compute.reboot_instance": ["1.0-147e04fc016ea06c"],
    "compute.start_instance": ["1.0-c7d42fa1ac0d3777"],
    "compute.stop_instance": ["1.0-c7d42fa1ac0d3777"],
    "compute.terminate_instance": ["1.0-c7d42fa1ac0d3777"],
    "conductor.compute_node_update": ["1.1-ab2bd65285808138"],
    "conductor.get_host_instances": ["1.1-3e4198f87ea19f2d"],
    "conductor.instance_update": ["1.1-8c61b89e34cf23f2"],
    "conductor.reschedule_instance": ["1.1-5f2d0dd1595ea24c", "1.2-d00d01de9ae5bfb7"],
    "scheduler.claim_alternate": ["1.0-cfd1cb3a82907a5e"],
    "scheduler.release_claim": ["1.0-2e811b08420b5628"],
    "scheduler.select_destinations": ["1.0-04e4934d0712c0c3"],
    "scheduler.update_host_state": ["1.0-ab2bd65285808138"],
    "scheduler.update_service": ["1.0-4cb88e73b31593c7"],
    "compute.get_console_output": ["1.1-e57139f2f4b4f88b"],
    "compute.get_vnc_console": ["1.1-95742f694685fdfc"],
    "conductor.create_dhcp_port": ["1.2-6262b4b6f10a2261"],
    "conductor.get_active_networks_info": ["1.2-7916cc02315230c6"],
    "conductor.get_instance_metadata": ["1.2-dd3b5af40b127f01"],
    "conductor.get_network_info": ["1.2-44dbced96594875c"],
    "conductor.list_instance_metadata": ["1.2-682d2ccbd823f800"],
    "conductor.release_dhcp_port": ["1.2-979d8f2117ea78d6"],
    "conductor.set_instance_password": ["1.2-0fefeb3ba2eb5461"],
    "conductor.update_port_status": ["1.2-3ae5d5ab8a88baf4"],
    "dhcp_agent.network_create_end": ["1.0-bfac7efa0ed39510"],
    "dhcp_agent.network_delete_end": ["1.0-3a923d2532cc209d"],
    "dhcp_agent.network_update_end": ["1.0-bfac7efa0ed39510"],
    "dhcp_agent.port_create_end": ["1.0-bd46c287d938e231"],
    "dhcp_agent.port_delete_end": ["1.0-19c1db0c4be7cf6a"],
    "dhcp_agent.port_update_end": ["1.0-bd46c287d938e231"],
    "dhcp_agent.subnet_create_end": ["1.0-0e4bdd495c3e7a41"],
    "dhcp_agent.subnet_delete_end": ["1.0-95d52e8658ba2511"],
    "dhcp_agent.subnet_update_end": ["1.0-0e4bdd495c3e7a41"],
    "metadata.instance_metadata_delete": ["1.0-d1fff478b235cf7f"],
    "metadata.instance_metadata_update": ["1.0-75f3d23858ff3ed1"],
]

struct SchemaCompatibilityTests {
    static func currentFingerprint(_ m: RPCMethodDescription) throws -> String {
        let args = try SchemaShape.describe(m.arguments)
        let result = try SchemaShape.describe(m.result)
        return "\(m.since)-" + SchemaFingerprint.of(shape: args + "->" + result)
    }

    @Test func everyMethodMatchesItsLatestFingerprint() throws {
        for api in SchemaRegistry.apis {
            for m in api.methods {
                let key = "\(api.topic).\(m.name)"
                let current = try Self.currentFingerprint(m)
                guard let history = fingerprintHistory[key] else {
                    Issue.record("no fingerprint history for \(key); add \"\(key)\": [\"\(current)\"]")
                    continue
                }
                #expect(
                    history.last == current,
                    "schema of \(key) changed (now \(current)): bump \(api).version, set since, add fixtures, append the fingerprint")
            }
        }
    }

    @Test func historyVersionsAreDistinctAndIncreasing() throws {
        for (key, history) in fingerprintHistory {
            let versions = try history.map { entry in
                try #require(RPCVersion(String(entry.split(separator: "-")[0])), "bad entry \(entry) for \(key)")
            }
            #expect(versions == versions.sorted() && Set(versions).count == versions.count, "\(key): \(history)")
        }
    }

    @Test func methodVersionsAreWithinTheirAPIVersion() {
        for api in SchemaRegistry.apis {
            for m in api.methods {
                #expect(api.version.canServe(m.since), "\(api.topic).\(m.name) since \(m.since) > \(api.version)")
            }
        }
    }

    static var fixturesRoot: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    /// Every golden fixture of every version still decodes with today's types.
    @Test func everyFixtureOfEveryVersionDecodes() throws {
        var decoded = 0
        for api in SchemaRegistry.apis {
            let topicDir = Self.fixturesRoot.appendingPathComponent(api.topic)
            let versions = try FileManager.default.contentsOfDirectory(atPath: topicDir.path)
            for v in versions {
                let dir = topicDir.appendingPathComponent(v)
                for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".json") {
                    let parts = file.split(separator: ".")
                    let method = try #require(api.methods.first { $0.name == String(parts[0]) }, "fixture \(api.topic)/\(v)/\(file) names no method")
                    let data = try Data(contentsOf: dir.appendingPathComponent(file))
                    let type = parts[1] == "args" ? method.arguments : method.result
                    #expect(throws: Never.self, "\(api.topic)/\(v)/\(file)") { _ = try JSONDecoder().decode(type, from: data) }
                    decoded += 1
                }
            }
        }
        #expect(decoded > 0)
    }

    /// Each method has fixtures for the version that introduced its current shape.
    @Test func everyMethodHasFixturesAtItsVersion() {
        for api in SchemaRegistry.apis {
            for m in api.methods {
                let base = Self.fixturesRoot.appendingPathComponent("\(api.topic)/\(m.since)/\(m.name)")
                #expect(FileManager.default.fileExists(atPath: base.path + ".args.json"), "missing \(api.topic)/\(m.since)/\(m.name).args.json")
                #expect(FileManager.default.fileExists(atPath: base.path + ".result.json"), "missing \(api.topic)/\(m.since)/\(m.name).result.json")
            }
        }
    }

    /// A fixture decodes to the same value when re-encoded (no field silently dropped).
    @Test func reportStateRoundTrips() throws {
        let data = try Data(contentsOf: Self.fixturesRoot.appendingPathComponent("conductor/1.0/report_state.args.json"))
        let args = try JSONDecoder().decode(ReportStateArguments.self, from: data)
        #expect(args.service.reportCount == 7)
        let again = try JSONDecoder().decode(ReportStateArguments.self, from: JSONEncoder().encode(args))
        #expect(again == args)
    }
}
