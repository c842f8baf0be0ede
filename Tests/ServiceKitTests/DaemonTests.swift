import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import ServiceKit

@Suite struct DaemonTests {
    @Test func optionsParseRepeatedConfigFilesAndOverrides() throws {
        let options = try DaemonOptions.parse([
            "--config-file", "/etc/cirrus/cirrus.conf", "--config-file", "/etc/cirrus/compute.conf",
            "--debug", "--host", "node-1",
        ])
        #expect(options.configFiles == ["/etc/cirrus/cirrus.conf", "/etc/cirrus/compute.conf"])
        #expect(options.commandLineOverrides == ["DEFAULT.debug": "true", "DEFAULT.host": "node-1"])
        #expect(try DaemonOptions.parse(["--no-debug"]).commandLineOverrides == ["DEFAULT.debug": "false"])
        #expect(try DaemonOptions.parse([]).commandLineOverrides.isEmpty)
        let built = DaemonOptions(configFiles: ["a.conf"], debug: false, logFile: "/tmp/x.log")
        #expect(built.configFiles == ["a.conf"])
        #expect(built.commandLineOverrides == ["DEFAULT.debug": "false", "DEFAULT.log_file": "/tmp/x.log"])
    }

    @Test func loadConfigurationLayersFilesEnvironmentAndFlags() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cirrus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cirrus.conf").path
        try "[DEFAULT]\nhost = file\nreport_interval = 2\ndebug = false\n".write(toFile: path, atomically: true, encoding: .utf8)

        let options = try DaemonOptions.parse(["--config-file", path, "--debug"])
        let (reader, configuration) = try Daemon.loadConfiguration(
            options: options, environment: ["CIRRUS__DEFAULT__HOST": "env"], defaultConfigFiles: []
        )
        #expect(configuration.default.host == "env")
        #expect(configuration.default.debug)
        #expect(configuration.default.reportInterval == .seconds(2))
        #expect(reader.files.map(\.file.path) == [path])
    }

    @Test func missingConfigFileIsAClearError() throws {
        let options = try DaemonOptions.parse(["--config-file", "/nonexistent/cirrus.conf"])
        let error = #expect(throws: ConfigurationError.self) {
            try Daemon.loadConfiguration(options: options, environment: [:])
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.description == "config file /nonexistent/cirrus.conf does not exist; check the --config-file argument")
    }

    @Test func absentDefaultConfigFileIsSkipped() throws {
        let (reader, configuration) = try Daemon.loadConfiguration(
            options: DaemonOptions(configFiles: []), environment: [:], defaultConfigFiles: ["/nonexistent/cirrus.conf"]
        )
        #expect(reader.files.isEmpty)
        #expect(configuration == CirrusConfiguration())
    }

    @Test func runLogsStartAndStopAroundServices() async throws {
        let sink = InMemoryLogSink()
        let ran = RanFlag()
        let daemon = Daemon(
            name: "cirrus-test",
            config: try CirrusConfigReader(files: []),
            configuration: CirrusConfiguration(),
            logger: sink.logger(label: "cirrus.test", level: .info)
        )
        try await daemon.run(serviceConfigurations: [
            .init(service: OneShotService(ran: ran), successTerminationBehavior: .gracefullyShutdownGroup),
        ])
        #expect(ran.value)
        let lines = sink.lines
        #expect(lines.first?.contains("INFO cirrus.test [-] Starting cirrus-test") == true)
        #expect(lines.last?.contains("INFO cirrus.test [-] Stopped cirrus-test") == true)
    }

    @Test func debugLogNamesServicesWithoutTheirConfiguration() async throws {
        let sink = InMemoryLogSink()
        let daemon = Daemon(
            name: "cirrus-test", config: try CirrusConfigReader(files: []), configuration: CirrusConfiguration(),
            logger: sink.logger(label: "cirrus.test", level: .debug))
        try await daemon.run(serviceConfigurations: [
            .init(service: SecretHoldingService(password: "hunter2-secret"), successTerminationBehavior: .gracefullyShutdownGroup),
        ])
        let lines = sink.lines
        #expect(lines.contains { $0.contains("Starting service") && $0.contains("SecretHoldingService") })
        #expect(!lines.contains { $0.contains("hunter2-secret") })
    }

    @Test func serviceReturningEarlyIsAnError() async throws {
        let sink = InMemoryLogSink()
        let daemon = Daemon(
            name: "cirrus-test", config: try CirrusConfigReader(files: []), configuration: CirrusConfiguration(),
            logger: sink.logger(label: "cirrus.test", level: .info)
        )
        await #expect(throws: ServiceGroupError.self) {
            try await daemon.run(services: [OneShotService(ran: RanFlag())])
        }
        #expect(sink.lines.last?.contains("ERROR cirrus.test [-] cirrus-test stopped with an error") == true)
    }

    @Test func runLogsAndRethrowsServiceFailure() async throws {
        let sink = InMemoryLogSink()
        let daemon = Daemon(
            name: "cirrus-test", config: try CirrusConfigReader(files: []), configuration: CirrusConfiguration(),
            logger: sink.logger(label: "cirrus.test", level: .info)
        )
        await #expect(throws: FailingService.Failure.self) {
            try await daemon.run(services: [FailingService()])
        }
        #expect(sink.lines.contains { $0.contains("ERROR cirrus.test [-] cirrus-test stopped with an error") })
    }
}

private final class RanFlag: Sendable {
    private let storage = Mutex(false)
    var value: Bool { storage.withLock { $0 } }
    func set() { storage.withLock { $0 = true } }
}

private struct OneShotService: Service {
    let ran: RanFlag
    func run() async throws { ran.set() }
}

/// A service whose stored properties must not reach the log.
private struct SecretHoldingService: Service {
    let password: String
    func run() async throws {}
}

private struct FailingService: Service {
    struct Failure: Error {}
    func run() async throws { throw Failure() }
}
