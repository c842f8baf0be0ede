import Foundation
import Logging
import Synchronization
import Testing

@testable import Messaging

/// A deterministic RandomNumberGenerator (SplitMix64) so jitter tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Counts how many words were drawn from the wrapped generator.
struct CountingGenerator<Base: RandomNumberGenerator>: RandomNumberGenerator {
    var base: Base
    private(set) var draws = 0

    init(_ base: Base) { self.base = base }

    mutating func next() -> UInt64 {
        draws += 1
        return base.next()
    }
}

/// Keeps metadata (so tests can read it back) and writes nothing.
struct SilentLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {}
}

/// A logger that writes nothing (tests never bootstrap logging globally).
let silentLogger = Logger(label: "cirrus.tests.messaging", factory: { _ in SilentLogHandler() })

/// Parses JSON bytes or text into a `JSONValue` object's members, failing the test otherwise.
func jsonObject(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: JSONValue] {
    let value = try JSONValue.parse(data)
    return try #require(value.objectValue, "not a JSON object: \(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
}

func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: JSONValue] {
    try jsonObject(Data(text.utf8), sourceLocation: sourceLocation)
}

/// Wraps an application message the way Python oslo.messaging does:
/// `json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(msg)})`.
func pythonEnvelope(_ messageJSON: String) -> Data {
    Data(("{\"oslo.version\": \"2.0\", \"oslo.message\": " + JSONText.quoted(messageJSON) + "}").utf8)
}

/// Records which completions were called, in order.
final class CompletionLog: Sendable {
    private let calls = Mutex<[Int]>([])

    func completion(_ id: Int) -> AMQPCommand.Completion {
        { _ in self.calls.withLock { $0.append(id) } }
    }

    var ids: [Int] { calls.withLock { $0 } }
}

/// Calls every completion (as the connection thread would) and returns the ids recorded by them.
func run(_ completions: [AMQPCommand.Completion], on log: CompletionLog) -> [Int] {
    let before = log.ids.count
    for c in completions { c(.success(())) }
    return Array(log.ids.dropFirst(before))
}
