import ArgumentParser
import Foundation
import Messaging
import Testing
@testable import CLI

@Suite struct NetworkArgumentTests {
    private func parse<T>(_ args: [String], as: T.Type) throws -> T {
        try #require(try CirrusCommand.parseAsRoot(args) as? T)
    }

    @Test func allocationPoolsAndHostRoutes() throws {
        #expect(try AllocationPool.parse("start=10.0.0.10,end=10.0.0.20") == ["start": "10.0.0.10", "end": "10.0.0.20"])
        #expect(try HostRoute.parse("destination=192.168.0.0/16,gateway=10.0.0.254")
                == ["destination": "192.168.0.0/16", "nexthop": "10.0.0.254"])
        #expect(throws: CLIError("Invalid --allocation-pool 'start=10.0.0.10': missing end; expected start=<value>,end=<value>.")) {
            try AllocationPool.parse("start=10.0.0.10")
        }
        #expect(throws: CLIError("Invalid --host-route 'dest=0.0.0.0/0,gateway=1.1.1.1': unknown key 'dest'; valid keys are destination, gateway.")) {
            try HostRoute.parse("dest=0.0.0.0/0,gateway=1.1.1.1")
        }
        #expect(throws: CLIError.self) { try AllocationPool.parse("start=1.1.1.1,start=1.1.1.2,end=1.1.1.3") }
        #expect(throws: CLIError.self) { try AllocationPool.parse("start=,end=1.1.1.3") }
        #expect(throws: CLIError.self) { try AllocationPool.parse("10.0.0.1-10.0.0.9") }
    }

    @Test func fixedIPSpecs() throws {
        #expect(try FixedIPSpec(parsing: "subnet=s1,ip-address=10.0.0.7") == FixedIPSpec(subnet: "s1", ipAddress: "10.0.0.7"))
        #expect(try FixedIPSpec(parsing: "ip-address=10.0.0.7") == FixedIPSpec(ipAddress: "10.0.0.7"))
        #expect(FixedIPSpec(subnet: "s", ipAddress: "10.0.0.7").body(subnetID: "sid") == ["subnet_id": "sid", "ip_address": "10.0.0.7"])
        #expect(throws: CLIError.self) { try FixedIPSpec(parsing: "ip=10.0.0.7") }
        #expect(throws: CLIError.self) { try FixedIPSpec(parsing: "") }
    }

    @Test func networkCreateBody() throws {
        let cmd = try parse(["network", "create", "--provider-network-type", "flat", "--provider-physical-network", "public",
                             "--mtu", "1450", "--share", "public"], as: NetworkCreateCommand.self)
        #expect(cmd.body() == ["network": [
            "name": "public", "admin_state_up": true, "shared": true, "provider:network_type": "flat",
            "provider:physical_network": "public", "mtu": 1450,
        ]])
        let plain = try parse(["network", "create", "--no-share", "--disable", "n"], as: NetworkCreateCommand.self)
        #expect(plain.body() == ["network": ["name": "n", "admin_state_up": false, "shared": false]])
    }

    @Test func subnetCreateBody() throws {
        let cmd = try parse([
            "subnet", "create", "--network", "public", "--subnet-range", "10.0.0.0/24", "--gateway", "10.0.0.1",
            "--allocation-pool", "start=10.0.0.10,end=10.0.0.99", "--allocation-pool", "start=10.0.0.150,end=10.0.0.199",
            "--dns-nameserver", "10.0.0.1", "--dns-nameserver", "1.1.1.1", "--no-dhcp",
            "--host-route", "destination=192.168.0.0/16,gateway=10.0.0.254", "pub-subnet",
        ], as: SubnetCreateCommand.self)
        #expect(try cmd.body(networkID: "n1") == ["subnet": [
            "network_id": "n1", "name": "pub-subnet", "ip_version": 4, "cidr": "10.0.0.0/24", "gateway_ip": "10.0.0.1",
            "allocation_pools": [["start": "10.0.0.10", "end": "10.0.0.99"], ["start": "10.0.0.150", "end": "10.0.0.199"]],
            "dns_nameservers": ["10.0.0.1", "1.1.1.1"], "enable_dhcp": false,
            "host_routes": [["destination": "192.168.0.0/16", "nexthop": "10.0.0.254"]],
        ]])
        let none = try parse(["subnet", "create", "--network", "n", "--subnet-range", "10.1.0.0/24", "--gateway", "none", "s"],
                             as: SubnetCreateCommand.self)
        #expect(try none.body(networkID: "n")["subnet"]?["gateway_ip"] == .null)
        let auto = try parse(["subnet", "create", "--network", "n", "--subnet-range", "10.1.0.0/24", "--dhcp", "s"],
                             as: SubnetCreateCommand.self)
        let autoBody = try auto.body(networkID: "n")["subnet"]
        #expect(autoBody?["gateway_ip"] == nil && autoBody?["enable_dhcp"] == true && autoBody?["allocation_pools"] == nil)
    }

    @Test func portCreateBody() throws {
        let cmd = try parse(["port", "create", "--network", "public", "--fixed-ip", "subnet=s,ip-address=10.0.0.7", "p1"],
                            as: PortCreateCommand.self)
        #expect(cmd.body(networkID: "n1", fixedIPs: [["subnet_id": "s1", "ip_address": "10.0.0.7"]]) == ["port": [
            "network_id": "n1", "name": "p1", "admin_state_up": true, "fixed_ips": [["subnet_id": "s1", "ip_address": "10.0.0.7"]],
        ]])
    }

    @Test func badNetworkArgumentsAreRejectedBeforeAnyRequest() {
        let bad: [[String]] = [
            ["network", "create", "--share", "--no-share", "n"],
            ["network", "create", "--mtu", "10", "n"],
            ["network", "delete"],
            ["subnet", "create", "--subnet-range", "10.0.0.0/24", "s"],
            ["subnet", "create", "--network", "n", "s"],
            ["subnet", "create", "--network", "n", "--subnet-range", "10.0.0.0/24", "--dhcp", "--no-dhcp", "s"],
            ["subnet", "create", "--network", "n", "--subnet-range", "10.0.0.0/24", "--allocation-pool", "start=1.1.1.1", "s"],
            ["subnet", "create", "--network", "n", "--subnet-range", "10.0.0.0/24", "--host-route", "destination=x", "s"],
            ["subnet", "create", "--network", "n", "--subnet-range", "10.0.0.0/24", "--ip-version", "5", "s"],
            ["port", "create", "--network", "n", "--fixed-ip", "address=1.1.1.1", "p"],
            ["port", "list", "--fixed-ip", "nope"],
            ["console", "url", "show", "--xvpvnc", "--novnc", "demo"],
            ["console", "log", "show", "--lines", "-1", "demo"],
        ]
        for args in bad {
            #expect(throws: (any Error).self, "\(args)") { _ = try CirrusCommand.parseAsRoot(args) }
        }
    }

    @Test func consoleCommandsAndTheirShortForms() throws {
        let log = try parse(["console", "log", "show", "--lines", "20", "demo"], as: ConsoleLogShowCommand.self)
        #expect(log.server == "demo" && log.body == ["os-getConsoleOutput": ["length": 20]])
        let short = try parse(["console", "log", "demo"], as: ConsoleLogShowCommand.self)
        #expect(short.server == "demo" && short.body == ["os-getConsoleOutput": [:]])
        let url = try parse(["console", "url", "show", "--novnc", "demo"], as: ConsoleURLShowCommand.self)
        #expect(url.body == ["remote_console": ["protocol": "vnc", "type": "novnc"]])
        let shortURL = try parse(["console", "url", "demo", "-f", "value", "-c", "url"], as: ConsoleURLShowCommand.self)
        #expect(shortURL.server == "demo" && shortURL.output.columns == ["url"] && shortURL.body == url.body)
        #expect(try parse(["console", "url", "--vnc", "demo"], as: ConsoleURLShowCommand.self).body == url.body)
        #expect(ConsoleLogShowCommand.text(["output": "boot\nlogin:"]) == "boot\nlogin:\n")
        #expect(ConsoleLogShowCommand.text(["output": "a\n"]) == "a\n" && ConsoleLogShowCommand.text(["output": ""]) == "")
    }

    @Test func serverCreateNetworkOptionsAndUserDataLimit() throws {
        let cmd = try parse([
            "server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--network", "public", "--network", "private",
            "--nic", "net-id=n3,v4-fixed-ip=10.0.0.9", "--nic", "port-id=p1", "--user-data", "ud.txt", "demo",
        ], as: ServerCreateCommand.self)
        #expect(cmd.network == ["public", "private"] && cmd.userData == "ud.txt")
        #expect(try cmd.nic.map(NICSpec.init(parsing:)) == [.network(id: "n3", fixedIP: "10.0.0.9"), .port(id: "p1")])
        #expect(try NICSpec(parsing: "auto") == .auto)

        let fits = Data(repeating: 0x41, count: 49_149)   // 65532 bytes in base64
        #expect(try ServerCreateRequest.encodeUserData(fits, file: "f") == fits.base64EncodedString())
        let tooBig = Data(repeating: 0x41, count: 49_152) // 65536 bytes in base64
        #expect(throws: CLIError(
            "User data file 'big.txt' is too large: 49152 bytes are 65536 bytes in base64, over the compute API's limit of 65535 (at most 49149 bytes of data).")) {
            try ServerCreateRequest.encodeUserData(tooBig, file: "big.txt")
        }
    }
}

@Suite struct NetworkSetTests {
    @Test func networkSetSendsOnlyWhatChanges() throws {
        let cmd = try #require(try CirrusCommand.parseAsRoot(["network", "set", "--name", "pub", "--no-share", "--mtu", "1400", "public"])
            as? NetworkSetCommand)
        #expect(cmd.body() == ["network": ["name": "pub", "shared": false, "mtu": 1400]])
        let nothing = try #require(try CirrusCommand.parseAsRoot(["network", "set", "public"]) as? NetworkSetCommand)
        #expect(nothing.body() == nil)
        #expect(throws: (any Error).self) { _ = try CirrusCommand.parseAsRoot(["network", "set", "--enable", "--disable", "n"]) }
    }

    @Test func subnetSetAddsToWhatIsThereUnlessCleared() throws {
        let current: JSONValue = [
            "id": "s1", "dns_nameservers": ["10.0.0.1"], "allocation_pools": [["start": "10.0.0.2", "end": "10.0.0.50"]],
            "host_routes": [],
        ]
        let add = try #require(try CirrusCommand.parseAsRoot(
            ["subnet", "set", "--dns-nameserver", "1.1.1.1", "--dns-nameserver", "10.0.0.1", "--host-route",
             "destination=0.0.0.0/0,gateway=10.0.0.254", "--gateway", "none", "s"]) as? SubnetSetCommand)
        #expect(try add.body(current: current) == ["subnet": [
            "dns_nameservers": ["10.0.0.1", "1.1.1.1"], "gateway_ip": nil,
            "host_routes": [["destination": "0.0.0.0/0", "nexthop": "10.0.0.254"]],
        ]])
        let replace = try #require(try CirrusCommand.parseAsRoot(
            ["subnet", "set", "--no-allocation-pool", "--allocation-pool", "start=10.0.0.100,end=10.0.0.200", "--no-dns-nameservers", "s"])
            as? SubnetSetCommand)
        #expect(try replace.body(current: current) == ["subnet": [
            "allocation_pools": [["start": "10.0.0.100", "end": "10.0.0.200"]], "dns_nameservers": [],
        ]])
        let nothing = try #require(try CirrusCommand.parseAsRoot(["subnet", "set", "s"]) as? SubnetSetCommand)
        #expect(try nothing.body(current: current) == nil)
    }
}
