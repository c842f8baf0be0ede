/// Every versioned RPC API Cirrus speaks, for the schema compatibility tests and tools.
public enum SchemaRegistry {
    public static let apis: [any RPCAPIDescription.Type] = [
        ConductorAPI.self,
        SchedulerAPI.self,
        ComputeAPI.self,
        DHCPAgentAPI.self,
        MetadataAPI.self,
    ]
}
