import ComputeService
import Foundation
import Messaging
import Schemas
import Testing

@Suite("qemu driver decisions: QMP, power states, displays, processes, console, capacity")
struct QemuDecisionTests {
    /// auto: KVM when /dev/kvm opens, but TCG under PVM (Linux guests never finish booting there).
    @Test func virtTypeAutoAvoidsPVM() {
        #expect(QemuDriver.domainType(virtType: "auto", kvmOpens: true, kvmIsPVM: false) == "kvm")
        #expect(QemuDriver.domainType(virtType: "auto", kvmOpens: true, kvmIsPVM: true) == "qemu")
        #expect(QemuDriver.domainType(virtType: "auto", kvmOpens: false, kvmIsPVM: false) == "qemu")
        #expect(QemuDriver.domainType(virtType: "kvm", kvmOpens: true, kvmIsPVM: true) == "kvm")
        #expect(QemuDriver.domainType(virtType: "qemu", kvmOpens: true, kvmIsPVM: false) == "qemu")
    }

    @Test("QMP lines parse into greeting, return, error and event")
    func qmpParse() throws {
        let greeting = #"{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian"}, "capabilities": ["oob"]}}"#
        #expect(try QMPMessage.parse(greeting) == .greeting(version: "7.2.22"))
        #expect(try QMPMessage.parse(#"{"return": {}}"#) == .success(.object([:])))
        #expect(try QMPMessage.parse(#"{"return": {"status": "running", "singlestep": false, "running": true}}"#)
            == .success(.object(["status": .string("running"), "singlestep": .bool(false), "running": .bool(true)])))
        #expect(try QMPMessage.parse(#"{"error": {"class": "CommandNotFound", "desc": "The command foo has not been found"}}"#)
            == .failure(errorClass: "CommandNotFound", description: "The command foo has not been found"))
        #expect(try QMPMessage.parse(#"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "POWERDOWN"}"#) == .event("POWERDOWN"))
        #expect(throws: QMPError.self) { try QMPMessage.parse("not json") }
        #expect(throws: QMPError.self) { try QMPMessage.parse(#"{"what": 1}"#) }
        #expect(QMPMessage.command("qmp_capabilities") == "{\"execute\": \"qmp_capabilities\"}\n")
    }

    @Test("QMP run states and process liveness map to Nova power states")
    func powerStates() {
        #expect(QemuPowerState.powerState(processAlive: false, status: nil) == .shutdown)
        #expect(QemuPowerState.powerState(processAlive: true, status: "running") == .running)
        #expect(QemuPowerState.powerState(processAlive: true, status: "shutdown") == .shutdown)
        #expect(QemuPowerState.powerState(processAlive: true, status: "paused") == .paused)
        #expect(QemuPowerState.powerState(processAlive: true, status: "guest-panicked") == .crashed)
        #expect(QemuPowerState.powerState(processAlive: true, status: "suspended") == .suspended)
        #expect(QemuPowerState.powerState(processAlive: true, status: nil) == .running)
        #expect(QemuPowerState.isGuestUp(status: "running") && !QemuPowerState.isGuestUp(status: "shutdown"))
    }

    @Test("power-state sync: a dead guest stops an ACTIVE instance; equal states change nothing")
    func powerSync() {
        #expect(PowerStateSync.change(state: .active, recorded: .running, observed: .shutdown)! == (.stopped, .shutdown))
        #expect(PowerStateSync.change(state: .active, recorded: .running, observed: .crashed)! == (.stopped, .crashed))
        #expect(PowerStateSync.change(state: .active, recorded: .running, observed: .running) == nil)
        #expect(PowerStateSync.change(state: .stopped, recorded: .shutdown, observed: .running)! == (.stopped, .running))
        #expect(PowerStateSync.change(state: .active, recorded: .running, observed: .paused)! == (.active, .paused))
    }

    @Test("VNC displays: the first one neither held by another instance nor bound by anyone")
    func displays() {
        #expect(VNCDisplayAllocator.firstFree(taken: [], limit: 10) { _ in true } == 0)
        #expect(VNCDisplayAllocator.firstFree(taken: [0, 1], limit: 10) { _ in true } == 2)
        #expect(VNCDisplayAllocator.firstFree(taken: [0], limit: 10) { $0 != 5901 } == 2)
        #expect(VNCDisplayAllocator.firstFree(taken: [0, 1], limit: 2) { _ in true } == nil)
    }

    @Test("a pid is the instance's qemu only when alive and started with its -uuid")
    func processIdentity() {
        let cmd = Array("/usr/bin/qemu-system-x86_64\0-name\0guest=x\0-uuid\0u-1\0-m\064\0".utf8)
        #expect(QemuProcess.commandLine(cmd, isQemuOf: "u-1"))
        #expect(!QemuProcess.commandLine(cmd, isQemuOf: "u-2"))
        #expect(!QemuProcess.commandLine(Array("sleep\0-uuid\0u-1\0".utf8), isQemuOf: "u-1"))
        #expect(QemuProcess.isLive(stat: "123 (qemu-system-x86) S 1 123 123 0"))
        #expect(QemuProcess.isLive(stat: "123 (a (b) c) R 1"))
        #expect(!QemuProcess.isLive(stat: "123 (qemu-system-x86) Z 1 123"))
        #expect(!QemuProcess.isLive(stat: ""))
    }

    @Test("console output: last lines, invalid UTF-8 replaced, control characters dropped, a cut first line dropped")
    func consoleText() {
        let bytes = Array("one\r\ntwo\u{1b}[0m\nthree\n".utf8) + [0xFF, 0x0A]
        #expect(ConsoleLog.text(bytes, lines: nil) == "one\ntwo[0m\nthree\n\u{FFFD}\n")
        #expect(ConsoleLog.text(bytes, lines: 2) == "three\n\u{FFFD}\n")
        #expect(ConsoleLog.text(Array("a\nb".utf8), lines: 1) == "b")
        #expect(ConsoleLog.text(Array("partial\nwhole\n".utf8), lines: nil, truncated: true) == "whole\n")
        #expect(ConsoleLog.text(Array("x\n".utf8), lines: 0) == "")
    }

    @Test("console tail reads at most the last bytes of a long file")
    func consoleTail() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/console.log"
        try Data(String(repeating: "0123456789\n", count: 20).utf8).write(to: URL(fileURLWithPath: path))
        let tail = try ConsoleLog.readTail(path: path, maximumBytes: 25)
        #expect(tail.count == 25 && String(decoding: tail, as: UTF8.self).hasSuffix("0123456789\n"))
        #expect(try ConsoleLog.readTail(path: dir.path + "/missing").isEmpty)
    }

    @Test("a Glance image record becomes an ImageSpec with its properties")
    func glanceRecord() throws {
        let json = """
            {"id": "k1", "name": "vmlinuz", "status": "active", "disk_format": "aki", "container_format": "aki", "size": 10,
             "checksum": "abc", "os_hash_algo": "sha512", "os_hash_value": "def", "min_disk": 0, "min_ram": 0,
             "visibility": "public", "tags": [], "hw_architecture": "x86_64"}
            """
        let spec = try GlanceImageRecord.spec(from: Data(json.utf8))
        #expect(spec == ImageSpec(
            id: "k1", name: "vmlinuz", checksum: "abc", osHashAlgo: "sha512", osHashValue: "def", size: 10, diskFormat: "aki",
            containerFormat: "aki", properties: ["hw_architecture": "x86_64"]))
        #expect(throws: ImageFetchError.self) { try GlanceImageRecord.spec(from: Data(#"{"id": "k1", "status": "queued"}"#.utf8)) }
        #expect(throws: ImageFetchError.self) { try GlanceImageRecord.spec(from: Data("[]".utf8)) }
    }

    @Test("MemTotal is read from /proc/meminfo text")
    func meminfo() {
        #expect(HostCapacity.parseMemTotalMB("MemTotal:       24576000 kB\nMemFree:  1 kB\n") == 24000)
        #expect(HostCapacity.parseMemTotalMB("nothing") == nil)
    }
}
