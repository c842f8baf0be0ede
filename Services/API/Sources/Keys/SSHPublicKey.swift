import Foundation

/// An OpenSSH public key line (`<type> <base64 blob> [comment]`), validated, with the MD5
/// fingerprint Nova shows (`ssh-keygen -l -E md5` without the `MD5:` prefix). Pure.
public struct SSHPublicKey: Sendable, Equatable {
    public static let types: Set<String> = [
        "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    public var type: String
    public var blob: [UInt8]
    public var comment: String?

    /// Parses one public key line; the error says what is wrong.
    public init(parsing line: String) throws {
        let fields = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 2)
        guard fields.count >= 2 else {
            throw APIError.badRequest("Keypair data is invalid: expected '<type> <base64 key> [comment]', as in an id_*.pub file.")
        }
        guard Self.types.contains(String(fields[0])) else {
            throw APIError.badRequest("Keypair data is invalid: unknown key type '\(fields[0])'; use ssh-ed25519, ssh-rsa or ecdsa-sha2-*.")
        }
        guard let data = Data(base64Encoded: String(fields[1])), data.count >= 4 else {
            throw APIError.badRequest("Keypair data is invalid: the key is not valid base64.")
        }
        let bytes = [UInt8](data)
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length <= bytes.count - 4, String(decoding: bytes[4..<(4 + length)], as: UTF8.self) == fields[0] else {
            throw APIError.badRequest("Keypair data is invalid: the key blob does not match its type '\(fields[0])'.")
        }
        type = String(fields[0])
        blob = bytes
        comment = fields.count > 2 ? String(fields[2]) : nil
    }

    /// `aa:bb:…` (16 colon-separated bytes of MD5 over the blob).
    public var fingerprint: String {
        var md5 = MD5()
        md5.update(blob)
        return md5.finalize().map { Hex.string([$0]) }.joined(separator: ":")
    }

    /// Nova's keypair `type`: `ssh` (or `x509`).
    public var novaType: String { "ssh" }
}
