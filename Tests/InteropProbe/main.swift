// cirrus-interop-probe: a Cirrus RPC server, client and notifier driven from the command line,
// so the Python oslo.messaging interoperability tests (tests/interop) can talk to real Cirrus
// messaging code. Contract: tests/interop/README.md.
import Foundation
import Logging
import Messaging
import Synchronization

struct ProbeError: RemoteErrorConvertible {
    static let remoteClassName = "ProbeError"
    static let remoteModule = "cirrus.probe"
    static let isExpected = false
    let remoteMessage: String
    init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
}

struct ValueArgs: Codable, Sendable { var value: JSONValue }
struct AddArgs: Codable, Sendable { var a: Double; var b: Double }
struct MessageArgs: Codable, Sendable { var message: String }
struct SleepArgs: Codable, Sendable { var seconds: Double }
struct NoArgs: Codable, Sendable {}

func options(_ args: ArraySlice<String>) -> [String: String] {
    var out: [String: String] = [:]
    var it = args.makeIterator()
    while let a = it.next() {
        guard a.hasPrefix("--") else { continue }
        let key = String(a.dropFirst(2))
        if key == "fanout" { out[key] = "1"; continue }
        out[key] = it.next() ?? ""
    }
    return out
}

func fail(_ text: String, code: Int32) -> Never {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
    exit(code)
}

func makeTransport(_ o: [String: String], name: String) -> MessagingTransport {
    guard let url = o["transport-url"], let parsed = try? TransportURL(parsing: url) else {
        fail("{\"error\": {\"class\": \"ConfigError\", \"message\": \"--transport-url missing or invalid\"}}", code: 3)
    }
    var log = Logger(label: "cirrus.probe")
    log.logLevel = ProcessInfo.processInfo.environment["PROBE_DEBUG"] == nil ? .warning : .debug
    let amqp = AMQPConfiguration(transportURL: parsed, connectionName: "cirrus-interop-probe:\(getpid()):\(name)")
    return MessagingTransport(
        configuration: MessagingConfiguration(
            amqp: amqp, controlExchange: o["exchange"] ?? "cirrus", durableQueues: (o["durable-queues"] ?? "true") != "false"),
        logger: log)
}

func parseArgs(_ o: [String: String]) -> [String: JSONValue] {
    guard let text = o["args"] else { return [:] }
    guard case .object(let obj)? = try? JSONValue.parse(Data(text.utf8)) else {
        fail("{\"error\": {\"class\": \"ValueError\", \"message\": \"--args must be a JSON object\"}}", code: 3)
    }
    return obj
}

func runServer(_ o: [String: String]) async throws {
    let transport = makeTransport(o, name: "server")
    let recorded = Mutex<[JSONValue]>([])
    var endpoint = RPCEndpoint(version: RPCVersion(1, 3))
    endpoint.register("echo") { (_, a: ValueArgs) in a.value }
    endpoint.register("add") { (_, a: AddArgs) in a.a + a.b }
    endpoint.register("fail") { (_, a: MessageArgs) -> JSONValue in throw ProbeError(remoteMessage: a.message) }
    endpoint.register("record") { (_, a: ValueArgs) in recorded.withLock { $0.append(a.value) } }
    endpoint.register("recorded") { (_, _: NoArgs) in recorded.withLock { $0 } }
    endpoint.register("sleep") { (_, a: SleepArgs) -> String in
        try await Task.sleep(for: .milliseconds(Int(a.seconds * 1000)))
        return "slept"
    }
    var log = Logger(label: "cirrus.probe")
    log.logLevel = .warning
    let server = RPCServer(
        transport: transport, topic: o["topic"] ?? "probe", host: o["host"] ?? "probe-host", endpoints: [endpoint],
        logger: log)
    let signals = DispatchSource.makeSignalSource(signal: SIGTERM)
    signal(SIGTERM, SIG_IGN)
    signals.setEventHandler { Task { await server.stop() } }
    signals.resume()
    try await server.run {
        FileHandle.standardOutput.write(Data("READY\n".utf8))
    }
    await transport.shutdown()
}

func runCall(_ o: [String: String]) async {
    let transport = makeTransport(o, name: "call")
    var client = RPCClient(transport: transport, topic: o["topic"] ?? "probe", server: o["server"], timeout: Double(o["timeout"] ?? "10"))
    if let v = o["version"] {
        guard let parsed = RPCVersion(v) else { fail("{\"error\": {\"class\": \"ValueError\", \"message\": \"bad version\"}}", code: 3) }
        client.version = parsed
    }
    do {
        let result = try await client.callJSON(o["method"] ?? "echo", args: parseArgs(o), context: RequestContext(userID: "probe", projectID: "probe"))
        print(result.serialized())
        await transport.shutdown()
        exit(0)
    } catch let e as MessagingError {
        if case .timeout = e { fail(JSONValue.object(["error": ["class": "MessagingTimeout", "message": .string("\(e)")]]).serialized(), code: 2) }
        fail(JSONValue.object(["error": ["class": "MessagingError", "message": .string("\(e)")]]).serialized(), code: 1)
    } catch let e as RemoteError {
        fail(JSONValue.object(["error": ["class": .string(e.className), "module": .string(e.module), "message": .string(e.message)]]).serialized(), code: 1)
    } catch let e as any RemoteErrorConvertible {
        let r = RemoteError(from: e)
        fail(JSONValue.object(["error": ["class": .string(r.className), "module": .string(r.module), "message": .string(r.message)]]).serialized(), code: 1)
    } catch {
        fail(JSONValue.object(["error": ["class": "Error", "message": .string("\(error)")]]).serialized(), code: 1)
    }
}

func runCast(_ o: [String: String]) async {
    let transport = makeTransport(o, name: "cast")
    let client = RPCClient(transport: transport, topic: o["topic"] ?? "probe", server: o["server"], timeout: 10)
    do {
        let args = parseArgs(o)
        try await client.cast(o["method"] ?? "record", args, context: RequestContext(userID: "probe", projectID: "probe"), fanout: o["fanout"] != nil)
        await transport.shutdown()
        exit(0)
    } catch {
        fail(JSONValue.object(["error": ["class": "Error", "message": .string("\(error)")]]).serialized(), code: 1)
    }
}

func runNotify(_ o: [String: String]) async {
    let transport = makeTransport(o, name: "notify")
    let notifier = Notifier(transport: transport, publisherID: o["publisher-id"] ?? "probe.host")
    let payload = (try? JSONValue.parse(Data((o["payload"] ?? "{}").utf8))) ?? .null
    let priority = NotificationPriority(rawValue: (o["priority"] ?? "info").lowercased()) ?? .info
    do {
        try await notifier.notify(o["event-type"] ?? "probe.event", payload: payload, context: RequestContext(userID: "probe", projectID: "probe"), priority: priority)
        await transport.shutdown()
        exit(0)
    } catch {
        fail(JSONValue.object(["error": ["class": "Error", "message": .string("\(error)")]]).serialized(), code: 1)
    }
}

let argv = CommandLine.arguments
guard argv.count >= 2 else {
    fail("usage: cirrus-interop-probe server|call|cast|notify --transport-url URL ...", code: 64)
}
let opts = options(argv[2...])
switch argv[1] {
case "server":
    do {
        try await runServer(opts)
    } catch {
        fail(JSONValue.object(["error": ["class": "ServerError", "message": .string("\(error)")]]).serialized(), code: 1)
    }
case "call": await runCall(opts)
case "cast": await runCast(opts)
case "notify": await runNotify(opts)
default: fail("unknown command \(argv[1])", code: 64)
}
