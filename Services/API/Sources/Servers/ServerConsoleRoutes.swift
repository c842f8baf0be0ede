import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// The console of a server: `os-getConsoleOutput` (serial log tail), `os-getVNCConsole` and
/// `POST /servers/{id}/remote-consoles` (VNC URL), each a call to the instance's compute host.
public struct ServerConsoleRoutes: Sendable {
    public let environment: APIEnvironment
    static let actions: Set<String> = ["os-getConsoleOutput", "os-getVNCConsole"]

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.post("servers/:id/remote-consoles") { request, context in
            guard let body = try BodyFields.parse(try await request.jsonBody()).objectValue, let console = body["remote_console"]?.objectValue else {
                throw APIError.badRequest("The body must be {\"remote_console\": {\"protocol\": \"vnc\", \"type\": \"novnc\"}}.")
            }
            let proto = console["protocol"]?.stringValue ?? ""
            let type = console["type"]?.stringValue ?? ""
            guard proto == "vnc", ["novnc", "xvpvnc"].contains(type) else {
                throw APIError.badRequest("Unsupported console protocol '\(proto)' / type '\(type)': Cirrus offers protocol vnc with type novnc.")
            }
            let url = try await self.vncURL(context)
            return JSONResponse.make(["remote_console": ["protocol": "vnc", "type": .string(type), "url": .string(url)]])
        }
    }

    /// Runs a console action of `POST /servers/{id}/action`.
    func action(_ name: String, _ value: JSONValue, _ context: APIRequestContext) async throws -> Response {
        if name == "os-getVNCConsole" {
            let type = value["type"]?.stringValue ?? "novnc"
            guard ["novnc", "xvpvnc"].contains(type) else {
                throw APIError.badRequest("Invalid input for field/attribute os-getVNCConsole.type: expected 'novnc'.")
            }
            return JSONResponse.make(["console": ["type": .string(type), "url": .string(try await vncURL(context))]])
        }
        var lines: Int?
        switch value["length"] {
        case nil, .null?: lines = nil
        case .int(let n)?: lines = Int(n)
        case .string(let s)?: lines = Int(s)
        default: lines = -1
        }
        if let n = lines, n < 0 {
            throw APIError.badRequest("Invalid input for field/attribute os-getConsoleOutput.length: expected a non-negative integer or null.")
        }
        let (host, uuid, rpc) = try await target(context)
        let output: String
        do {
            output = try await environment.compute.getConsoleOutput(host: host, instanceUUID: uuid, lines: lines, context: rpc)
        } catch {
            throw Self.translate(error, what: "console output", host: host)
        }
        return JSONResponse.make(["output": .string(output)])
    }

    func vncURL(_ context: APIRequestContext) async throws -> String {
        let (host, uuid, rpc) = try await target(context)
        do {
            return try await environment.compute.getVNCConsole(host: host, instanceUUID: uuid, actionRequestID: context.requestID, context: rpc).url
        } catch {
            throw Self.translate(error, what: "VNC console", host: host)
        }
    }

    /// The instance's host; 409 when it has none or is not running there.
    func target(_ context: APIRequestContext) async throws -> (String, String, Messaging.RequestContext) {
        let auth = try context.caller()
        let (instance, _) = try await ServerLookup.find(context, environment.database)
        guard let host = instance.host else {
            throw APIError.conflict("Instance \(instance.uuid) is not on a host yet (vm_state \(instance.vmState.rawValue)); try again when it is ACTIVE.")
        }
        return (host, instance.uuid, auth.rpcContext(requestID: context.requestID))
    }

    /// Compute's answers as REST errors that say what happened.
    static func translate(_ error: any Error, what: String, host: String) -> APIError {
        if let remote = error as? RemoteError {
            switch remote.className {
            case "NoSuchMethod", "UnsupportedVersion":
                return APIError(.notImplemented, "The \(what) is not available: compute host \(host) does not support it (\(remote.className)); its driver may not have a console.")
            case "InstanceNotFound":
                return APIError.notFound("The instance is not on compute host \(host) (\(remote.message)).")
            case "ConsoleTypeUnavailable":
                return APIError.badRequest("The \(what) is not available: \(remote.message)")
            case "ConsoleNotAvailable", "InstanceNotReady", "InstanceNotRunning":
                return APIError.conflict("The \(what) is not available: \(remote.message)")
            default:
                return APIError(.internalServerError, "Compute host \(host) failed to return the \(what): \(remote.className): \(remote.message)")
            }
        }
        return APIError(.serviceUnavailable, "Compute host \(host) did not answer the \(what) request (\(error)); it may be down, try again later.")
    }
}
