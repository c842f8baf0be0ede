import Foundation
import Logging
import Testing
@testable import ServiceKit

@Suite struct CirrusLogHandlerTests {
    private let fixed = LogTimestamp(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5, millisecond: 6)

    @Test func handlerMergesMetadataAndFiltersLevels() {
        let sink = InMemoryLogSink()
        let fixed = self.fixed
        var logger = Logger(label: "cirrus.api") { label in
            CirrusLogHandler(label: label, formatter: .init(format: .oslo), sink: sink, logLevel: .info, now: { fixed })
        }
        logger[metadataKey: "request.id"] = "req-7"
        logger.debug("Not shown")
        logger.info("Server created", metadata: ["instance.id": "i-1", "user.id": "u"])
        let pid = getpid()
        #expect(sink.lines == ["2026-01-02 03:04:05.006 \(pid) INFO cirrus.api [req-7 u -] [instance: i-1] Server created"])
    }

    @Test func metadataProviderSuppliesRequestContext() {
        let sink = InMemoryLogSink()
        let provider = Logger.MetadataProvider { ["request.id": "req-from-provider"] }
        let logger = Logger(label: "cirrus.scheduler") { label in
            CirrusLogHandler(label: label, formatter: .init(format: .oslo), sink: sink, metadataProvider: provider)
        }
        logger.info("Selected host", metadata: ["host": "c1"])
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].hasSuffix("INFO cirrus.scheduler [req-from-provider - -] Selected host host=c1"))
    }

    @Test func inMemoryLoggerWritesJSONLines() throws {
        let sink = InMemoryLogSink()
        let logger = sink.logger(label: "cirrus.dhcp_agent", format: .json)
        logger.notice("Network synced", metadata: ["network.id": "n1"])
        let line = try #require(sink.lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["logger"] as? String == "cirrus.dhcp_agent")
        #expect(object["network.id"] as? String == "n1")
        sink.clear()
        #expect(sink.lines.isEmpty)
    }

    @Test func concurrentWritesNeverInterleave() async {
        let sink = InMemoryLogSink()
        let logger = sink.logger(label: "cirrus.compute")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<100 { logger.info("Tick", metadata: ["task": "\(task)", "index": "\(index)"]) }
                }
            }
        }
        #expect(sink.lines.count == 800)
        #expect(sink.lines.allSatisfy { $0.contains(" INFO cirrus.compute [-] Tick index=") })
    }

    @Test func fileSinkAppendsLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cirrus-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let sink = try FileDescriptorLogSink(appendingTo: path)
            sink.write(line: "one")
            sink.write(line: "two")
        }
        let again = try FileDescriptorLogSink(appendingTo: path)
        again.write(line: "three")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\nthree\n")
    }

    @Test func unopenableLogFileIsAClearError() {
        let error = #expect(throws: LogFileError.self) {
            try FileDescriptorLogSink(appendingTo: "/nonexistent-dir/cirrus.log")
        }
        #expect(error?.description.contains("/nonexistent-dir/cirrus.log") == true)
        #expect(CirrusLogging.level(debug: true) == .debug)
        #expect(CirrusLogging.level(debug: false) == .info)
    }
}
