import Foundation
import Testing

@testable import Messaging

@Suite struct RPCDispatcherTests {
    struct NoArgs: Codable, Sendable {}
    struct HostArgs: Codable, Sendable { var host: String }

    /// An endpoint whose methods answer with a label, so a test can tell which one ran.
    static func endpoint(_ version: RPCVersion, namespace: String? = nil, _ methods: [String], label: String) -> RPCEndpoint {
        var e = RPCEndpoint(namespace: namespace, version: version)
        for m in methods {
            e.register(m) { (_: RPCRequest, _: NoArgs) -> String in label }
        }
        return e
    }

    static func request(_ method: String, version: RPCVersion? = nil, namespace: String? = nil, args: String = "{}") -> IncomingRequest {
        IncomingRequest(
            method: method, version: version, namespace: namespace, context: RequestContext(), uniqueID: nil, msgID: nil,
            replyQueue: nil, callMonitorTimeout: nil, message: Data(#"{"method": "\#(method)", "args": \#(args)}"#.utf8))
    }

    /// Runs the chosen handler and returns its result JSON; records an issue for any other decision.
    static func handled(
        _ request: IncomingRequest, _ endpoints: [RPCEndpoint], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String? {
        guard case .handle(let handler) = RPCDispatcher.decide(request, endpoints: endpoints) else {
            Issue.record("expected the request to be handled", sourceLocation: sourceLocation)
            return nil
        }
        return try await handler(RPCRequest(incoming: request, logger: silentLogger, redelivered: false))
    }

    /// The remote error of a rejection; records an issue when the request was not rejected.
    static func rejection(
        _ request: IncomingRequest, _ endpoints: [RPCEndpoint], sourceLocation: SourceLocation = #_sourceLocation
    ) -> (any RemoteErrorConvertible)? {
        guard case .reject(let error) = RPCDispatcher.decide(request, endpoints: endpoints) else {
            Issue.record("expected the request to be rejected", sourceLocation: sourceLocation)
            return nil
        }
        return error
    }

    @Test func pingIsAnsweredWhateverTheEndpoints() {
        #expect(RPCDispatcher.pingMethod == "oslo_rpc_server_ping")
        for endpoints in [[], [Self.endpoint(RPCVersion(2, 0), ["x"], label: "x")]] {
            guard case .ping = RPCDispatcher.decide(Self.request("oslo_rpc_server_ping", version: RPCVersion(9, 9)), endpoints: endpoints) else {
                Issue.record("ping not answered")
                continue
            }
        }
    }

    @Test func compatibleEndpointHandlesTheMethod() async throws {
        let endpoints = [Self.endpoint(RPCVersion(1, 3), ["select_destinations"], label: "v1")]
        #expect(try await Self.handled(Self.request("select_destinations", version: RPCVersion(1, 2)), endpoints) == #""v1""#)
        #expect(try await Self.handled(Self.request("select_destinations", version: RPCVersion(1, 3)), endpoints) == #""v1""#)
    }

    @Test func absentVersionMeans1_0() async throws {
        #expect(try await Self.handled(Self.request("m"), [Self.endpoint(RPCVersion(1, 0), ["m"], label: "a")]) == #""a""#)
        #expect(try await Self.handled(Self.request("m"), [Self.endpoint(RPCVersion(1, 7), ["m"], label: "b")]) == #""b""#)
        let error = Self.rejection(Self.request("m"), [Self.endpoint(RPCVersion(2, 0), ["m"], label: "c")])
        #expect(error is UnsupportedVersion)
        #expect(error?.remoteMessage == "Endpoint does not support RPC version 1.0. Attempted method: m")
    }

    @Test(arguments: [RPCVersion(1, 4), RPCVersion(2, 0), RPCVersion(0, 9), RPCVersion(1, 3, 1)])
    func incompatibleVersionIsUnsupported(requested: RPCVersion) throws {
        let error = try #require(Self.rejection(Self.request("m", version: requested), [Self.endpoint(RPCVersion(1, 3), ["m"], label: "x")]))
        let unsupported = try #require(error as? UnsupportedVersion)
        #expect(unsupported.remoteMessage == "Endpoint does not support RPC version \(requested). Attempted method: m")
        let wire = RemoteError(from: error)
        #expect(wire.className == "UnsupportedVersion")
        #expect(wire.module == "oslo_messaging.rpc.dispatcher")
    }

    @Test func noEndpointsIsUnsupported() {
        #expect(Self.rejection(Self.request("m", version: RPCVersion(1, 0)), []) is UnsupportedVersion)
    }

    @Test func compatibleButUnknownMethodIsNoSuchMethod() throws {
        let error = try #require(Self.rejection(Self.request("nope", version: RPCVersion(1, 1)), [Self.endpoint(RPCVersion(1, 3), ["m"], label: "x")]))
        let noSuch = try #require(error as? NoSuchMethod)
        #expect(noSuch.remoteMessage == "Endpoint does not support RPC method nope")
        #expect(RemoteError(from: error).className == "NoSuchMethod")
    }

    @Test func namespaceMustMatch() async throws {
        let endpoints = [Self.endpoint(RPCVersion(1, 0), namespace: "compute_task", ["build"], label: "conductor")]
        #expect(Self.rejection(Self.request("build", version: RPCVersion(1, 0)), endpoints) is UnsupportedVersion)
        #expect(Self.rejection(Self.request("build", version: RPCVersion(1, 0), namespace: "other"), endpoints) is UnsupportedVersion)
        #expect(try await Self.handled(Self.request("build", version: RPCVersion(1, 0), namespace: "compute_task"), endpoints) == #""conductor""#)
        let defaultNamespace = [Self.endpoint(RPCVersion(1, 0), ["build"], label: "default")]
        #expect(Self.rejection(Self.request("build", namespace: "compute_task"), defaultNamespace) is UnsupportedVersion)
    }

    @Test func twoMajorVersionsAreChosenByVersion() async throws {
        let endpoints = [
            Self.endpoint(RPCVersion(1, 3), ["build", "only_one"], label: "one"),
            Self.endpoint(RPCVersion(2, 1), ["build", "only_two"], label: "two"),
        ]
        #expect(try await Self.handled(Self.request("build", version: RPCVersion(1, 2)), endpoints) == #""one""#)
        #expect(try await Self.handled(Self.request("build", version: RPCVersion(1, 3)), endpoints) == #""one""#)
        #expect(try await Self.handled(Self.request("build"), endpoints) == #""one""#)
        #expect(try await Self.handled(Self.request("build", version: RPCVersion(2, 0)), endpoints) == #""two""#)
        #expect(try await Self.handled(Self.request("build", version: RPCVersion(2, 1)), endpoints) == #""two""#)
        #expect(try await Self.handled(Self.request("only_two", version: RPCVersion(2, 0)), endpoints) == #""two""#)
        #expect(Self.rejection(Self.request("build", version: RPCVersion(2, 2)), endpoints) is UnsupportedVersion)
        #expect(Self.rejection(Self.request("build", version: RPCVersion(3, 0)), endpoints) is UnsupportedVersion)
        // The 1.x endpoint is the only compatible one and lacks the method.
        #expect(Self.rejection(Self.request("only_two", version: RPCVersion(1, 0)), endpoints) is NoSuchMethod)
        #expect(Self.rejection(Self.request("only_one", version: RPCVersion(2, 0)), endpoints) is NoSuchMethod)
    }

    @Test func laterCompatibleEndpointIsTriedWhenTheFirstLacksTheMethod() async throws {
        // Like Nova's ComputeManager (6.x) plus _ComputeV5Proxy (5.x): every compatible endpoint is searched in order.
        let endpoints = [
            Self.endpoint(RPCVersion(1, 3), ["a"], label: "first"),
            Self.endpoint(RPCVersion(1, 5), ["a", "b"], label: "second"),
        ]
        #expect(try await Self.handled(Self.request("a", version: RPCVersion(1, 2)), endpoints) == #""first""#)
        #expect(try await Self.handled(Self.request("b", version: RPCVersion(1, 2)), endpoints) == #""second""#)
        #expect(try await Self.handled(Self.request("a", version: RPCVersion(1, 4)), endpoints) == #""second""#)
        #expect(Self.rejection(Self.request("b", version: RPCVersion(1, 6)), endpoints) is UnsupportedVersion)
    }

    @Test func handlerReceivesTypedArguments() async throws {
        var e = RPCEndpoint(version: RPCVersion(1, 0))
        e.register("echo_host") { (_: RPCRequest, args: HostArgs) -> HostArgs in HostArgs(host: args.host + "!") }
        let result = try await Self.handled(Self.request("echo_host", args: #"{"host": "h1"}"#), [e])
        #expect(try jsonObject(try #require(result)) == ["host": "h1!"])
    }

    @Test func voidHandlerRepliesNull() async throws {
        var e = RPCEndpoint(version: RPCVersion(1, 0))
        e.register("fire") { (_: RPCRequest, _: NoArgs) in }
        #expect(try await Self.handled(Self.request("fire"), [e]) == nil)
    }

    @Test func badArgumentsThrowInvalidArguments() async throws {
        var e = RPCEndpoint(version: RPCVersion(1, 0))
        e.register("echo_host") { (_: RPCRequest, args: HostArgs) -> String in args.host }
        e.register("fire") { (_: RPCRequest, _: HostArgs) in }
        for method in ["echo_host", "fire"] {
            let request = Self.request(method, args: #"{"host": 42}"#)
            guard case .handle(let handler) = RPCDispatcher.decide(request, endpoints: [e]) else {
                Issue.record("not handled")
                continue
            }
            let error = await #expect(throws: InvalidArguments.self) {
                try await handler(RPCRequest(incoming: request, logger: silentLogger, redelivered: false))
            }
            #expect(error?.remoteMessage.contains(method) == true)
        }
    }

    @Test func methodNamesAreSorted() {
        let e = Self.endpoint(RPCVersion(1, 0), ["zeta", "alpha", "mid"], label: "x")
        #expect(e.methodNames == ["alpha", "mid", "zeta"])
    }
}
