/// Chooses the endpoint and method for a request by oslo's rules. Pure: no I/O.
public enum RPCDispatcher {
    /// The outcome of dispatching one request.
    enum Decision {
        case ping
        case handle(RPCEndpoint.Handler)
        case reject(any RemoteErrorConvertible)
    }

    /// oslo's `rpc_ping_enabled` method.
    public static let pingMethod = "oslo_rpc_server_ping"

    static func decide(_ request: IncomingRequest, endpoints: [RPCEndpoint]) -> Decision {
        if request.method == pingMethod { return .ping }
        let requested = request.version ?? RPCVersion(1, 0)
        let compatible = endpoints.filter { $0.namespace == request.namespace && $0.version.canServe(requested) }
        guard !compatible.isEmpty else {
            return .reject(UnsupportedVersion(
                remoteMessage: "Endpoint does not support RPC version \(requested). Attempted method: \(request.method)"))
        }
        for endpoint in compatible {
            if let h = endpoint.handler(for: request.method) { return .handle(h) }
        }
        return .reject(NoSuchMethod(remoteMessage: "Endpoint does not support RPC method \(request.method)"))
    }
}
