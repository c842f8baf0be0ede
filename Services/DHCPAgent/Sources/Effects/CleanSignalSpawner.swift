import Foundation
import Logging

/// Starts a program with an empty signal mask and default signal handlers (`posix_spawnp`
/// with `POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF`), waits for it and returns its exit
/// status and stderr.
///
/// Needed for dnsmasq: ``ProcessRunner`` starts programs from libdispatch worker threads,
/// whose blocked signal mask a child inherits across `exec`, and dnsmasq never unblocks
/// SIGHUP/SIGTERM — it would ignore every reload and stop request.
public enum CleanSignalSpawner {
    /// Runs `arguments` (looked up in `PATH`) to completion.
    public static func run(_ arguments: [String], logger: Logger) async throws -> String {
        let line = arguments.joined(separator: " ")
        let result: Result<(Int32, String), DHCPAgentError> = await withCheckedContinuation { cont in
            DispatchQueue.global().async { cont.resume(returning: runBlocking(arguments)) }
        }
        switch result {
        case .success(let (status, err)):
            logger.debug("Ran command", metadata: ["command": "\(line)", "exit.status": "\(status)"])
            guard status == 0 else {
                throw DHCPAgentError("`\(line)` exited with status \(status): \(err.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return err
        case .failure(let error):
            throw error
        }
    }

    private static func runBlocking(_ arguments: [String]) -> Result<(Int32, String), DHCPAgentError> {
        guard !arguments.isEmpty else { return .failure(DHCPAgentError("empty command")) }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .failure(DHCPAgentError("pipe failed: errno \(errno)")) }
        var attr = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attr)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attr)
            posix_spawn_file_actions_destroy(&actions)
        }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var cargs: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attr, &cargs, environ)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            return .failure(DHCPAgentError("cannot run \(arguments[0]): \(String(cString: strerror(rc)))"))
        }
        // The daemonized dnsmasq closes its stdio, so EOF comes when the launcher exits.
        let handle = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        let err = handle.readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .success((exit, String(decoding: err, as: UTF8.self)))
    }
}
