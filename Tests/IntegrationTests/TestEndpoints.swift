import Foundation
import Messaging
import Synchronization

struct Value: Codable, Sendable, Equatable { var value: JSONValue }
struct Seconds: Codable, Sendable { var seconds: Double }
struct Nothing: Codable, Sendable {}

struct Boom: RemoteErrorConvertible {
    static let remoteClassName = "Boom"
    static let isExpected = true
    let remoteMessage: String
    init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
}

/// Records what a test server received.
final class Recorder: Sendable {
    let values = Mutex<[JSONValue]>([])
    let failuresLeft = Mutex<Int>(0)
    var all: [JSONValue] { values.withLock { $0 } }

    func endpoint(version: RPCVersion = RPCVersion(1, 2)) -> RPCEndpoint {
        var e = RPCEndpoint(version: version)
        e.register("echo") { (_, a: Value) in a.value }
        e.register("record") { (_, a: Value) in self.values.withLock { $0.append(a.value) } }
        e.register("flaky_record") { (_, a: Value) in
            let fail = self.failuresLeft.withLock { n -> Bool in
                defer { n -= 1 }
                return n > 0
            }
            if fail { throw Boom(remoteMessage: "transient") }
            self.values.withLock { $0.append(a.value) }
        }
        e.register("boom") { (_, a: Value) -> JSONValue in throw Boom(remoteMessage: "boom \(a.value.serialized())") }
        e.register("sleep") { (_, a: Seconds) -> String in
            try await Task.sleep(for: .milliseconds(Int(a.seconds * 1000)))
            self.values.withLock { $0.append("slept") }
            return "slept"
        }
        return e
    }
}
