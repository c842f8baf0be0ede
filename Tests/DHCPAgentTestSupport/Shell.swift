import Foundation

/// Runs a shell command synchronously; returns exit status and combined output.
@discardableResult
public func sh(_ command: String) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A random hex string of `n` characters.
public func randomHex(_ n: Int) -> String {
    String((0..<n).map { _ in "0123456789abcdef".randomElement()! })
}
