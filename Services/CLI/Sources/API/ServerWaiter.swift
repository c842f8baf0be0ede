import Foundation
import Messaging

/// Polls a server once a second until it settles (or is gone), writing a progress line to stderr:
/// rewritten in place on a terminal, one plain line per change otherwise.
struct ServerWaiter {
    let client: APIClient
    /// Give up after this many seconds.
    var timeout: Int = 600
    var interactive: Bool = isatty(STDERR_FILENO) == 1

    /// Waits until the server's status is one of `targets` with no task running; ERROR throws the fault.
    func wait(id: String, name: String, targets: Set<String>, action: String) async throws -> JSONValue {
        var progress = Progress(interactive: interactive)
        defer { progress.finish() }
        let start = ContinuousClock.now
        while true {
            let server = try await client.get(.compute, "servers/\(id)")["server"] ?? .null
            let elapsed = Int((ContinuousClock.now - start).components.seconds)
            progress.show(ServerWait.progressLine(name: name, server: server, elapsedSeconds: interactive ? elapsed : nil))
            switch ServerWait.step(server, targets: targets, action: action, name: name) {
            case .done: return server
            case .failed(let message): progress.finish(); throw CLIError(message)
            case .keepWaiting: break
            }
            if elapsed >= timeout { progress.finish(); throw CLIError("Timed out after \(timeout)s waiting for server \(name) (\(action)).") }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Waits until `GET servers/<id>` answers 404.
    func waitDeleted(id: String, name: String) async throws {
        var progress = Progress(interactive: interactive)
        defer { progress.finish() }
        let start = ContinuousClock.now
        while true {
            let r = try await client.raw("GET", .compute, "servers/\(id)")
            let elapsed = Int((ContinuousClock.now - start).components.seconds)
            if r.status == 404 {
                progress.show(ServerWait.progressLine(name: name, server: nil, deleting: true))
                return
            }
            guard (200..<300).contains(r.status) else { throw APIError(response: r) }
            let server = (try? JSONValue.parse(r.body))?["server"] ?? .null
            progress.show(ServerWait.progressLine(
                name: name, server: server, elapsedSeconds: interactive ? elapsed : nil, deleting: true))
            if elapsed >= timeout { progress.finish(); throw CLIError("Timed out after \(timeout)s waiting for server \(name) to be deleted.") }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// The progress output itself.
    struct Progress {
        let interactive: Bool
        var last: String?
        var open = false

        mutating func show(_ line: String) {
            if interactive {
                Stderr.write("\r\u{1B}[K" + line)
                open = true
            } else if line != last {
                Stderr.write(line + "\n")
            }
            last = line
        }

        mutating func finish() {
            if open { Stderr.write("\n"); open = false }
        }
    }
}

/// Writes to standard error.
enum Stderr {
    static func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
