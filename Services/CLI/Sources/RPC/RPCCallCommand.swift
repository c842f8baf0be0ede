import ArgumentParser
import Foundation
import Messaging

/// `cirrus rpc call <topic>[.<host>] <method> --args '<json>'`: one call, printing the
/// result or the remote error.
struct RPCCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call an RPC method and print its result.")

    @Argument(help: "Topic, or topic.host.")
    var target: String

    @Argument(help: "Method name.")
    var method: String

    @Option(help: "Arguments as a JSON object.")
    var args = "{}"

    @Option(help: "RPC API version to request (e.g. 1.0).")
    var version: String?

    @Option(help: "Seconds to wait for the reply.")
    var timeout = 60.0

    @OptionGroup var bus: BusOptions

    func run() async throws {
        guard case .object(let object)? = try? JSONValue.parse(Data(args.utf8)) else {
            throw ValidationError("--args must be a JSON object, e.g. '{\"key\": \"value\"}'")
        }
        var requested: RPCVersion?
        if let version {
            guard let v = RPCVersion(version) else { throw ValidationError("--version must look like 1.0") }
            requested = v
        }
        let transport = try bus.transport(timeout: timeout)
        try await bus.requireBroker(transport, within: timeout)
        let (topic, server) = BusOptions.splitTarget(target)
        var client = RPCClient(transport: transport, topic: topic, server: server, timeout: timeout)
        client.failIfUnroutable = true  // a topic nothing serves is reported at once
        let context = RequestContext(userID: "cirrus-cli")
        do {
            let result = try await client.callJSON(method, args: object, context: context, version: requested)
            print(result.serialized())
            await transport.shutdown()
        } catch let e as RemoteError {
            await transport.shutdown()
            FileHandle.standardError.write(Data("Remote error: \(e.className) (\(e.module)): \(e.message) [\(context.requestID)]\n".utf8))
            throw ExitCode(1)
        } catch let e as any RemoteErrorConvertible {
            await transport.shutdown()
            FileHandle.standardError.write(Data("Remote error: \(type(of: e).remoteClassName): \(e.remoteMessage) [\(context.requestID)]\n".utf8))
            throw ExitCode(1)
        } catch {
            await transport.shutdown()
            FileHandle.standardError.write(Data("Error: \(error) [\(context.requestID)]\n".utf8))
            throw ExitCode(2)
        }
    }
}
