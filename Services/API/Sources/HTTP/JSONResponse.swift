import Hummingbird
import Messaging

/// JSON responses from ``JSONValue`` documents.
public enum JSONResponse {
    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    /// An empty response (204, 202).
    public static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentLength: "0"], body: ResponseBody())
    }
}

/// An HTTP header name (HTTPTypes' `HTTPField.Name`, which Hummingbird does not re-export).
public typealias HeaderName = HTTPFields.Element.Name
