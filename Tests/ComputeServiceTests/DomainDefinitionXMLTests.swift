import ComputeService
import Foundation
import Schemas
import Testing

@Suite("Instance files: libvirt.xml, disk.info, base names")
struct InstanceFilesTests {
    @Test("libvirt.xml renders the domain as Nova's libvirt driver would")
    func domainXMLGolden() {
        let xml = DomainDefinition(
            instance: sampleInstance(), diskPath: "/s/instances/3f1d/disk", backingPath: "/s/instances/_base/abc",
            backingFormat: "qcow2", consoleLogPath: "/s/instances/3f1d/console.log", vncListen: "127.0.0.1"
        ).renderXML()
        let expected = """
            <domain type='qemu'>
              <name>instance-0000002a</name>
              <uuid>3f1d6c9e-1111-4222-8333-444455556666</uuid>
              <metadata>
                <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>
                  <nova:name>demo</nova:name>
                  <nova:flavor name='m1.tiny'>
                    <nova:memory>512</nova:memory>
                    <nova:disk>1</nova:disk>
                    <nova:vcpus>1</nova:vcpus>
                  </nova:flavor>
                  <nova:owner>
                    <nova:user uuid='u1'/>
                    <nova:project uuid='p1'/>
                  </nova:owner>
                  <nova:root type='image' uuid='9b7c2d1e-0000-4000-8000-000000000001'/>
                </nova:instance>
              </metadata>
              <memory unit='KiB'>524288</memory>
              <currentMemory unit='KiB'>524288</currentMemory>
              <vcpu placement='static'>1</vcpu>
              <sysinfo type='smbios'>
                <system>
                  <entry name='manufacturer'>OpenStack Foundation</entry>
                  <entry name='product'>OpenStack Nova</entry>
                  <entry name='serial'>3f1d6c9e-1111-4222-8333-444455556666</entry>
                  <entry name='uuid'>3f1d6c9e-1111-4222-8333-444455556666</entry>
                  <entry name='family'>Virtual Machine</entry>
                </system>
              </sysinfo>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <boot dev='hd'/>
                <smbios mode='sysinfo'/>
              </os>
              <features>
                <acpi/>
                <apic/>
              </features>
              <clock offset='utc'/>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='none'/>
                  <source file='/s/instances/3f1d/disk'/>
                  <backingStore type='file'>
                    <format type='qcow2'/>
                    <source file='/s/instances/_base/abc'/>
                  </backingStore>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <interface type='bridge'>
                  <mac address='fa:16:3e:00:00:01'/>
                  <model type='virtio'/>
                  <source bridge='brqfedcba98765'/>
                  <mtu size='1500'/>
                  <target dev='tap0123456789a'/>
                </interface>
                <serial type='file'>
                  <source path='/s/instances/3f1d/console.log'/>
                  <target port='0'/>
                </serial>
                <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
                <video>
                  <model type='cirrus'/>
                </video>
              </devices>
            </domain>

            """
        #expect(xml == expected)
    }

    @Test("direct kernel boot and an allocated VNC port appear in the XML")
    func kernelAndVNC() {
        let xml = DomainDefinition(
            instance: sampleInstance(), diskPath: "/d", backingPath: "/b", backingFormat: "raw", consoleLogPath: "/c",
            vncPort: 5903, domainType: "kvm", kernelPath: "/i/kernel", ramdiskPath: "/i/ramdisk"
        ).renderXML()
        #expect(xml.hasPrefix("<domain type='kvm'>"))
        #expect(xml.contains("    <kernel>/i/kernel</kernel>\n    <initrd>/i/ramdisk</initrd>\n"))
        #expect(xml.contains("<cmdline>root=/dev/vda console=tty0 console=ttyS0</cmdline>"))
        #expect(!xml.contains("<boot dev="))
        #expect(xml.contains("<graphics type='vnc' port='5903' autoport='no' listen='127.0.0.1'/>"))
    }

    @Test("names and values are XML-escaped")
    func escaping() {
        var instance = sampleInstance(name: "a<b>&'c\"")
        instance.networks = []
        let xml = DomainDefinition(instance: instance, diskPath: "/d", backingPath: "/b", backingFormat: "raw", consoleLogPath: "/c")
            .renderXML()
        #expect(xml.contains("<nova:name>a&lt;b&gt;&amp;&apos;c&quot;</nova:name>"))
        #expect(!xml.contains("<interface"))
    }

    @Test("disk.info maps the disk path to qcow2")
    func diskInfo() throws {
        #expect(try DiskInfo.render(diskPath: "/var/lib/cirrus/instances/u/disk") == #"{"/var/lib/cirrus/instances/u/disk":"qcow2"}"#)
    }

    @Test("base image files are named after the SHA-1 of the image id")
    func baseName() {
        #expect(SHA1.hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hex(Array(String(repeating: "a", count: 1000).utf8)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        let paths = InstancePaths(statePath: "/s")
        #expect(paths.baseImage(imageID: "9b7c2d1e-0000-4000-8000-000000000001") == "/s/instances/_base/7626083b1779de20cb62171d2a2e9dbbb28e0a49")
        #expect(paths.disk(uuid: "u") == "/s/instances/u/disk")
        #expect(paths.consoleLog(uuid: "u") == "/s/instances/u/console.log")
    }
}
