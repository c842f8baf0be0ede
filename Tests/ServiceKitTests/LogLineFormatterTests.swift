import Foundation
import Logging
import Testing
@testable import ServiceKit

@Suite struct LogLineFormatterTests {
    private let time = LogTimestamp(
        year: 2026, month: 11, day: 28, hour: 10, minute: 19, second: 38, millisecond: 123, utcOffsetSeconds: 3600
    )

    private func record(_ message: String, level: Logger.Level = .info, metadata: Logger.Metadata = [:]) -> LogRecord {
        LogRecord(timestamp: time, pid: 4242, level: level, label: "cirrus.compute", message: message, metadata: metadata)
    }

    @Test func osloLineWithFullContext() {
        let line = LogLineFormatter(format: .oslo).line(for: record("Instance spawned", metadata: [
            "request.id": "req-1b2c", "user.id": "u1", "project.id": "p1",
            "instance.id": "6f1c", "duration": "1.2",
        ]))
        #expect(line == "2026-11-28 10:19:38.123 4242 INFO cirrus.compute [req-1b2c u1 p1] [instance: 6f1c] Instance spawned duration=1.2")
    }

    @Test func osloLineWithoutContextUsesDash() {
        let line = LogLineFormatter(format: .oslo).line(for: record("Starting", level: .debug))
        #expect(line == "2026-11-28 10:19:38.123 4242 DEBUG cirrus.compute [-] Starting")
    }

    @Test func osloLineWithPartialContextPortAndQuotedValues() {
        let line = LogLineFormatter(format: .oslo).line(for: record("Port bound", level: .warning, metadata: [
            "request.id": "req-9", "port.id": "aa11", "b.reason": "no space left", "a.count": .stringConvertible(3),
        ]))
        #expect(line == "2026-11-28 10:19:38.123 4242 WARNING cirrus.compute [req-9 - -] [port: aa11] Port bound a.count=3 b.reason=\"no space left\"")
    }

    @Test(arguments: [
        (Logger.Level.trace, "TRACE"), (.debug, "DEBUG"), (.info, "INFO"), (.notice, "INFO"),
        (.warning, "WARNING"), (.error, "ERROR"), (.critical, "CRITICAL"),
    ])
    func levelNamesAreOslos(level: Logger.Level, name: String) {
        #expect(LogLineFormatter.levelName(level) == name)
    }

    @Test func jsonLineIsOneValidObjectWithAllMetadata() throws {
        let line = LogLineFormatter(format: .json).line(for: record("Said \"hi\"\nthen left\u{1}", metadata: [
            "request.id": "req-1", "instance.id": "6f1c", "count": .stringConvertible(2),
            "tags": ["a", "b"], "nested": ["k": "v"], "message": "clash",
        ]))
        #expect(!line.contains("\n"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        )
        #expect(object["time"] as? String == "2026-11-28T10:19:38.123+01:00")
        #expect(object["pid"] as? Int == 4242)
        #expect(object["level"] as? String == "INFO")
        #expect(object["logger"] as? String == "cirrus.compute")
        #expect(object["message"] as? String == "Said \"hi\"\nthen left\u{1}")
        #expect(object["request.id"] as? String == "req-1")
        #expect(object["instance.id"] as? String == "6f1c")
        #expect(object["count"] as? String == "2")
        #expect(object["tags"] as? [String] == ["a", "b"])
        #expect(object["nested"] as? [String: String] == ["k": "v"])
        #expect(object["metadata.message"] as? String == "clash")
    }

    @Test func isoTimeHandlesNegativeOffsets() {
        var t = time
        t.utcOffsetSeconds = -(5 * 3600 + 30 * 60)
        #expect(LogLineFormatter.isoTime(t) == "2026-11-28T10:19:38.123-05:30")
    }
}
