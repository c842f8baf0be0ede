import Logging
import Messaging
import Schemas

extension ComputeManager {
    /// `get_console_output`: the last `lines` lines of the instance's `console.log` (read from
    /// its last 100 KiB); "" when the driver writes none (fake).
    public func getConsoleOutput(_ args: ConsoleOutputArguments, logger: Logger) async throws -> ConsoleOutputResult {
        try await requireLive(args.instanceUUID)
        let path = paths.consoleLog(uuid: args.instanceUUID)
        let bytes = try ConsoleLog.readTail(path: path)
        return ConsoleOutputResult(output: ConsoleLog.text(bytes, lines: args.lines, truncated: bytes.count >= ConsoleLog.maximumBytes))
    }

    /// `get_vnc_console`: where the instance's VNC server listens.
    /// - Throws: ``ConsoleTypeUnavailable`` from drivers without VNC, ``InstanceNotFound``.
    public func getVNCConsole(_ args: InstanceActionArguments, logger: Logger) async throws -> VNCConsoleResult {
        try await requireLive(args.instanceUUID)
        return try await driver.vncConsole(uuid: args.instanceUUID)
    }

    private func requireLive(_ uuid: String) async throws {
        guard let record = try await store.instance(uuid), record.isLive else {
            throw InstanceNotFound(uuid: uuid, host: host)
        }
    }
}
