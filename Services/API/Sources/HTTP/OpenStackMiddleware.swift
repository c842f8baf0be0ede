import Foundation
import Hummingbird
import Logging

/// The outermost layer of every request: gives it a request id (logger metadata and the
/// `x-openstack-request-id` / `x-compute-request-id` headers), checks and echoes the compute
/// microversion, turns every error into the OpenStack body of the API the path belongs to,
/// and logs one line per request.
public struct OpenStackMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.logger[metadataKey: "request.id"] = .string(context.requestID)
        let path = request.uri.path
        let style = ErrorStyle.forPath(path)
        let started = ContinuousClock.now
        var response: Response
        let requested = Microversion.requested(
            openStackAPIVersion: request.headers[Self.apiVersion], novaAPIVersion: request.headers[Self.novaVersion])
        if style == .compute, let refusal = Microversion.refusal(requested) {
            response = Self.render(APIError(.notAcceptable, refusal), style: style)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as APIError {
                response = Self.render(error, style: style)
            } catch let error as any HTTPResponseError {
                response = Self.render(APIError(error.status, Self.message(for: error.status, path: path)), style: style)
            } catch {
                context.logger.error("Unexpected error handling request", metadata: ["error": "\(error)"])
                response = Self.render(
                    APIError(
                        .internalServerError,
                        "Unexpected API error (\(type(of: error))); it is logged with request id \(context.requestID)."),
                    style: style)
            }
        }
        response.headers[Self.openStackRequestID] = context.requestID
        response.headers[Self.computeRequestID] = context.requestID
        if style == .compute {
            response.headers[Self.apiVersion] = "compute \(Microversion.current)"
            response.headers[Self.novaVersion] = Microversion.current
            response.headers[.vary] = "OpenStack-API-Version, X-OpenStack-Nova-API-Version"
        }
        let elapsed = ContinuousClock.now - started
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "Request handled",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(path)",
                "http.status": "\(response.status.code)", "http.duration_ms": "\(String(format: "%.1f", millis))",
            ])
        return response
    }

    static func render(_ error: APIError, style: ErrorStyle) -> Response {
        let (contentType, body) = ErrorRenderer.render(error, style: style)
        var headers: HTTPFields = [.contentType: contentType]
        if error.status == .unauthorized { headers[.wwwAuthenticate] = "Keystone uri=\"/v3\"" }
        return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func message(for status: HTTPResponse.Status, path: String) -> String {
        switch status {
        case .notFound: "The resource could not be found: no API path \(path)."
        case .methodNotAllowed: "The method is not allowed on \(path)."
        case .contentTooLarge: "Request body is larger than \(APIRequestContext.maxJSONBody) bytes; JSON requests are limited to 256 KiB."
        default: status.reasonPhrase
        }
    }

    static let apiVersion = HeaderName("OpenStack-API-Version")!
    static let novaVersion = HeaderName("X-OpenStack-Nova-API-Version")!
    static let openStackRequestID = HeaderName("x-openstack-request-id")!
    static let computeRequestID = HeaderName("x-compute-request-id")!
}
