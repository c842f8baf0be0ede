import ServiceKit
import Foundation
import Logging
import Schemas

/// Checks downloaded bytes against the image record: size, Glance's MD5 `checksum` and its
/// `os_hash_value` (SHA-512), hashing with `md5sum`/`sha512sum` through the process runner.
public struct ImageVerifier: Sendable {
    public let runner: any ProcessRunning

    public init(runner: any ProcessRunning) {
        self.runner = runner
    }

    /// - Throws: ``ImageFetchError`` naming what differs.
    public func verify(_ path: String, image: ImageSpec, logger: Logger) async throws {
        if let size = image.size {
            let actual = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? -1
            guard actual == size else {
                throw ImageFetchError("image \(image.id) downloaded with \(actual) bytes but its record says \(size): the download was discarded")
            }
        }
        if let md5 = image.checksum, !md5.isEmpty {
            try await compare(tool: "md5sum", path: path, expected: md5, what: "MD5 checksum", image: image, logger: logger)
        }
        if let algo = image.osHashAlgo?.lowercased(), let value = image.osHashValue, !value.isEmpty {
            let tool: String? = switch algo {
            case "sha512": "sha512sum"
            case "sha256": "sha256sum"
            case "sha384": "sha384sum"
            case "sha1": "sha1sum"
            case "md5": "md5sum"
            default: nil
            }
            guard let tool else {
                throw ImageFetchError("image \(image.id) has os_hash_algo \(algo), which compute cannot verify (use sha512)")
            }
            try await compare(tool: tool, path: path, expected: value, what: "\(algo) hash", image: image, logger: logger)
        }
    }

    private func compare(tool: String, path: String, expected: String, what: String, image: ImageSpec, logger: Logger) async throws {
        let out = try await runner.run([tool, path], logger: logger)
        let actual = out.split(separator: " ").first.map(String.init) ?? ""
        guard actual.lowercased() == expected.lowercased() else {
            throw ImageFetchError(
                "image \(image.id) downloaded with \(what) \(actual) but its record says \(expected): the download was discarded; re-upload the image")
        }
    }
}
