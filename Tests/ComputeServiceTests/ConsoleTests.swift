import ComputeService
import Foundation
import Schemas
import Testing

@Suite("Consoles through the manager (fake driver)")
struct ConsoleTests {
    @Test("console output is the tail of console.log; the fake driver's empty log gives \"\"")
    func consoleOutput() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let instance = sampleInstance()
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        let args = ConsoleOutputArguments(instanceUUID: instance.uuid, lines: 2)
        #expect(try await h.manager.getConsoleOutput(args, logger: quietLogger).output == "")
        try Data("boot\nlogin: \u{1b}\nroot\n".utf8).write(to: URL(fileURLWithPath: h.paths.consoleLog(uuid: instance.uuid)))
        #expect(try await h.manager.getConsoleOutput(args, logger: quietLogger).output == "login: \nroot\n")
    }

    @Test("VNC on the fake driver is a typed ConsoleTypeUnavailable; unknown instances are InstanceNotFound")
    func vnc() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let instance = sampleInstance()
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        await #expect(throws: ConsoleTypeUnavailable.self) {
            try await h.manager.getVNCConsole(InstanceActionArguments(instanceUUID: instance.uuid, actionRequestID: "r"), logger: quietLogger)
        }
        await #expect(throws: InstanceNotFound.self) {
            try await h.manager.getConsoleOutput(ConsoleOutputArguments(instanceUUID: "nope"), logger: quietLogger)
        }
    }

    @Test("an image with kernel_id and ramdisk_id gets kernel and ramdisk files and direct boot in libvirt.xml")
    func kernelBoot() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        var instance = sampleInstance()
        instance.image.properties = ["kernel_id": "k-1", "ramdisk_id": "r-1", "os_command_line": "root=/dev/vda console=ttyS0 quiet"]
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        let uuid = instance.uuid
        #expect(h.control.updates(for: uuid).last?.vmState == .active)
        #expect(h.exists(h.paths.kernel(uuid: uuid)) && h.exists(h.paths.ramdisk(uuid: uuid)))
        #expect(h.exists(h.paths.baseImage(imageID: "k-1")) && h.exists(h.paths.baseImage(imageID: "r-1")))
        let xml = try String(contentsOfFile: h.paths.domainXML(uuid: uuid), encoding: .utf8)
        #expect(xml.contains("<kernel>\(h.paths.kernel(uuid: uuid))</kernel>"))
        #expect(xml.contains("<initrd>\(h.paths.ramdisk(uuid: uuid))</initrd>"))
        #expect(xml.contains("<cmdline>root=/dev/vda console=ttyS0 quiet</cmdline>"))
    }
}
