import Testing
@testable import ServiceKit

@Suite struct CirrusConfigurationTests {
    private func configuration(
        _ text: String, environment: [String: String] = [:], commandLine: [String: String] = [:]
    ) throws(ConfigurationError) -> CirrusConfiguration {
        let file = try INIParser().parse(text, path: "/etc/cirrus/cirrus.conf")
        return try CirrusConfiguration(
            reader: CirrusConfigReader(files: [file], environment: environment, commandLine: commandLine)
        )
    }

    @Test func emptyFileGivesDefaults() throws {
        let config = try configuration("")
        #expect(config.default.transportURL == "rabbit://guest:guest@127.0.0.1:5672/")
        #expect(config.default.host == HostName.current)
        #expect(!config.default.host.isEmpty)
        #expect(config.default.statePath == "/var/lib/cirrus")
        #expect(config.default.debug == false)
        #expect(config.default.controlExchange == "cirrus")
        #expect(config.default.rpcResponseTimeout == .seconds(60))
        #expect(config.default.reportInterval == .seconds(10))
        #expect(config.default.serviceDownTime == .seconds(60))
        #expect(config.default.logFormat == .oslo)
        #expect(config.default.logFile == nil)
        #expect(config.osloMessagingRabbit == .init())
        #expect(config.osloMessagingRabbit.rabbitQosPrefetchCount == 64)
        #expect(config.upgradeLevels.isEmpty)
        #expect(config == CirrusConfiguration())
    }

    @Test func readsEverySection() throws {
        let config = try configuration("""
            [DEFAULT]
            transport_url = rabbit://cirrus:secret@mq.example:5672/cirrus
            host = compute-1
            state_path = /srv/cirrus
            debug = True
            control_exchange = nova
            rpc_response_timeout = 30
            report_interval = 0.5
            service_down_time = 3
            log_format = json
            log_file = /var/log/cirrus/compute.log

            [oslo_messaging_rabbit]
            heartbeat_timeout_threshold = 0
            rabbit_retry_interval = 2
            rabbit_interval_max = 10
            rabbit_qos_prefetch_count = 8

            [upgrade_levels]
            compute = 5.0
            scheduler = auto
            """)
        #expect(config.default.transportURL == "rabbit://cirrus:secret@mq.example:5672/cirrus")
        #expect(config.default.host == "compute-1")
        #expect(config.default.statePath == "/srv/cirrus")
        #expect(config.default.debug)
        #expect(config.default.controlExchange == "nova")
        #expect(config.default.rpcResponseTimeout == .seconds(30))
        #expect(config.default.reportInterval == .milliseconds(500))
        #expect(config.default.serviceDownTime == .seconds(3))
        #expect(config.default.logFormat == .json)
        #expect(config.default.logFile == "/var/log/cirrus/compute.log")
        #expect(config.osloMessagingRabbit.heartbeatTimeoutThreshold == 0)
        #expect(config.osloMessagingRabbit.rabbitRetryInterval == 2)
        #expect(config.osloMessagingRabbit.rabbitIntervalMax == 10)
        #expect(config.osloMessagingRabbit.rabbitQosPrefetchCount == 8)
        #expect(config.upgradeLevels == ["compute": "5.0", "scheduler": "auto"])
    }

    @Test func flagsAndEnvironmentOverrideTheFile() throws {
        let config = try configuration(
            "[DEFAULT]\nhost = file-host\ndebug = false\nservice_down_time = 60\n",
            environment: ["CIRRUS__DEFAULT__SERVICE_DOWN_TIME": "5", "CIRRUS__DEFAULT__HOST": "env-host"],
            commandLine: ["DEFAULT.debug": "true", "DEFAULT.host": "flag-host"]
        )
        #expect(config.default.debug)
        #expect(config.default.host == "flag-host")
        #expect(config.default.serviceDownTime == .seconds(5))
    }

    @Test(arguments: [
        ("[DEFAULT]\nreport_interval = abc\n", "DEFAULT.report_interval", 2, "non-negative number of seconds"),
        ("[DEFAULT]\n\nlog_format = xml\n", "DEFAULT.log_format", 3, "one of oslo, json"),
        ("[DEFAULT]\ndebug = maybe\n", "DEFAULT.debug", 2, "true or false"),
        ("[DEFAULT]\nservice_down_time = 0\n", "DEFAULT.service_down_time", 2, "positive number"),
        ("[DEFAULT]\ntransport_url = amqp://x/\n", "DEFAULT.transport_url", 2, "rabbit://"),
        ("[oslo_messaging_rabbit]\nrabbit_qos_prefetch_count = -1\n", "oslo_messaging_rabbit.rabbit_qos_prefetch_count", 2, "non-negative integer"),
        ("[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 1.5\n", "oslo_messaging_rabbit.heartbeat_timeout_threshold", 2, "an integer"),
    ])
    func badValuesAreRefusedNamingFileKeyAndLine(text: String, key: String, line: Int, expected: String) {
        let error = #expect(throws: ConfigurationError.self) { try configuration(text) }
        #expect(error?.code == .invalidValue)
        #expect(error?.key == key)
        #expect(error?.origin == .file(path: "/etc/cirrus/cirrus.conf", line: line))
        let description = error?.description ?? ""
        #expect(description.hasPrefix("/etc/cirrus/cirrus.conf:\(line): invalid value"), "\(description)")
        #expect(description.contains(key) && description.contains(expected), "\(description)")
    }

    @Test func emptyLogFileMeansStandardError() throws {
        #expect(try configuration("[DEFAULT]\nlog_file =\n").default.logFile == nil)
    }
}
