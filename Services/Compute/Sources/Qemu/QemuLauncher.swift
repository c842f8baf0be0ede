import Dispatch
import Foundation
import Logging

/// Starts `qemu-system-x86_64 ... -daemonize` and waits for the launching process to exit
/// (qemu exits it once the guest is set up: QMP and VNC listening, pid file written).
///
/// Not through ServiceKit's ``ProcessRunner``: Foundation's `Process` never sees the exit of
/// a parent whose child daemonizes (its `waitUntilExit` hangs), and it lets children inherit
/// the service's sockets, which a long-lived qemu must not keep (the AMQP connection). So this
/// is `posix_spawn` + `waitpid`, with every descriptor above stderr closed in the child,
/// stdin from /dev/null and stdout/stderr appended to the instance's `qemu.log`, whose tail
/// goes into the error when qemu fails to start.
public enum QemuLauncher {
    public static func launch(_ arguments: [String], logPath: String, logger: Logger) async throws {
        let line = arguments.joined(separator: " ")
        let start = ContinuousClock.now
        let status: Int32 = try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async { cont.resume(with: Result { try spawnAndWait(arguments, logPath: logPath) }) }
        }
        let elapsed = ContinuousClock.now - start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        logger.debug("Ran command", metadata: ["command": "\(line)", "exit.status": "\(status)", "duration.ms": "\(ms)"])
        guard status == 0 else {
            let tail = (try? ConsoleLog.readTail(path: logPath, maximumBytes: 2048)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw ComputeDriverError(
                "`\(line)` exited with status \(status): \(tail.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func spawnAndWait(_ arguments: [String], logPath: String) throws -> Int32 {
        guard let first = arguments.first else { throw ComputeDriverError("empty qemu command line") }
        guard let program = resolve(first) else {
            throw ComputeDriverError("\(first) not found in PATH: install qemu-system-x86 (apt-get install qemu-system-x86)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc ≥ 2.34 has it, but Swift's Glibc module does not import it.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        // The calling thread (a dispatch worker) blocks signals such as SIGTERM/SIGHUP; qemu would
        // inherit that mask and ignore SIGTERM for its whole life. Start it with an empty mask and
        // default dispositions.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments.dropFirst()).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, &attr, &argv, environ)
        guard rc == 0 else { throw ComputeDriverError("cannot start \(program): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ComputeDriverError("cannot wait for \(program): \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, WTERMSIG as 128+n like a shell.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    private static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
