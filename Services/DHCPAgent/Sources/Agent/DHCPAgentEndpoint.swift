import Messaging
import Schemas

/// The server side of ``DHCPAgentAPI`` 1.0: every notification only queues an event for the
/// agent's loop (so a burst is coalesced and the RPC consumer never waits on dnsmasq).
public enum DHCPAgentEndpoint {
    public static func make(inbox: EventInbox) -> RPCEndpoint {
        var e = RPCEndpoint(version: DHCPAgentAPI.version)
        e.register("network_create_end") { (req: RPCRequest, a: NetworkEventArguments) in
            inbox.push(.networkUpdate(a.network), requestID: req.context.requestID)
        }
        e.register("network_update_end") { (req: RPCRequest, a: NetworkEventArguments) in
            inbox.push(.networkUpdate(a.network), requestID: req.context.requestID)
        }
        e.register("network_delete_end") { (req: RPCRequest, a: NetworkDeleteArguments) in
            inbox.push(.networkDelete(networkID: a.networkID), requestID: req.context.requestID)
        }
        e.register("subnet_create_end") { (req: RPCRequest, a: SubnetEventArguments) in
            inbox.push(.subnetUpdate(a.subnet), requestID: req.context.requestID)
        }
        e.register("subnet_update_end") { (req: RPCRequest, a: SubnetEventArguments) in
            inbox.push(.subnetUpdate(a.subnet), requestID: req.context.requestID)
        }
        e.register("subnet_delete_end") { (req: RPCRequest, a: SubnetDeleteArguments) in
            inbox.push(.subnetDelete(subnetID: a.subnetID, networkID: a.networkID), requestID: req.context.requestID)
        }
        e.register("port_create_end") { (req: RPCRequest, a: PortEventArguments) in
            req.logger.debug("Queued port event", metadata: ["port.id": "\(a.port.id)", "network.id": "\(a.port.networkID)"])
            inbox.push(.portUpdate(a.port), requestID: req.context.requestID)
        }
        e.register("port_update_end") { (req: RPCRequest, a: PortEventArguments) in
            inbox.push(.portUpdate(a.port), requestID: req.context.requestID)
        }
        e.register("port_delete_end") { (req: RPCRequest, a: PortDeleteArguments) in
            inbox.push(.portDelete(a), requestID: req.context.requestID)
        }
        return e
    }
}
