import ArgumentParser
import Foundation

/// `cirrus`: the operator's command-line client (openstackclient's commands and output, plus `rpc`).
public struct CirrusCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cirrus",
        abstract: "Operate a Cirrus cloud.",
        discussion: """
            Credentials come from --os-* options, OS_* environment variables (OS_AUTH_URL, OS_USERNAME, \
            OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME, OS_REGION_NAME, \
            OS_INTERFACE) or a cloud in clouds.yaml chosen with --os-cloud / OS_CLOUD.
            """,
        subcommands: [
            ServerCommand.self, ImageCommand.self, FlavorCommand.self, KeypairCommand.self, NetworkCommand.self,
            SubnetCommand.self, PortCommand.self, ConsoleCommand.self, ComputeCommand.self, HypervisorCommand.self,
            RPCCommand.self,
        ]
    )

    public init() {}
}

extension CirrusCommand {
    /// Parses the command line and runs the chosen (async) subcommand. Errors print one message on
    /// stderr and exit 1 (help exits 0); no stack traces.
    public static func runMain(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async {
        do {
            var command = try parseAsRoot(GlobalOptions.moveLeadingOptions(arguments))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let e as CLIError {
            Stderr.write(e.message + "\n")
            Foundation.exit(1)
        } catch let e as APIError {
            Stderr.write(e.description + "\n")
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            Stderr.write(fullMessage(for: error) + "\n")
            Foundation.exit(1)
        }
    }
}

/// openstackclient takes `--os-*` options before the command (`cirrus --os-cloud c server list`);
/// ArgumentParser wants them after it, so they are moved there.
enum GlobalOptions {
    /// Leading `--os-x V` / `--os-x=V` pairs moved to the end of the arguments.
    static func moveLeadingOptions(_ args: [String]) -> [String] {
        var moved: [String] = []
        var i = 0
        while i < args.count, args[i].hasPrefix("--os-") {
            moved.append(args[i])
            if !args[i].contains("="), i + 1 < args.count { moved.append(args[i + 1]); i += 1 }
            i += 1
        }
        guard !moved.isEmpty else { return args }
        var rest = Array(args[i...])
        // Keep them before a `--` terminator, if any.
        if let dd = rest.firstIndex(of: "--") { rest.insert(contentsOf: moved, at: dd) } else { rest += moved }
        return rest
    }
}
