import Hummingbird

/// An error answered to the client: a status and a message that says what to fix. Rendered
/// in the shape of the API the path belongs to (see ``ErrorRenderer``).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    /// Neutron's exception class name (`NetworkNotFound`, `IpAddressGenerationFailure` …) for
    /// `NeutronError.type`; nil = derived from the status.
    public var type: String?

    public init(_ status: HTTPResponse.Status, _ message: String, type: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
    }

    public var description: String { "\(status.code) \(message)" }

    public static func badRequest(_ message: String, type: String? = nil) -> APIError { APIError(.badRequest, message, type: type) }
    public static func notFound(_ message: String, type: String? = nil) -> APIError { APIError(.notFound, message, type: type) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    public static func conflict(_ message: String, type: String? = nil) -> APIError { APIError(.conflict, message, type: type) }
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
        if path.hasPrefix("/network") { return .network }  // also /networking
        return .identity
    }
}
