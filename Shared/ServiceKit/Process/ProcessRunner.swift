import Foundation
import Logging
import Subprocess
import SystemPackage

/// Runs external programs (`qemu-img`, `md5sum`, `ssh-keygen`, `ip`, `dnsmasq`): the one place
/// Cirrus services run a program to completion. Logs the command line and the exit status,
/// captures standard output, and puts standard error into the ``ProcessFailure`` it throws.
public protocol ProcessRunning: Sendable {
    /// Runs `arguments[0]` (looked up in `PATH`) with the rest as arguments; returns stdout.
    /// - Throws: ``ProcessFailure`` when the program cannot start or exits non-zero.
    @discardableResult
    func run(_ arguments: [String], logger: Logger) async throws -> String
}

/// A program that failed: what ran, how it ended, and what it said on stderr.
public struct ProcessFailure: Error, CustomStringConvertible, Sendable {
    public var commandLine: String
    /// Exit status (128 + signal number when a signal ended it), or nil when the program
    /// could not be started.
    public var exitStatus: Int32?
    public var stderr: String

    public var description: String {
        let said = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let exitStatus else { return "cannot run `\(commandLine)`: \(said)" }
        return "`\(commandLine)` exited with status \(exitStatus)" + (said.isEmpty ? "" : ": \(said)")
    }
}

/// ``ProcessRunning`` on swift-subprocess, at most `maximumConcurrent` programs at a time.
///
/// swift-subprocess spawns with `posix_spawn`, closes every descriptor above stderr in the
/// child (`addclosefrom_np`) and resets the signal mask and dispositions, so a program never
/// inherits a service's sockets, databases or blocked signals (dnsmasq started from a thread
/// with SIGHUP blocked would ignore every reload). Foundation's `Process` did neither well and
/// crashed in `Process.run()` with ~1,400 descriptors open (cirrus-compute acting as 200 hosts).
public struct ProcessRunner: ProcessRunning {
    /// Standard output beyond this is an error (no program Cirrus runs prints that much).
    public static let outputLimit = 64 << 20
    private let slots: AsyncSemaphore
    private let captureOutput: Bool

    /// - Parameter captureOutput: false sends the program's stdout to /dev/null and returns "";
    ///   for daemons that fork and keep the descriptor (dnsmasq), so the run ends with the launcher.
    public init(maximumConcurrent: Int = 4, captureOutput: Bool = true) {
        slots = AsyncSemaphore(max(1, maximumConcurrent))
        self.captureOutput = captureOutput
    }

    @discardableResult
    public func run(_ arguments: [String], logger: Logger) async throws -> String {
        let line = arguments.map(Self.quoted).joined(separator: " ")
        guard let program = arguments.first, !program.isEmpty else {
            throw ProcessFailure(commandLine: line, exitStatus: nil, stderr: "empty command")
        }
        await slots.wait()
        let start = ContinuousClock.now
        let outcome: Result<(TerminationStatus, String, String), any Error>
        do {
            let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
            let args = Arguments(Array(arguments.dropFirst()))
            if captureOutput {
                let r = try await Subprocess.run(executable, arguments: args, input: .none,
                                                 output: .string(limit: Self.outputLimit), error: .string(limit: 1 << 20))
                outcome = .success((r.terminationStatus, r.standardOutput, r.standardError))
            } else {
                let r = try await Subprocess.run(executable, arguments: args, input: .none,
                                                 output: .discarded, error: .string(limit: 1 << 20))
                outcome = .success((r.terminationStatus, "", r.standardError))
            }
        } catch {
            outcome = .failure(error)
        }
        await slots.signal()
        let ms = (ContinuousClock.now - start).milliseconds
        switch outcome {
        case .success(let (termination, out, err)):
            let status: Int32
            switch termination {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            logger.debug("Ran command", metadata: ["command": "\(line)", "exit.status": "\(status)", "duration.ms": "\(ms)"])
            guard status == 0 else { throw ProcessFailure(commandLine: line, exitStatus: status, stderr: err) }
            return out
        case .failure(let error):
            let failure = ProcessFailure(commandLine: line, exitStatus: nil, stderr: "\(error)")
            logger.warning("Cannot run command", metadata: ["command": "\(line)", "error": "\(failure.stderr)"])
            throw failure
        }
    }

    /// Shell-style quoting for the log line only (the program gets the arguments verbatim).
    static func quoted(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,@+%".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
