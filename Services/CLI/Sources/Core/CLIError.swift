/// An error the CLI reports to the user: one clear sentence on stderr, exit status 1.
///
/// The message is the whole story (`No image with a name or ID of 'cirros' exists.`); no type
/// names or stack traces are added when it is printed.
public struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text printed on stderr.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// `No <resource> with a name or ID of '<x>' exists.` (openstackclient's wording).
    public static func notFound(_ resource: String, _ nameOrID: String) -> CLIError {
        CLIError("No \(resource) with a name or ID of '\(nameOrID)' exists.")
    }

    /// `More than one <resource> exists with the name '<x>'.` (openstackclient's wording).
    public static func ambiguous(_ resource: String, _ name: String) -> CLIError {
        CLIError("More than one \(resource) exists with the name '\(name)'.")
    }

    /// The deployment has no Network API yet (no `network` endpoint in the catalog, or it 404s).
    public static let networkUnavailable = CLIError(
        "Network API not available: the catalog has no working 'network' endpoint, so networks cannot be looked up by name. Attach a server by network id with --nic net-id=<network id>.")
}
