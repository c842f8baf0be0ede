import ArgumentParser

/// The command-line options every Cirrus daemon accepts, oslo.config style.
///
/// Use as `@OptionGroup var options: DaemonOptions` in the daemon's `AsyncParsableCommand`.
/// Options given here override the environment and the config files.
public struct DaemonOptions: ParsableArguments, Sendable {
    /// `--config-file PATH`, repeatable; later files override earlier ones.
    /// When none is given, `/etc/cirrus/cirrus.conf` is read if it exists.
    @Option(
        name: .customLong("config-file"),
        help: ArgumentHelp(
            "Path to a configuration file; repeat to layer files, later files win.",
            valueName: "path"
        )
    )
    public var configFiles: [String] = []

    /// `--debug` / `--no-debug`: overrides `DEFAULT.debug`.
    @Flag(inversion: .prefixedNo, help: "Log at debug level (overrides [DEFAULT] debug).")
    public var debug: Bool? = nil

    /// `--host NAME`: overrides `DEFAULT.host`.
    @Option(help: ArgumentHelp("This node's name (overrides [DEFAULT] host).", valueName: "name"))
    public var host: String? = nil

    /// `--log-file PATH`: overrides `DEFAULT.log_file`.
    @Option(name: .customLong("log-file"), help: ArgumentHelp("Append logs to this file instead of stderr.", valueName: "path"))
    public var logFile: String? = nil

    /// For ArgumentParser only: the properties have no value until parsing fills them in.
    /// Build options in code with ``init(configFiles:debug:host:logFile:)``.
    public init() {}

    /// Options given programmatically (tests, embedding) rather than parsed.
    public init(configFiles: [String] = [], debug: Bool? = nil, host: String? = nil, logFile: String? = nil) {
        self.configFiles = configFiles
        self.debug = debug
        self.host = host
        self.logFile = logFile
    }

    /// The options given, as `section.key` → value overrides for ``CirrusConfigReader``.
    public var commandLineOverrides: [String: String] {
        var overrides: [String: String] = [:]
        if let debug { overrides["DEFAULT.debug"] = debug ? "true" : "false" }
        if let host { overrides["DEFAULT.host"] = host }
        if let logFile { overrides["DEFAULT.log_file"] = logFile }
        return overrides
    }
}
