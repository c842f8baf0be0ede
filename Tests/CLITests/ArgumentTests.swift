import ArgumentParser
import Foundation
import Messaging
import Testing
@testable import CLI

@Suite struct ArgumentTests {
    @Test func seedCommandParsesVerbatim() throws {
        let cmd = try CirrusCommand.parseAsRoot(
            ["server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--key-name", "mykey", "--network", "public", "demo"])
        let create = try #require(cmd as? ServerCreateCommand)
        #expect(create.image == "cirros" && create.flavor == "m1.tiny" && create.keyName == "mykey")
        #expect(create.network == ["public"] && create.name == "demo" && !create.waiting.wait)
    }

    @Test func leadingOSOptionsMoveAfterTheCommand() throws {
        let args = GlobalOptions.moveLeadingOptions(["--os-cloud", "c", "--os-region-name=R", "server", "list", "-f", "json"])
        #expect(args == ["server", "list", "-f", "json", "--os-cloud", "c", "--os-region-name=R"])
        let cmd = try #require(try CirrusCommand.parseAsRoot(args) as? ServerListCommand)
        #expect(cmd.cloud.cloud == "c" && cmd.cloud.regionName == "R" && cmd.output.format == .json)
        #expect(GlobalOptions.moveLeadingOptions(["server", "list"]) == ["server", "list"])
    }

    @Test func invalidCombinationsAreRejected() {
        let bad: [[String]] = [
            ["compute", "service", "set", "--disable-reason", "x", "host1", "cirrus-compute"],
            ["compute", "service", "set", "--enable", "--disable", "host1", "cirrus-compute"],
            ["compute", "service", "set", "host1", "cirrus-compute"],
            ["server", "reboot", "--hard", "--soft", "demo"],
            ["server", "create", "--flavor", "m1.tiny", "demo"],
            ["server", "create", "--image", "c", "--flavor", "f", "--nic", "net-id=a,port-id=b", "demo"],
            ["server", "create", "--image", "c", "--flavor", "f", "--property", "novalue", "demo"],
            ["image", "create", "--disk-format", "qcow3", "x"],
            ["image", "create", "--public", "--private", "x"],
            ["server", "list", "-f", "yaml"],
            ["server", "delete"],
            ["keypair", "create", "--public-key", "a", "--private-key", "b", "k"],
        ]
        for args in bad {
            #expect(throws: (any Error).self, "\(args)") { _ = try CirrusCommand.parseAsRoot(args) }
        }
        #expect(CirrusCommand.message(for: catchError { try CirrusCommand.parseAsRoot(bad[0]) })
                == "Cannot specify option --disable-reason without --disable specified.")
    }

    @Test func serviceSetRequests() throws {
        func request(_ a: [String]) throws -> (String, JSONValue) {
            try #require(try CirrusCommand.parseAsRoot(["compute", "service", "set"] + a) as? ComputeServiceSetCommand).request()
        }
        #expect(try request(["--enable", "h", "cirrus-compute"]) == ("os-services/enable", ["host": "h", "binary": "cirrus-compute"]))
        #expect(try request(["--disable", "h", "b"]).0 == "os-services/disable")
        #expect(try request(["--disable", "--disable-reason", "maint", "h", "b"])
                == ("os-services/disable-log-reason", ["host": "h", "binary": "b", "disabled_reason": "maint"]))
    }

    @Test func imageCreateBody() throws {
        let cmd = try #require(try CirrusCommand.parseAsRoot(
            ["image", "create", "--file", "f", "--disk-format", "qcow2", "--container-format", "bare", "--property", "hw_arch=x86_64", "cirros"]) as? ImageCreateCommand)
        #expect(try cmd.createBody() == ["name": "cirros", "disk_format": "qcow2", "container_format": "bare", "hw_arch": "x86_64"])
    }

    @Test func nicSpecs() throws {
        #expect(try NICSpec(parsing: "net-id=n1,v4-fixed-ip=10.0.0.9") == .network(id: "n1", fixedIP: "10.0.0.9"))
        #expect(try NICSpec(parsing: "port-id=p1") == .port(id: "p1"))
        #expect(try NICSpec(parsing: "none") == NICSpec.none)
        #expect(throws: CLIError.self) { try NICSpec(parsing: "net-id=") }
        #expect(throws: CLIError.self) { try NICSpec(parsing: "net-id=a,v4-fixed-ip=1.2.3.4,v6-fixed-ip=::1") }
        #expect(throws: CLIError.self) { try NICSpec(parsing: "port-id=p,v4-fixed-ip=1.2.3.4") }
    }

    @Test func serverCreateBody() throws {
        var r = ServerCreateRequest(name: "demo", imageID: "img", flavorID: "1", keyName: "mykey")
        r.nics = [.network(id: "n1", fixedIP: nil), .network(id: "n2", fixedIP: "10.0.0.9"), .port(id: "p")]
        r.userData = Data("#!/bin/sh\n".utf8)
        r.properties = ["role": "web"]
        let body = try r.body()["server"]
        #expect(body?["networks"] == [["uuid": "n1"], ["uuid": "n2", "fixed_ip": "10.0.0.9"], ["port": "p"]])
        #expect(body?["imageRef"] == "img" && body?["flavorRef"] == "1" && body?["key_name"] == "mykey")
        #expect(body?["user_data"] == .string(Data("#!/bin/sh\n".utf8).base64EncodedString()))
        #expect(body?["metadata"] == ["role": "web"] && body?["min_count"] == 1 && body?["max_count"] == 1)
        #expect(try ServerCreateRequest(name: "d", imageID: "i", flavorID: "f").body()["server"]?["networks"] == nil)
        var auto = ServerCreateRequest(name: "d", imageID: "i", flavorID: "f")
        auto.nics = [.auto]
        #expect(try auto.body()["server"]?["networks"] == "auto")
        auto.nics.append(.network(id: "n", fixedIP: nil))
        #expect(throws: CLIError.self) { try auto.body() }
    }
}

private func catchError(_ f: () throws -> Any) -> any Error {
    do { _ = try f(); return CLIError("no error") } catch { return error }
}
