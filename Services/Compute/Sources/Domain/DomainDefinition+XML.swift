extension DomainDefinition {
    /// The libvirt-style domain XML Nova writes as `libvirt.xml` into the instance directory.
    public func renderXML() -> String {
        let i = instance
        var x = "<domain type='\(esc(domainType))'>\n"
        x += "  <name>\(esc(name))</name>\n"
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
        x += "      <entry name='manufacturer'>\(esc(Self.smbiosManufacturer))</entry>\n"
        x += "      <entry name='product'>\(esc(Self.smbiosProduct))</entry>\n"
        x += "      <entry name='serial'>\(esc(i.uuid))</entry>\n"
        x += "      <entry name='uuid'>\(esc(i.uuid))</entry>\n"
        x += "      <entry name='family'>\(esc(Self.smbiosFamily))</entry>\n"
        x += "    </system>\n"
        x += "  </sysinfo>\n"
        x += "  <os>\n"
        x += "    <type arch='x86_64' machine='pc'>hvm</type>\n"
        if let kernelPath {
            x += "    <kernel>\(esc(kernelPath))</kernel>\n"
            if let ramdiskPath { x += "    <initrd>\(esc(ramdiskPath))</initrd>\n" }
            x += "    <cmdline>\(esc(effectiveKernelCommandLine ?? ""))</cmdline>\n"
        } else {
            x += "    <boot dev='hd'/>\n"
        }
        x += "    <smbios mode='sysinfo'/>\n"
        x += "  </os>\n"
        x += "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n"
        x += "  <clock offset='utc'/>\n"
        x += "  <on_poweroff>destroy</on_poweroff>\n"
        x += "  <on_reboot>restart</on_reboot>\n"
        x += "  <on_crash>destroy</on_crash>\n"
        x += "  <devices>\n"
        x += "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
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
        if let vncPort {
            x += "    <graphics type='vnc' port='\(vncPort)' autoport='no' listen='\(esc(vncListen))'/>\n"
        } else {
            x += "    <graphics type='vnc' port='-1' autoport='yes' listen='\(esc(vncListen))'/>\n"
        }
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
