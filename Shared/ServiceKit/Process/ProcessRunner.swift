import Dispatch
import Foundation
import Logging

/// Runs external programs (`qemu-img`, `md5sum`, `ssh-keygen`, later `ip`, `dnsmasq`,
/// `qemu-system-x86_64`): the one place Cirrus services start processes. Logs the command line and the exit status, captures
/// standard output, and puts standard error into the ``ProcessFailure`` it throws.
public protocol ProcessRunning: Sendable {
    /// Runs `arguments[0]` (looked up in `PATH`) with the rest as arguments; returns stdout.
    /// - Throws: ``ProcessFailure`` when the program cannot start or exits non-zero.
    @discardableResult
    func run(_ arguments: [String], logger: Logger) async throws -> String
}

/// A program that failed: what ran, how it ended, and what it said on stderr.
public struct ProcessFailure: Error, CustomStringConvertible, Sendable {
    public var commandLine: String
    /// Exit status, or nil when the program could not be started.
    public var exitStatus: Int32?
    public var stderr: String

    public var description: String {
        let said = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let exitStatus else { return "cannot run `\(commandLine)`: \(said)" }
        return "`\(commandLine)` exited with status \(exitStatus)" + (said.isEmpty ? "" : ": \(said)")
    }
}

/// ``ProcessRunning`` with Foundation's `Process`, at most `maximumConcurrent` at a time
/// (each run blocks a dispatch thread while it waits for the program).
public struct ProcessRunner: ProcessRunning {
    private let slots: AsyncSemaphore

    public init(maximumConcurrent: Int = 4) {
        slots = AsyncSemaphore(max(1, maximumConcurrent))
    }

    @discardableResult
    public func run(_ arguments: [String], logger: Logger) async throws -> String {
        let line = arguments.map(Self.quoted).joined(separator: " ")
        await slots.wait()
        let start = ContinuousClock.now
        let result: Result<(Int32, String, String), ProcessFailure> = await withCheckedContinuation { cont in
            DispatchQueue.global().async { cont.resume(returning: Self.runBlocking(arguments, line: line)) }
        }
        await slots.signal()
        let ms = (ContinuousClock.now - start).milliseconds
        switch result {
        case .success(let (status, out, err)):
            logger.debug("Ran command", metadata: ["command": "\(line)", "exit.status": "\(status)", "duration.ms": "\(ms)"])
            guard status == 0 else { throw ProcessFailure(commandLine: line, exitStatus: status, stderr: err) }
            return out
        case .failure(let failure):
            logger.warning("Cannot run command", metadata: ["command": "\(line)", "error": "\(failure.stderr)"])
            throw failure
        }
    }

    private static func runBlocking(_ arguments: [String], line: String) -> Result<(Int32, String, String), ProcessFailure> {
        guard let program = arguments.first else {
            return .failure(ProcessFailure(commandLine: line, exitStatus: nil, stderr: "empty command"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments.dropFirst()
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(ProcessFailure(commandLine: line, exitStatus: nil, stderr: "\(error)"))
        }
        // Drain stderr beside stdout so neither pipe can fill and block the program.
        let errData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(errPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return .success((process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errData.get(), as: UTF8.self)))
    }

    /// Shell-style quoting for the log line only (the program gets the arguments verbatim).
    static func quoted(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,@+%".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A Data box written by one thread and read by another after a DispatchGroup wait.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
