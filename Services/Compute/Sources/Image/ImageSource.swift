import Logging
import Messaging
import Schemas

/// Where image bytes come from: cirrus-api's image service over HTTP in production, a stub
/// in tests.
public protocol ImageSource: Sendable {
    /// Writes the bytes of `image` to `path` (a temporary file the cache renames afterwards).
    func download(_ image: ImageSpec, to path: String, context: RequestContext, logger: Logger) async throws

    /// The record of image `id` (for kernel and ramdisk images the build only knows by id).
    func imageMetadata(id: String, context: RequestContext, logger: Logger) async throws -> ImageSpec
}

/// Image bytes cannot be had or are not the image's.
public struct ImageFetchError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
