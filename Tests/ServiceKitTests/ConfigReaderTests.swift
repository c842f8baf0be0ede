import Configuration
import Foundation
import Testing
@testable import ServiceKit

@Suite struct ConfigReaderTests {
    private let first = try! INIParser().parse(
        "[DEFAULT]\nhost = one\ndebug = false\nreport_interval = 10\n[upgrade_levels]\ncompute = 5.0\n",
        path: "first.conf"
    )
    private let second = try! INIParser().parse(
        "[DEFAULT]\nhost = two\n[upgrade_levels]\nscheduler = 4.1\n", path: "second.conf"
    )

    @Test func laterFileWins() throws {
        let reader = try CirrusConfigReader(files: [first, second])
        #expect(try reader.value("DEFAULT.host", as: String.self) == "two")
        #expect(reader.option("DEFAULT.host")?.origin == .file(path: "second.conf", line: 2))
        #expect(try reader.value("DEFAULT.report_interval", as: Int.self) == 10)
    }

    @Test func environmentBeatsFilesAndCommandLineBeatsEnvironment() throws {
        let environment = ["CIRRUS__DEFAULT__HOST": "env-host", "CIRRUS__DEFAULT__DEBUG": "yes", "PATH": "/bin"]
        let fromEnvironment = try CirrusConfigReader(files: [first, second], environment: environment)
        #expect(try fromEnvironment.value("DEFAULT.host", as: String.self) == "env-host")
        #expect(try fromEnvironment.value("DEFAULT.debug", as: Bool.self) == true)

        let fromFlags = try CirrusConfigReader(
            files: [first, second], environment: environment, commandLine: ["DEFAULT.host": "flag-host"]
        )
        #expect(try fromFlags.value("DEFAULT.host", as: String.self) == "flag-host")
        #expect(fromFlags.option("DEFAULT.host")?.origin == .commandLine(option: "--host"))
        #expect(try fromFlags.value("DEFAULT.debug", as: Bool.self) == true)
    }

    @Test func environmentSchemeNamesSectionAndKey() {
        #expect(EnvironmentOverridesScheme.variableName(forKey: "DEFAULT.transport_url") == "CIRRUS__DEFAULT__TRANSPORT_URL")
        #expect(
            EnvironmentOverridesScheme.variableName(forKey: "oslo_messaging_rabbit.heartbeat_timeout_threshold")
                == "CIRRUS__OSLO_MESSAGING_RABBIT__HEARTBEAT_TIMEOUT_THRESHOLD"
        )
        #expect(EnvironmentOverridesScheme.variableName(forKey: "debug") == "CIRRUS__DEFAULT__DEBUG")
    }

    @Test func malformedCirrusEnvironmentVariableIsRefused() {
        let error = #expect(throws: ConfigurationError.self) {
            try CirrusConfigReader(files: [], environment: ["CIRRUS__DEBUG": "true"])
        }
        #expect(error?.code == .invalidEnvironmentVariable)
        #expect(error?.description.contains("CIRRUS__<SECTION>__<KEY>") == true)
    }

    @Test func openSectionsMergeAllSources() throws {
        let reader = try CirrusConfigReader(
            files: [first, second], environment: ["CIRRUS__UPGRADE_LEVELS__CONDUCTOR": "1.2"]
        )
        let levels = reader.options(inSection: "upgrade_levels").mapValues(\.value)
        #expect(levels == ["compute": "5.0", "scheduler": "4.1", "conductor": "1.2"])
    }

    @Test func illTypedFileValueNamesFileKeyAndLine() throws {
        let bad = try INIParser().parse("[DEFAULT]\n\nreport_interval = abc\n", path: "/etc/cirrus/cirrus.conf")
        let reader = try CirrusConfigReader(files: [first, bad])
        let error = #expect(throws: ConfigurationError.self) {
            try reader.value("DEFAULT.report_interval", as: Int.self)
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.key == "DEFAULT.report_interval")
        #expect(error?.origin == .file(path: "/etc/cirrus/cirrus.conf", line: 3))
        #expect(
            error?.description
                == "/etc/cirrus/cirrus.conf:3: invalid value 'abc' for option DEFAULT.report_interval: expected an integer"
        )
    }

    @Test func illTypedEnvironmentValueNamesTheVariable() throws {
        let reader = try CirrusConfigReader(files: [], environment: ["CIRRUS__DEFAULT__DEBUG": "maybe"])
        let error = #expect(throws: ConfigurationError.self) { try reader.value("DEFAULT.debug", as: Bool.self) }
        #expect(error?.origin == .environment(variable: "CIRRUS__DEFAULT__DEBUG"))
        #expect(error?.description.hasPrefix("environment variable CIRRUS__DEFAULT__DEBUG: ") == true)
    }

    @Test func defaultsAndRequiredValues() throws {
        let reader = try CirrusConfigReader(files: [first])
        #expect(try reader.value("compute.reserved_host_memory_mb", default: 512) == 512)
        #expect(try reader.value("compute.cpu_allocation_ratio", as: Double.self) == nil)
        let error = #expect(throws: ConfigurationError.self) {
            try reader.requiredValue("compute.driver", as: String.self)
        }
        #expect(error?.code == .missingRequiredValue)
        #expect(error?.description.contains("CIRRUS__COMPUTE__DRIVER") == true)
    }

    @Test func swiftConfigurationReaderSeesTheSameChain() throws {
        let reader = try CirrusConfigReader(files: [first, second], environment: ["CIRRUS__DEFAULT__DEBUG": "on"])
        #expect(reader.reader.string(forKey: "DEFAULT.host") == "two")
        #expect(reader.reader.bool(forKey: "DEFAULT.debug") == true)
        #expect(reader.reader.int(forKey: "DEFAULT.report_interval") == 10)
        #expect(reader.reader.scoped(to: "upgrade_levels").string(forKey: "compute") == "5.0")
    }

    @Test func providerThrowsNamedErrorThroughRequiredReaderMethods() throws {
        let bad = try INIParser().parse("[DEFAULT]\nreport_interval = abc\n", path: "bad.conf")
        let reader = try CirrusConfigReader(files: [bad])
        let error = #expect(throws: ConfigurationError.self) {
            try reader.reader.requiredInt(forKey: "DEFAULT.report_interval")
        }
        #expect(error?.origin == .file(path: "bad.conf", line: 2))
    }

    @Test func loadRefusesMissingFile() {
        let path = "/nonexistent/cirrus-\(UUID().uuidString).conf"
        let error = #expect(throws: ConfigurationError.self) {
            try CirrusConfigReader.load(configFiles: [path])
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("--config-file") == true)
    }

    @Test func loadReadsFilesFromDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cirrus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = directory.appendingPathComponent("a.conf").path
        let b = directory.appendingPathComponent("b.conf").path
        try "[DEFAULT]\nhost = a\nstate_path = /srv/a\n".write(toFile: a, atomically: true, encoding: .utf8)
        try "[DEFAULT]\nhost = b\n".write(toFile: b, atomically: true, encoding: .utf8)
        let reader = try CirrusConfigReader.load(configFiles: [a, b])
        #expect(try reader.value("DEFAULT.host", as: String.self) == "b")
        #expect(try reader.value("DEFAULT.state_path", as: String.self) == "/srv/a")
    }
}
