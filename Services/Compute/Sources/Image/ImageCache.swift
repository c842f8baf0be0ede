import Foundation
import Logging
import Messaging
import Schemas

/// Nova's image cache: each image is downloaded once into `_base/<sha1(image id)>` and shared
/// by the qcow2 overlays of every instance booted from it.
///
/// Concurrent builds needing the same missing image wait for one download (single flight). A
/// download goes to a temporary file, is verified (size, MD5, SHA-512), then renamed, so a
/// `_base` file is always whole and correct. When several hosts live in one process (fake
/// hosts), each has its own `_base` and the bytes are downloaded once into the shared
/// ``downloadDirectory`` and hard-linked into each host's `_base`.
public actor ImageCache {
    public let downloadDirectory: String
    public let source: any ImageSource
    public let verifier: ImageVerifier
    private var inFlight: [String: Task<String, any Error>] = [:]
    /// Downloads started, for tests and logs.
    public private(set) var downloads = 0

    public init(downloadDirectory: String, source: any ImageSource, verifier: ImageVerifier) {
        self.downloadDirectory = downloadDirectory
        self.source = source
        self.verifier = verifier
    }

    /// The path of `image` in `baseDirectory`, downloading or linking it first if missing.
    public func baseImage(
        for image: ImageSpec, in baseDirectory: String, context: RequestContext, logger: Logger
    ) async throws -> String {
        let target = baseDirectory + "/" + InstancePaths.baseName(imageID: image.id)
        if FileManager.default.fileExists(atPath: target) { return target }
        if let task = inFlight[target] { return try await task.value }
        let task = Task { try await self.fill(target, image: image, baseDirectory: baseDirectory, context: context, logger: logger) }
        inFlight[target] = task
        defer { inFlight[target] = nil }
        return try await task.value
    }

    private func fill(
        _ target: String, image: ImageSpec, baseDirectory: String, context: RequestContext, logger: Logger
    ) async throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: baseDirectory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: target) { return target }
        let tmp = target + ".part-" + UUID().uuidString.lowercased()
        defer { try? fm.removeItem(atPath: tmp) }
        if baseDirectory != downloadDirectory {
            let shared = try await baseImage(for: image, in: downloadDirectory, context: context, logger: logger)
            if link(shared, tmp) != 0 { try fm.copyItem(atPath: shared, toPath: tmp) }
        } else {
            downloads += 1
            logger.info("Downloading image into the cache", metadata: ["image.id": "\(image.id)", "path": "\(target)"])
            try await source.download(image, to: tmp, context: context, logger: logger)
            try await verifier.verify(tmp, image: image, logger: logger)
        }
        guard rename(tmp, target) == 0 else {
            throw ImageFetchError("cannot rename \(tmp) to \(target): \(String(cString: strerror(errno)))")
        }
        return target
    }
}
