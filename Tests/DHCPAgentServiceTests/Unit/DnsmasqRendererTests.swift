import DHCPAgentService
import Schemas
import Testing

struct DnsmasqRendererTests {
    let renderer = DnsmasqRenderer(settings: Fixture.settings())

    @Test func hostFileHasOneLinePerAddressWithGeneratedOrDNSName() throws {
        let served = Fixture.served(ports: [Fixture.port(1), Fixture.port(2, dnsName: "web-1")])
        let config = try #require(renderer.config(for: served))
        #expect(config.files.host == """
            fa:16:3e:00:00:01,host-10-0-0-11.openstacklocal.,10.0.0.11
            fa:16:3e:00:00:02,web-1.openstacklocal.,10.0.0.12
            fa:16:3e:dd:dd:dd,host-10-0-0-2.openstacklocal.,10.0.0.2

            """)
        #expect(config.files.addnHosts.contains("10.0.0.12\tweb-1.openstacklocal. web-1\n"))
        #expect(config.keepsExistingLeases)
        var neutron = Fixture.settings()
        neutron.initialLeasesForAllHosts = true
        let all = try #require(DnsmasqRenderer(settings: neutron).config(for: served))
        #expect(all.initialLeases.contains("0 fa:16:3e:00:00:01 10.0.0.11 * *\n"))
        #expect(!all.keepsExistingLeases)
    }

    @Test func existingLeasesAreFilteredToCurrentReservations() throws {
        let hosts = renderer.hostEntries(Fixture.served(ports: [Fixture.port(1)]))
        let existing = "1764000000 fa:16:3e:00:00:01 10.0.0.11 host-10-0-0-11 *\n1764000000 fa:16:3e:00:00:09 10.0.0.19 gone *\n"
        #expect(DnsmasqLeases.keeping(existing, reserved: hosts) == "1764000000 fa:16:3e:00:00:01 10.0.0.11 host-10-0-0-11 *\n")
        #expect(DnsmasqLeases.keeping(nil, reserved: hosts) == "")
    }

    @Test func optsRouteMetadataViaTheDHCPPortThenTheDefaultRoute() throws {
        let config = try #require(renderer.config(for: Fixture.served()))
        let tag = "tag:subnet-\(Fixture.subnet)"
        #expect(config.files.opts == """
            \(tag),option:dns-server,10.0.0.2
            \(tag),option:classless-static-route,169.254.169.254/32,10.0.0.2,0.0.0.0/0,10.0.0.1
            \(tag),249,169.254.169.254/32,10.0.0.2,0.0.0.0/0,10.0.0.1
            \(tag),option:router,10.0.0.1

            """)
    }

    @Test func optsWithNameserversHostRoutesAndNoGateway() throws {
        var subnet = Fixture.subnetInfo(gateway: nil)
        subnet.dnsNameservers = ["8.8.8.8", "1.1.1.1"]
        subnet.hostRoutes = [HostRoute(destination: "192.168.0.0/16", nexthop: "10.0.0.254")]
        var settings = Fixture.settings()
        settings.enableIsolatedMetadata = false
        let config = try #require(DnsmasqRenderer(settings: settings).config(for: Fixture.served(subnets: [subnet])))
        let tag = "tag:subnet-\(Fixture.subnet)"
        #expect(config.files.opts == """
            \(tag),option:dns-server,8.8.8.8,1.1.1.1
            \(tag),option:classless-static-route,192.168.0.0/16,10.0.0.254
            \(tag),249,192.168.0.0/16,10.0.0.254
            \(tag),option:router

            """)
        #expect(config.interface.addresses == ["10.0.0.2/24"])
    }

    @Test func commandLineFollowsNeutron() throws {
        let config = try #require(renderer.config(for: Fixture.served()))
        let dir = "/state/dhcp/\(Fixture.net)"
        #expect(config.commandLine.first == "dnsmasq")
        #expect(config.commandLine.contains("--pid-file=\(dir)/pid"))
        #expect(config.commandLine.contains("--dhcp-hostsfile=\(dir)/host"))
        #expect(config.commandLine.contains("--dhcp-optsfile=\(dir)/opts"))
        #expect(config.commandLine.contains("--dhcp-leasefile=\(dir)/leases"))
        #expect(config.commandLine.contains("--addn-hosts=\(dir)/addn_hosts"))
        #expect(config.commandLine.contains("--dhcp-range=set:subnet-\(Fixture.subnet),10.0.0.0,static,255.255.255.0,86400s"))
        #expect(config.commandLine.contains("--interface=ns-d1c2b3a4-e5"))
        #expect(config.commandLine.contains("--bind-dynamic"))
        #expect(config.commandLine.contains("--domain=openstacklocal"))
        #expect(config.commandLine.contains("--dhcp-lease-max=256"))
        #expect(config.commandLine.contains("--no-resolv"))
        #expect(!config.commandLine.contains("--port=0"))
    }

    @Test func interfaceCarriesPortAddressAndMetadataAddress() throws {
        var settings = Fixture.settings()
        settings.physicalInterfaces = ["public": "eth9"]
        let config = try #require(DnsmasqRenderer(settings: settings).config(for: Fixture.served()))
        #expect(config.interface.addresses == ["10.0.0.2/24", "169.254.169.254/32"])
        #expect(config.interface.namespace == "qdhcp-\(Fixture.net)")
        #expect(config.interface.bridge == "brq4f2a5c1e-00")
        #expect(config.interface.tap == "tapd1c2b3a4-e5")
        #expect(config.interface.name == "ns-d1c2b3a4-e5")
        #expect(config.interface.uplink == "eth9")
        #expect(config.interface.mac == "fa:16:3e:dd:dd:dd")
    }

    @Test func noConfigWithoutDHCPSubnetOrPort() {
        var noDHCP = Fixture.subnetInfo()
        noDHCP.enableDHCP = false
        #expect(renderer.config(for: Fixture.served(subnets: [noDHCP])) == nil)
        var noPort = Fixture.served()
        noPort.dhcpPort = nil
        #expect(renderer.config(for: noPort) == nil)
        var down = Fixture.served()
        down.network.adminStateUp = false
        #expect(renderer.config(for: down) == nil)
    }

    @Test func ipv4NetworkParsing() throws {
        let n = try #require(IPv4Network(cidr: "192.168.5.77/20"))
        #expect(n.networkAddress == "192.168.0.0")
        #expect(n.netmask == "255.255.240.0")
        #expect(n.size == 4096)
        #expect(n.contains("192.168.15.1"))
        #expect(!n.contains("192.168.16.1"))
        #expect(IPv4Network(cidr: "10.0.0.0/33") == nil)
        #expect(IPv4Network(cidr: "fd00::/64") == nil)
    }
}
