import Foundation
import Messaging

/// An HTTP error status from an OpenStack API, printed as openstackclient does:
/// `<message> (HTTP <status>) (Request-ID: <id>)`.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var requestID: String?

    public init(status: Int, message: String, requestID: String? = nil) {
        self.status = status
        self.message = message
        self.requestID = requestID
    }

    /// Reads the message out of an OpenStack error body.
    public init(response: HTTPResponse) {
        self.init(
            status: response.status,
            message: APIError.message(from: response.body, status: response.status),
            requestID: response.header("X-OpenStack-Request-Id") ?? response.header("X-Compute-Request-Id"))
    }

    public var description: String {
        var s = "\(message) (HTTP \(status))"
        if let requestID { s += " (Request-ID: \(requestID))" }
        return s
    }

    /// The message in a Nova (`{"itemNotFound": {"message"}}`), Keystone (`{"error": {"message"}}`),
    /// Neutron (`{"NeutronError": {"message"}}`) or Glance (plain text) error body.
    public static func message(from body: Data, status: Int) -> String {
        if let json = try? JSONValue.parse(body), case .object(let o) = json {
            if let m = o["message"]?.stringValue { return m }
            for key in ["error", "NeutronError"] {
                if let m = o[key]?["message"]?.stringValue { return m }
            }
            if o.count == 1, let m = o.values.first?["message"]?.stringValue { return m }
            if let m = o.values.compactMap({ $0["message"]?.stringValue }).first { return m }
        }
        let text = String(decoding: body, as: UTF8.self)
            .replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return text.isEmpty ? reason(status) : text
    }

    /// Keystone/Nova's standard sentence for a status without a body.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad request."
        case 401: return "The request you have made requires authentication."
        case 403: return "You are not authorized to perform the requested action."
        case 404: return "The resource could not be found."
        case 405: return "Method not allowed."
        case 409: return "Conflict."
        case 413: return "Request entity too large."
        case 500: return "Internal server error."
        case 503: return "Service unavailable."
        default: return "Unexpected HTTP status."
        }
    }
}
