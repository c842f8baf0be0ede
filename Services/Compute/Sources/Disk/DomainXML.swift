import Schemas

/// Renders an instance's libvirt-style domain definition (`libvirt.xml`), as Nova's libvirt
/// driver writes it into the instance directory: name `instance-%08x`, uuid, memory, vCPUs,
/// SMBIOS identity, the qcow2 disk with its backing file, one bridge interface per port, the
/// serial console into `console.log` and a VNC display. A pure function of its inputs.
public struct DomainXML: Sendable, Equatable {
    public var instance: InstanceSpec
    /// `<instances>/<uuid>/disk`.
    public var diskPath: String
    /// `_base/<sha1>` and its format (`raw` or `qcow2`).
    public var backingPath: String
    public var backingFormat: String
    public var consoleLogPath: String
    /// Address VNC listens on (`[vnc] server_listen`).
    public var vncListen: String
    /// libvirt domain type: `kvm` or `qemu` (TCG).
    public var domainType: String

    public init(
        instance: InstanceSpec, diskPath: String, backingPath: String, backingFormat: String, consoleLogPath: String,
        vncListen: String = "127.0.0.1", domainType: String = "qemu"
    ) {
        self.instance = instance
        self.diskPath = diskPath
        self.backingPath = backingPath
        self.backingFormat = backingFormat
        self.consoleLogPath = consoleLogPath
        self.vncListen = vncListen
        self.domainType = domainType
    }

    /// The XML document.
    public func render() -> String {
        let i = instance
        var x = "<domain type='\(esc(domainType))'>\n"
        x += "  <name>\(esc(i.domainName))</name>\n"
        x += "  <uuid>\(esc(i.uuid))</uuid>\n"
        x += "  <metadata>\n"
        x += "    <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>\n"
        x += "      <nova:name>\(esc(i.name))</nova:name>\n"
        x += "      <nova:flavor name='\(esc(i.flavor.name))'>\n"
        x += "        <nova:memory>\(i.flavor.memoryMB)</nova:memory>\n"
        x += "        <nova:disk>\(i.flavor.rootGB)</nova:disk>\n"
        x += "        <nova:vcpus>\(i.flavor.vcpus)</nova:vcpus>\n"
        x += "      </nova:flavor>\n"
        x += "      <nova:owner>\n"
        x += "        <nova:user uuid='\(esc(i.userID))'/>\n"
        x += "        <nova:project uuid='\(esc(i.projectID))'/>\n"
        x += "      </nova:owner>\n"
        x += "      <nova:root type='image' uuid='\(esc(i.image.id))'/>\n"
        x += "    </nova:instance>\n"
        x += "  </metadata>\n"
        x += "  <memory unit='KiB'>\(i.flavor.memoryMB * 1024)</memory>\n"
        x += "  <currentMemory unit='KiB'>\(i.flavor.memoryMB * 1024)</currentMemory>\n"
        x += "  <vcpu placement='static'>\(i.flavor.vcpus)</vcpu>\n"
        x += "  <sysinfo type='smbios'>\n"
        x += "    <system>\n"
        x += "      <entry name='manufacturer'>Cirrus</entry>\n"
        x += "      <entry name='product'>OpenStack Compute</entry>\n"
        x += "      <entry name='serial'>\(esc(i.uuid))</entry>\n"
        x += "      <entry name='uuid'>\(esc(i.uuid))</entry>\n"
        x += "      <entry name='family'>Virtual Machine</entry>\n"
        x += "    </system>\n"
        x += "  </sysinfo>\n"
        x += "  <os>\n"
        x += "    <type arch='x86_64' machine='pc'>hvm</type>\n"
        x += "    <boot dev='hd'/>\n"
        x += "    <smbios mode='sysinfo'/>\n"
        x += "  </os>\n"
        x += "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n"
        x += "  <clock offset='utc'/>\n"
        x += "  <on_poweroff>destroy</on_poweroff>\n"
        x += "  <on_reboot>restart</on_reboot>\n"
        x += "  <on_crash>destroy</on_crash>\n"
        x += "  <devices>\n"
        x += "    <disk type='file' device='disk'>\n"
        x += "      <driver name='qemu' type='qcow2' cache='none'/>\n"
        x += "      <source file='\(esc(diskPath))'/>\n"
        x += "      <backingStore type='file'>\n"
        x += "        <format type='\(esc(backingFormat))'/>\n"
        x += "        <source file='\(esc(backingPath))'/>\n"
        x += "      </backingStore>\n"
        x += "      <target dev='vda' bus='virtio'/>\n"
        x += "    </disk>\n"
        for nic in i.networks {
            x += "    <interface type='bridge'>\n"
            x += "      <mac address='\(esc(nic.macAddress))'/>\n"
            x += "      <model type='virtio'/>\n"
            x += "      <source bridge='\(esc(nic.bridgeName))'/>\n"
            x += "      <mtu size='\(nic.mtu)'/>\n"
            x += "      <target dev='\(esc(nic.tapName))'/>\n"
            x += "    </interface>\n"
        }
        x += "    <serial type='file'>\n"
        x += "      <source path='\(esc(consoleLogPath))'/>\n"
        x += "      <target port='0'/>\n"
        x += "    </serial>\n"
        x += "    <input type='tablet' bus='usb'/>\n"
        x += "    <graphics type='vnc' port='-1' autoport='yes' listen='\(esc(vncListen))'/>\n"
        x += "    <video>\n      <model type='cirrus'/>\n    </video>\n"
        x += "  </devices>\n"
        x += "</domain>\n"
        return x
    }

    /// XML attribute/text escaping.
    private func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
