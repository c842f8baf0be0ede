import Foundation
import Logging

/// Runs an external program, logs its command line and exit status, and throws with its
/// stderr when it fails.
public struct ProcessRunner: Sendable {
    public var logger: Logger?

    public init(logger: Logger? = nil) {
        self.logger = logger
    }

    /// A program that exited with a non-zero status.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var command: [String]
        public var status: Int32
        public var stderr: String
        public var description: String { "\(command.joined(separator: " ")) exited with status \(status): \(stderr)" }
    }

    /// Runs `executable` with `arguments` to completion; returns its stdout.
    public func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let command = [executable] + arguments
        logger?.debug("Ran command", metadata: ["command": "\(command.joined(separator: " "))", "exit.status": "\(status)"])
        guard status == 0 else {
            throw Failure(command: command, status: status, stderr: stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return stdout
    }
}
