import Hummingbird
import Messaging

/// Renders an ``APIError`` as the OpenStack service of the path would. Pure.
public enum ErrorRenderer {
    /// The body and its content type.
    public static func render(_ error: APIError, style: ErrorStyle) -> (contentType: String, body: String) {
        let code = Int64(error.status.code)
        // Keystone's 401 shape is what keystonemiddleware answers for every service.
        if error.status == .unauthorized || style == .identity {
            let body: JSONValue = [
                "error": ["code": .int(code), "title": .string(error.status.reasonPhrase), "message": .string(error.message)]
            ]
            return ("application/json", body.serialized())
        }
        switch style {
        case .compute, .identity:
            let body: JSONValue = [computeFaultName(error.status): ["code": .int(code), "message": .string(error.message)]]
            return ("application/json", body.serialized())
        case .network:
            let body: JSONValue = [
                "NeutronError": [
                    "type": .string(error.type ?? networkType(error.status)), "message": .string(error.message), "detail": "",
                ]
            ]
            return ("application/json", body.serialized())
        case .image:
            return ("text/plain; charset=UTF-8", "\(error.status.code) \(error.status.reasonPhrase)\n\n\(error.message)\n\n")
        }
    }

    /// Nova's fault names.
    public static func computeFaultName(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "badRequest"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "itemNotFound"
        case 405: "badMethod"
        case 406: "notAcceptable"
        case 409: "conflictingRequest"
        case 413: "overLimit"
        case 501: "notImplemented"
        default: status.code >= 500 ? "computeFault" : "badRequest"
        }
    }

    static func networkType(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "HTTPNotFound"
        case 403: "HTTPForbidden"
        case 409: "Conflict"
        case 400: "HTTPBadRequest"
        default: "HTTPInternalServerError"
        }
    }
}
