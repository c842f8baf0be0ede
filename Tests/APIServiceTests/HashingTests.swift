import APIService
import Foundation
import Testing

@Suite struct HashingTests {
    @Test func md5KnownVectors() {
        #expect(MD5.hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hex(Array("The quick brown fox jumps over the lazy dog".utf8)) == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(MD5.hex(Array(String(repeating: "1234567890", count: 8).utf8)) == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func sha512KnownVectors() {
        #expect(SHA512.hex([]) == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        #expect(SHA512.hex(Array("abc".utf8)) == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        let twoBlocks = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(SHA512.hex(Array(twoBlocks.utf8)) == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
    }

    /// Feeding in odd-sized chunks gives the one-shot digest (the upload path hashes per chunk).
    @Test(arguments: [1, 7, 63, 64, 65, 127, 128, 129, 1000])
    func chunkedEqualsOneShot(chunk: Int) {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var md5 = MD5()
        var sha = SHA512()
        var offset = 0
        while offset < data.count {
            let piece = Array(data[offset..<min(offset + chunk, data.count)])
            md5.update(piece)
            sha.update(piece)
            offset += chunk
        }
        #expect(Hex.string(md5.finalize()) == MD5.hex(data))
        #expect(Hex.string(sha.finalize()) == SHA512.hex(data))
    }

    /// Cross-check against coreutils on a few lengths around the padding boundaries.
    @Test(arguments: [55, 56, 111, 112, 3001])
    func matchesCoreutils(length: Int) throws {
        let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 3) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hash-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(data)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try run("/usr/bin/md5sum", path).prefix(32) == MD5.hex(data))
        #expect(try run("/usr/bin/sha512sum", path).prefix(128) == SHA512.hex(data))
    }

    func run(_ tool: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
