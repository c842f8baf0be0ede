import ServiceKit
import ComputeService
import Foundation
import Schemas
import Testing

@Suite("Image cache: one verified download per image")
struct ImageCacheTests {
    private func cache(_ dir: TemporaryDirectory, source: StubImageSource) -> ImageCache {
        ImageCache(downloadDirectory: dir.path + "/_base", source: source, verifier: ImageVerifier(runner: ProcessRunner()))
    }

    @Test("concurrent builds of the same image wait for a single download")
    func singleFlight() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = StubImageSource(pause: .milliseconds(200))
        let cache = cache(dir, source: source)
        let image = sampleImage(md5: imageMD5)
        async let a = cache.baseImage(for: image, in: dir.path + "/_base", context: testContext, logger: quietLogger)
        async let b = cache.baseImage(for: image, in: dir.path + "/_base", context: testContext, logger: quietLogger)
        let (pa, pb) = try await (a, b)
        #expect(pa == pb)
        #expect(pa == dir.path + "/_base/" + InstancePaths.baseName(imageID: image.id))
        #expect(source.downloads == 1)
        #expect(FileManager.default.contents(atPath: pa) == imageBytes)
        _ = try await cache.baseImage(for: image, in: dir.path + "/_base", context: testContext, logger: quietLogger)
        #expect(source.downloads == 1)
    }

    @Test("a checksum mismatch is a clear error and leaves no file behind")
    func checksumMismatch() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = StubImageSource()
        let cache = cache(dir, source: source)
        let image = sampleImage(md5: "00000000000000000000000000000000")
        await #expect {
            try await cache.baseImage(for: image, in: dir.path + "/_base", context: testContext, logger: quietLogger)
        } throws: { error in
            "\(error)".contains("MD5 checksum \(imageMD5)") && "\(error)".contains("00000000000000000000000000000000")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/_base").isEmpty)
    }

    @Test("a SHA-512 os_hash_value is verified")
    func sha512() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var image = sampleImage()
        image.osHashAlgo = "sha512"
        image.osHashValue = String(repeating: "ab", count: 64)
        let cache = cache(dir, source: StubImageSource())
        await #expect {
            try await cache.baseImage(for: image, in: dir.path + "/_base", context: testContext, logger: quietLogger)
        } throws: { "\($0)".contains("sha512 hash") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/_base").isEmpty)
    }

    @Test("a size mismatch is refused before hashing")
    func sizeMismatch() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var image = sampleImage(md5: imageMD5)
        image.size = 5
        let cache = cache(dir, source: StubImageSource())
        await #expect {
            try await cache.baseImage(for: image, in: dir.path + "/_base", context: testContext, logger: quietLogger)
        } throws: { "\($0)".contains("18 bytes but its record says 5") }
    }

    @Test("hosts sharing a process download once and get hard links in their own _base")
    func sharedDownloadLinkedPerHost() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = StubImageSource(pause: .milliseconds(50))
        let cache = cache(dir, source: source)
        let image = sampleImage(md5: imageMD5)
        try await withThrowingTaskGroup(of: String.self) { group in
            for i in 1...4 {
                group.addTask { try await cache.baseImage(for: image, in: dir.path + "/h\(i)/_base", context: testContext, logger: quietLogger) }
            }
            for try await path in group { #expect(FileManager.default.contents(atPath: path) == imageBytes) }
        }
        #expect(source.downloads == 1)
    }
}

@Suite("Overlay disks made by qemu-img")
struct OverlayDiskTests {
    @Test("the disk is a qcow2 overlay on the base with the flavor's root size", arguments: [true, false])
    func overlay(templates: Bool) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let base = dir.path + "/_base/0123abcd"
        try FileManager.default.createDirectory(atPath: dir.path + "/_base", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: base, contents: Data(count: 1 << 20)))
        let overlay = OverlayDisk(runner: ProcessRunner(), templates: templates)
        for name in ["a", "b"] {
            let disk = dir.path + "/\(name)/disk"
            try FileManager.default.createDirectory(atPath: dir.path + "/\(name)", withIntermediateDirectories: true)
            try await overlay.create(diskPath: disk, backingPath: base, backingFormat: "raw", rootGB: 2, logger: quietLogger)
            let info = try await qemuImgInfo(disk)
            #expect(info["format"] as? String == "qcow2")
            #expect(info["backing-filename"] as? String == base)
            #expect(info["backing-filename-format"] as? String == "raw")
            #expect((info["virtual-size"] as? NSNumber)?.int64Value == 2 << 30)
        }
        let templatesMade = OverlayDisk.templates(ofBase: "0123abcd", in: dir.path + "/_base")
        #expect(templatesMade.count == (templates ? 1 : 0))
    }

    @Test("a failing qemu-img puts its stderr and the command line into the error")
    func failure() async throws {
        let overlay = OverlayDisk(runner: ProcessRunner(), templates: false)
        await #expect {
            try await overlay.create(diskPath: "/nonexistent-dir/disk", backingPath: "/nonexistent-base", backingFormat: "raw", rootGB: 1, logger: quietLogger)
        } throws: { error in
            let text = "\(error)"
            return text.contains("qemu-img create") && text.contains("exited with status") && text.contains("nonexistent")
        }
    }
}
