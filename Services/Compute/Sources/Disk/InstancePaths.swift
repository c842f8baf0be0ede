import Foundation

/// Where one compute host keeps its files (Nova's `instances_path` layout):
/// `<state>/instances/<uuid>/{disk, disk.info, libvirt.xml, console.log, kernel, ramdisk, qmp.sock, qemu.pid}` and the image cache
/// `<state>/instances/_base/<sha1 hex of image id>`.
public struct InstancePaths: Sendable, Equatable {
    /// `<state_path>/instances`.
    public var instancesRoot: String

    public init(statePath: String) {
        instancesRoot = (statePath as NSString).appendingPathComponent("instances")
    }

    /// `<instances>/_base`.
    public var baseDirectory: String { instancesRoot + "/_base" }

    /// The cached image file for `imageID`: `_base/<sha1 hex of the image id>`.
    public func baseImage(imageID: String) -> String {
        baseDirectory + "/" + Self.baseName(imageID: imageID)
    }

    /// Nova's cache file name: the SHA-1 hex of the image id.
    public static func baseName(imageID: String) -> String {
        SHA1.hex(Array(imageID.utf8))
    }

    public func directory(uuid: String) -> String { instancesRoot + "/" + uuid }
    public func disk(uuid: String) -> String { directory(uuid: uuid) + "/disk" }
    public func diskInfo(uuid: String) -> String { directory(uuid: uuid) + "/disk.info" }
    public func domainXML(uuid: String) -> String { directory(uuid: uuid) + "/libvirt.xml" }
    public func consoleLog(uuid: String) -> String { directory(uuid: uuid) + "/console.log" }
    /// Direct-boot kernel and ramdisk copied from the image cache (Nova's layout).
    public func kernel(uuid: String) -> String { directory(uuid: uuid) + "/kernel" }
    public func ramdisk(uuid: String) -> String { directory(uuid: uuid) + "/ramdisk" }
    /// The qemu driver's QMP socket and pid file.
    public func qmpSocket(uuid: String) -> String { directory(uuid: uuid) + "/qmp.sock" }
    public func qemuPidFile(uuid: String) -> String { directory(uuid: uuid) + "/qemu.pid" }
    /// qemu's own stdout/stderr.
    public func qemuLog(uuid: String) -> String { directory(uuid: uuid) + "/qemu.log" }
}

/// `disk.info`: which format each disk file of the instance is in, as Nova writes it.
public enum DiskInfo {
    /// `{"<disk path>": "qcow2"}`.
    public static func render(diskPath: String, format: String = "qcow2") throws -> String {
        let data = try JSONSerialization.data(withJSONObject: [diskPath: format], options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
