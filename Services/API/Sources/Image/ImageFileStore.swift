import Foundation
import Hummingbird

/// Image bytes under `<state_path>/images/<id>`. Uploads stream to `<id>.part`, hashing as
/// they go (MD5 `checksum`, SHA-512 `os_hash_value`), and are renamed into place at the end,
/// so a failed upload never leaves a partial image behind.
public struct ImageFileStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Where an image's bytes are.
    public func path(_ id: String) -> String { "\(directory)/\(id)" }

    /// What an upload produced.
    public struct Stored: Sendable, Equatable {
        public var size: Int64
        public var md5: String
        public var sha512: String
    }

    /// Streams `body` into the image's file.
    public func store<Body: AsyncSequence>(_ id: String, body: Body) async throws -> Stored where Body.Element == ByteBuffer {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let partial = path(id) + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil) else {
            throw APIError(.internalServerError, "Cannot create \(partial): check that the API's state directory is writable.")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        var md5 = MD5()
        var sha = SHA512()
        var size: Int64 = 0
        do {
            for try await chunk in body {
                chunk.withUnsafeReadableBytes { raw in
                    md5.update(raw)
                    sha.update(raw)
                }
                size += Int64(chunk.readableBytes)
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            try handle.close()
            if FileManager.default.fileExists(atPath: path(id)) { try FileManager.default.removeItem(atPath: path(id)) }
            try FileManager.default.moveItem(atPath: partial, toPath: path(id))
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return Stored(size: size, md5: Hex.string(md5.finalize()), sha512: Hex.string(sha.finalize()))
    }

    /// Deletes the image's bytes, if any.
    public func remove(_ id: String) {
        try? FileManager.default.removeItem(atPath: path(id))
        try? FileManager.default.removeItem(atPath: path(id) + ".part")
    }
}
