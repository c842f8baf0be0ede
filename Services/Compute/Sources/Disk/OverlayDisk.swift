import ServiceKit
import Foundation
import Logging

/// Creates an instance's root disk: a qcow2 overlay of `rootGB` on the cached base image.
///
/// `qemu-img create -f qcow2 -F <fmt> -b <base> <disk> <size>G` costs ~20 ms of wall time and
/// ~8 ms of CPU. An empty overlay's bytes depend only on (backing path, backing format,
/// size), so with `templates` on, qemu-img writes one template per such triple (under
/// `_base/.overlays/`) and every later disk is a byte copy of it: the same file qemu-img would
/// write, made in well under a millisecond (what lets one process act as hundreds of hosts).
public struct OverlayDisk: Sendable {
    public let runner: any ProcessRunning
    public let templates: Bool

    public init(runner: any ProcessRunning, templates: Bool = true) {
        self.runner = runner
        self.templates = templates
    }

    /// Writes `diskPath` as a qcow2 overlay on `backingPath`.
    public func create(diskPath: String, backingPath: String, backingFormat: String, rootGB: Int, logger: Logger) async throws {
        let size = max(rootGB, 1)
        guard templates else {
            try await qemuImgCreate(diskPath, backingPath: backingPath, backingFormat: backingFormat, sizeGB: size, logger: logger)
            return
        }
        let template = Self.templatePath(backingPath: backingPath, backingFormat: backingFormat, sizeGB: size)
        let fm = FileManager.default
        if !fm.fileExists(atPath: template) {
            try fm.createDirectory(atPath: (template as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Concurrent builds may both write a template: each writes its own temp file and
            // the rename is atomic, so readers only ever see a whole one.
            let tmp = template + ".tmp-" + UUID().uuidString.lowercased()
            defer { try? fm.removeItem(atPath: tmp) }
            try await qemuImgCreate(tmp, backingPath: backingPath, backingFormat: backingFormat, sizeGB: size, logger: logger)
            if rename(tmp, template) != 0 {
                throw OverlayDiskError(message: "cannot rename \(tmp) to \(template): \(String(cString: strerror(errno)))")
            }
        }
        try? fm.removeItem(atPath: diskPath)
        do {
            try fm.copyItem(atPath: template, toPath: diskPath)
        } catch {
            throw OverlayDiskError(message: "cannot copy overlay template \(template) to \(diskPath): \(error)")
        }
    }

    /// `_base/.overlays/<base name>.<fmt>.<size>G.qcow2`: removed with the base image.
    public static func templatePath(backingPath: String, backingFormat: String, sizeGB: Int) -> String {
        let dir = (backingPath as NSString).deletingLastPathComponent
        let base = (backingPath as NSString).lastPathComponent
        return "\(dir)/.overlays/\(base).\(backingFormat).\(sizeGB)G.qcow2"
    }

    /// The overlay templates made for the base image file named `baseName`.
    public static func templates(ofBase baseName: String, in baseDirectory: String) -> [String] {
        let dir = baseDirectory + "/.overlays"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasPrefix(baseName + ".") }.map { dir + "/" + $0 }
    }

    private func qemuImgCreate(_ path: String, backingPath: String, backingFormat: String, sizeGB: Int, logger: Logger) async throws {
        try await runner.run(
            ["qemu-img", "create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", backingPath, path, "\(sizeGB)G"],
            logger: logger)
    }
}

/// The root disk could not be made.
public struct OverlayDiskError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
