import Testing

@testable import Messaging

@Suite struct TransportURLTests {
    typealias Broker = TransportURL.Broker

    @Test func singleHostWithCredentialsPortAndTrailingSlash() throws {
        let url = try TransportURL(parsing: "rabbit://cirrus:s3cret@rabbit1.example.org:5673/")
        #expect(url.brokers == [Broker(host: "rabbit1.example.org", port: 5673, user: "cirrus", password: "s3cret")])
        #expect(url.virtualHost == "/")
    }

    @Test func defaultsToPort5672AndGuestCredentials() throws {
        let url = try TransportURL(parsing: "rabbit://localhost")
        #expect(url.brokers == [Broker(host: "localhost", port: 5672, user: "guest", password: "guest")])
        #expect(url.virtualHost == "/")
    }

    @Test func userWithoutPasswordHasEmptyPassword() throws {
        let url = try TransportURL(parsing: "rabbit://cirrus@localhost/")
        #expect(url.brokers == [Broker(host: "localhost", port: 5672, user: "cirrus", password: "")])
    }

    @Test(arguments: [
        ("rabbit://guest:guest@localhost:5672/cirrus", "cirrus"),
        ("rabbit://localhost/cirrus", "cirrus"),
        ("rabbit://localhost:5672/", "/"),
        ("rabbit://localhost:5672", "/"),
        ("rabbit://localhost/%2F", "/"),
        ("rabbit://localhost/my%20vhost", "my vhost"),
    ])
    func virtualHost(text: String, expected: String) throws {
        #expect(try TransportURL(parsing: text).virtualHost == expected)
    }

    @Test func severalCommaSeparatedHostsKeepTheirOrderAndOwnCredentials() throws {
        let url = try TransportURL(parsing: "rabbit://a:pa@h1:5672,b:pb@h2:5673,h3/cirrus")
        #expect(url.brokers == [
            Broker(host: "h1", port: 5672, user: "a", password: "pa"),
            Broker(host: "h2", port: 5673, user: "b", password: "pb"),
            Broker(host: "h3", port: 5672, user: "guest", password: "guest"),
        ])
        #expect(url.virtualHost == "cirrus")
    }

    @Test func percentEncodedUserAndPasswordAreDecoded() throws {
        // '@', ':' and '/' must be percent-encoded in a password, as oslo requires.
        let url = try TransportURL(parsing: "rabbit://ci%2Brrus:p%40ss%3Aw%2Frd%25@rabbit:5672/")
        let broker = try #require(url.brokers.first)
        #expect(broker.user == "ci+rrus")
        #expect(broker.password == "p@ss:w/rd%")
        #expect(broker.host == "rabbit")
        #expect(url.virtualHost == "/")
    }

    @Test func malformedPercentEscapeIsKeptLiterally() throws {
        let url = try TransportURL(parsing: "rabbit://u:50%zz%4@rabbit/")
        #expect(url.brokers.first?.password == "50%zz%4")
    }

    @Test func ipv6LiteralWithPort() throws {
        let url = try TransportURL(parsing: "rabbit://guest:guest@[::1]:5672/")
        #expect(url.brokers == [Broker(host: "::1", port: 5672, user: "guest", password: "guest")])
        #expect(url.virtualHost == "/")
    }

    @Test func ipv6LiteralWithoutPortAndAsSecondHost() throws {
        let url = try TransportURL(parsing: "rabbit://u:p@h1:5671,u:p@[fe80::1:2]/cirrus")
        #expect(url.brokers.map(\.host) == ["h1", "fe80::1:2"])
        #expect(url.brokers.map(\.port) == [5671, 5672])
        #expect(url.virtualHost == "cirrus")
    }

    @Test(arguments: [
        "rabbit://[::1/", "rabbit://[::1]:0/", "rabbit://[::1]:99999/", "rabbit://[::1]:x/",
    ])
    func badIPv6HostIsRejected(text: String) {
        #expect(throws: TransportURLError.self) { try TransportURL(parsing: text) }
    }

    @Test(arguments: [
        "rabbit://localhost:abc/", "rabbit://localhost:0/", "rabbit://localhost:65536/", "rabbit://localhost:/",
        "rabbit://localhost:-1/", "rabbit://u:p@h1:5672,h2:port/",
    ])
    func badPortIsRejected(text: String) throws {
        let error = try #require(throws: TransportURLError.self) { try TransportURL(parsing: text) }
        #expect(error.description.contains("port"))
    }

    @Test func highestAndLowestPortsAreAccepted() throws {
        #expect(try TransportURL(parsing: "rabbit://h:1").brokers.first?.port == 1)
        #expect(try TransportURL(parsing: "rabbit://h:65535").brokers.first?.port == 65535)
    }

    @Test(arguments: ["localhost:5672", "amqp://guest:guest@localhost/", "", "//localhost", "RABBIT://localhost"])
    func missingOrWrongSchemeIsRejected(text: String) throws {
        let error = try #require(throws: TransportURLError.self) { try TransportURL(parsing: text) }
        #expect(error.description.contains("must start with rabbit://"))
    }

    @Test(arguments: ["rabbit://", "rabbit:///cirrus", "rabbit://u:p@/", "rabbit://h1,,h2/", "rabbit://u:p@:5672/"])
    func emptyHostIsRejected(text: String) throws {
        let error = try #require(throws: TransportURLError.self) { try TransportURL(parsing: text) }
        #expect(error.description.contains("empty host"))
    }

    @Test func descriptionMasksEveryPassword() throws {
        let url = try TransportURL(parsing: "rabbit://a:topsecret1@h1:5672,b:topsecret2@h2:5673/cirrus")
        #expect(url.description == "rabbit://a:***@h1:5672,b:***@h2:5673/cirrus")
        #expect(!url.description.contains("topsecret"))
        #expect("\(url)" == url.description)
    }

    @Test func descriptionOfDefaultVirtualHostEndsWithSlash() throws {
        let url = try TransportURL(parsing: "rabbit://guest:guest@localhost")
        #expect(url.description == "rabbit://guest:***@localhost:5672/")
    }

    @Test func brokerDescriptionIsHostAndPortOnly() throws {
        let broker = try #require(try TransportURL(parsing: "rabbit://u:hunter2@rabbit:5672/").brokers.first)
        #expect(broker.description == "rabbit:5672")
    }

    @Test func schemeErrorMasksThePassword() throws {
        let error = try #require(throws: TransportURLError.self) {
            try TransportURL(parsing: "amqp://cirrus:topsecret@rabbit:5672/")
        }
        #expect(!error.description.contains("topsecret"))
        #expect(error.description.contains("cirrus:***@rabbit"))
    }

    @Test func maskReplacesThePasswordOfASingleHostURL() {
        #expect(TransportURL.mask("rabbit://u:secret@h:5672/v") == "rabbit://u:***@h:5672/v")
        #expect(TransportURL.mask("rabbit://h:5672/v") == "rabbit://h:5672/v")
        #expect(TransportURL.mask("no url here") == "no url here")
    }

    @Test(arguments: [
        "amqp://a:topsecret1@h1:5672,b:topsecret2@h2:5672/",  // scheme error
        "rabbit://a:topsecret1@h1:5672,b:topsecret2@/",  // empty-host error
    ])
    func errorMessagesMaskEveryPasswordOfAMultiHostURL(text: String) throws {
        let error = try #require(throws: TransportURLError.self) { try TransportURL(parsing: text) }
        #expect(!error.description.contains("topsecret1"))
        #expect(!error.description.contains("topsecret2"))
    }

    @Test
    func doubleSlashMeansDefaultVirtualHostAsInOslo() throws {
        // oslo: virtual_host = unquote(path[1:]); kombu/kolla-style "…:5672//" means vhost "/".
        let url = try TransportURL(parsing: "rabbit://guest:guest@localhost:5672//")
        #expect(url.brokers.first?.host == "localhost")
        #expect(url.brokers.first?.port == 5672)
        #expect(url.virtualHost == "/")
    }
}
