import Hummingbird

/// An error answered to the client: a status and a message that says what to fix. Rendered
/// in the shape of the API the path belongs to (see ``ErrorRenderer``).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(message)" }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }
    public static func unauthorized(
        _ message: String = "The request you have made requires authentication."
    ) -> APIError { APIError(.unauthorized, message) }
}

/// Which API's error body shape to use.
public enum ErrorStyle: Sendable, Equatable {
    /// `{"itemNotFound": {"code": 404, "message": …}}`
    case compute
    /// `{"error": {"code", "title", "message"}}`
    case identity
    /// a plain-text body, as Glance answers
    case image
    /// `{"NeutronError": {"type", "message", "detail"}}`
    case network

    /// The style of the API a request path belongs to.
    public static func forPath(_ path: String) -> ErrorStyle {
        if path.hasPrefix("/compute") { return .compute }
        if path.hasPrefix("/image") { return .image }
        if path.hasPrefix("/network") { return .network }
        return .identity
    }
}
