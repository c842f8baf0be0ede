/// What the proxy answers for one request: status, content type and body. Pure data, so the
/// trees are tested without sockets.
public struct MetadataResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    /// A slice, so documents are served straight out of an instance's rendered blob.
    public var body: ArraySlice<UInt8>
    /// Headers besides Content-Type/Content-Length (token TTL, Retry-After, Allow).
    public var headers: [(String, String)]

    public static let textPlain = "text/plain; charset=UTF-8"
    public static let json = "application/json"

    public init(status: Int = 200, contentType: String = MetadataResponse.textPlain, body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body[...]
        self.headers = headers
    }

    public init(status: Int = 200, contentType: String, slice: ArraySlice<UInt8>) {
        self.status = status
        self.contentType = contentType
        self.body = slice
        self.headers = []
    }

    public init(status: Int = 200, contentType: String = MetadataResponse.textPlain, text: String, headers: [(String, String)] = []) {
        self.init(status: status, contentType: contentType, body: Array(text.utf8), headers: headers)
    }

    /// The body as UTF-8 text (for tests and logs).
    public var text: String { String(decoding: body, as: UTF8.self) }

    public static func == (a: MetadataResponse, b: MetadataResponse) -> Bool {
        a.status == b.status && a.contentType == b.contentType && a.body == b.body
            && a.headers.map { "\($0.0): \($0.1)" } == b.headers.map { "\($0.0): \($0.1)" }
    }

    /// webob's plain-text error page, as Nova sends it.
    public static func error(_ status: Int, _ detail: String = "") -> MetadataResponse {
        let title = reason(status)
        let explanation = explanations[status] ?? ""
        var text = "\(status) \(title)\n\n\(explanation)"
        if !detail.isEmpty { text += "\n\n\(detail)" }
        text += "\n\n   "
        return MetadataResponse(status: status, text: text)
    }

    public static let notFound = error(404)

    /// The HTTP reason phrase.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Request Entity Too Large"
        case 414: "URI Too Long"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }

    private static let explanations: [Int: String] = [
        400: "The server could not comply with the request since it is either malformed or otherwise incorrect.",
        401: "This server could not verify that you are authorized to access the document you requested.",
        403: "Access was denied to this resource.",
        404: "The resource could not be found.",
        405: "The method is not allowed for this resource.",
        409: "There was a conflict when trying to complete your request.",
        413: "The body of your request was too large for this server.",
        429: "Too many requests from this instance; slow down.",
        503: "The server is currently unavailable. Please try again at a later time.",
    ]
}
