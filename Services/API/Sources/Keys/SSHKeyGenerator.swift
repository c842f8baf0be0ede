import Foundation
import Logging
import ServiceKit

/// Generates SSH key pairs for `keypair create` without `--public-key`.
public protocol KeyGenerating: Sendable {
    /// A new pair: OpenSSH private key text and the `ssh-ed25519 AAAA… comment` public key line.
    func generate(comment: String) async throws -> (privateKey: String, publicKey: String)
}

/// ``KeyGenerating`` with `ssh-keygen -t ed25519 -N '' -C <name> -f <tmp>`.
public struct SSHKeyGenerator: KeyGenerating {
    public var executable: String
    public var runner: any ProcessRunning
    public var logger: Logger

    public init(executable: String = "/usr/bin/ssh-keygen", runner: any ProcessRunning = ProcessRunner(), logger: Logger = Logger(label: "cirrus.api.keys")) {
        self.logger = logger
        self.executable = executable
        self.runner = runner
    }

    public func generate(comment: String) async throws -> (privateKey: String, publicKey: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cirrus-keygen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key").path
        _ = try await runner.run([executable, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", keyPath], logger: logger)
        let privateKey = try String(contentsOfFile: keyPath, encoding: .utf8)
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (privateKey, publicKey)
    }
}
