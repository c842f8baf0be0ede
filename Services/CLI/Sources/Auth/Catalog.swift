import Messaging

/// The service catalog from a Keystone token: where each service type is reachable.
public struct Catalog: Sendable, Equatable {
    /// One endpoint of one service.
    public struct Endpoint: Sendable, Equatable {
        public var type: String
        public var interface: String
        public var region: String?
        public var url: String
    }

    public var endpoints: [Endpoint]

    public init(endpoints: [Endpoint]) { self.endpoints = endpoints }

    /// Reads `token.catalog` (`[{type, endpoints: [{interface, region|region_id, url}]}]`).
    public init(token: JSONValue) {
        var list: [Endpoint] = []
        for service in token["catalog"]?.arrayValue ?? [] {
            guard let type = service["type"]?.stringValue else { continue }
            for e in service["endpoints"]?.arrayValue ?? [] {
                guard let url = e["url"]?.stringValue else { continue }
                list.append(Endpoint(
                    type: type, interface: e["interface"]?.stringValue ?? "public",
                    region: e["region"]?.stringValue ?? e["region_id"]?.stringValue, url: url))
            }
        }
        endpoints = list
    }

    /// The URL for a service type on an interface (and region, when one is asked for).
    public func url(type: String, interface: String = "public", region: String? = nil) -> String? {
        endpoints.first {
            $0.type == type && $0.interface == interface && (region == nil || $0.region == region)
        }?.url
    }
}
