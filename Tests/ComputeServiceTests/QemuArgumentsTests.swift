import ComputeService
import Foundation
import Schemas
import Testing

@Suite("qemu command line from the domain definition")
struct QemuArgumentsTests {
    let runtime = DomainDefinition.QemuRuntime(qmpSocketPath: "/s/i/u/qmp.sock", pidFilePath: "/s/i/u/qemu.pid")

    func domain(kernel: Bool = false, port: Int? = 5901, type: String = "qemu") -> DomainDefinition {
        var instance = sampleInstance()
        instance.networks[0].mtu = 1450
        return DomainDefinition(
            instance: instance, diskPath: "/s/i/u/disk", backingPath: "/s/i/_base/b", backingFormat: "raw",
            consoleLogPath: "/s/i/u/console.log", vncListen: "127.0.0.1", vncPort: port, domainType: type,
            kernelPath: kernel ? "/s/i/u/kernel" : nil, ramdiskPath: kernel ? "/s/i/u/ramdisk" : nil)
    }

    @Test("the whole argv of a TCG domain with one NIC")
    func golden() {
        let uuid = "3f1d6c9e-1111-4222-8333-444455556666"
        #expect(domain().qemuArguments(runtime) == [
            "qemu-system-x86_64", "-name", "guest=instance-0000002a,debug-threads=on", "-uuid", uuid,
            "-machine", "pc", "-accel", "tcg", "-m", "512", "-smp", "1",
            "-smbios", "type=1,manufacturer=OpenStack Foundation,product=OpenStack Nova,serial=\(uuid),uuid=\(uuid),family=Virtual Machine",
            "-nodefaults", "-no-user-config", "-rtc", "base=utc", "-no-shutdown", "-display", "none",
            "-drive", "file=/s/i/u/disk,if=none,id=drive-virtio-disk0,format=qcow2,cache=none",
            "-device", "virtio-blk-pci,drive=drive-virtio-disk0,id=virtio-disk0,bootindex=1",
            "-netdev", "tap,id=hostnet0,ifname=tap0123456789a,script=no,downscript=no",
            "-device", "virtio-net-pci,netdev=hostnet0,id=net0,mac=fa:16:3e:00:00:01,host_mtu=1450",
            "-chardev", "file,id=charserial0,path=/s/i/u/console.log,append=on",
            "-device", "isa-serial,chardev=charserial0,id=serial0",
            "-device", "cirrus-vga,id=video0",
            "-vnc", "127.0.0.1:1",
            "-qmp", "unix:/s/i/u/qmp.sock,server=on,wait=off",
            "-daemonize", "-pidfile", "/s/i/u/qemu.pid",
        ])
    }

    @Test("kvm, vhost-net and direct kernel boot with Nova's default command line")
    func kvmKernel() {
        var rt = runtime
        rt.vhostNet = true
        let a = domain(kernel: true, type: "kvm").qemuArguments(rt)
        #expect(a.contains("kvm") && !a.contains("tcg") && !a.contains("-cpu"))
        let k = a.firstIndex(of: "-kernel")
        #expect(k.map { Array(a[$0..<($0 + 6)]) } == [
            "-kernel", "/s/i/u/kernel", "-initrd", "/s/i/u/ramdisk", "-append", "root=/dev/vda console=tty0 console=ttyS0",
        ])
        #expect(a.contains("tap,id=hostnet0,ifname=tap0123456789a,script=no,downscript=no,vhost=on"))
    }

    @Test("commas in paths are doubled; no VNC before a port is allocated; memory and vCPUs follow the flavor")
    func escapingAndFlavor() {
        var d = domain(port: nil)
        d.diskPath = "/a,b/disk"
        d.instance.flavor = FlavorSpec(id: "2", name: "m1.small", vcpus: 2, memoryMB: 2048, rootGB: 20)
        let a = d.qemuArguments(runtime)
        #expect(a.contains("file=/a,,b/disk,if=none,id=drive-virtio-disk0,format=qcow2,cache=none"))
        #expect(!a.contains("-vnc"))
        #expect(a.contains("2048") && a.firstIndex(of: "-smp").map { a[$0 + 1] } == "2")
    }

    @Test("the domain round-trips through JSON (the driver's SQLite row)")
    func codable() throws {
        let d = domain(kernel: true)
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(DomainDefinition.self, from: data) == d)
    }
}
