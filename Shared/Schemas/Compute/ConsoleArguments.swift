/// `get_console_output`: the tail of the instance's serial console log.
public struct ConsoleOutputArguments: Codable, Sendable, Equatable {
    public var instanceUUID: String
    /// Last N lines; nil = the whole log.
    public var lines: Int?

    public init(instanceUUID: String, lines: Int? = nil) {
        self.instanceUUID = instanceUUID
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case instanceUUID = "instance_uuid"
        case lines
    }
}

public struct ConsoleOutputResult: Codable, Sendable, Equatable {
    public var output: String

    public init(output: String) {
        self.output = output
    }
}

/// `get_vnc_console`: where the instance's VNC server listens.
public struct VNCConsoleResult: Codable, Sendable, Equatable {
    public var host: String
    public var port: Int
    /// `vnc://<host>:<port>`.
    public var url: String

    public init(host: String, port: Int, url: String) {
        self.host = host
        self.port = port
        self.url = url
    }
}
