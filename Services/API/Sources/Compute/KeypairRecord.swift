import Foundation
import Messaging
import Storage

/// A row of `keypairs`: a user's named public key.
public struct KeypairRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "keypairs"

    public var id: Int64?
    public var userID: String
    public var name: String
    public var fingerprint: String
    public var publicKey: String
    public var type: String
    public var createdAt: Date

    public init(userID: String, name: String, fingerprint: String, publicKey: String, type: String = "ssh", createdAt: Date) {
        self.userID = userID
        self.name = name
        self.fingerprint = fingerprint
        self.publicKey = publicKey
        self.type = type
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Nova's keypair JSON; `privateKey` only in the create answer of a generated pair.
    public func json(detail: Bool, privateKey: String? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name), "fingerprint": .string(fingerprint), "public_key": .string(publicKey), "type": .string(type),
        ]
        if detail {
            o["user_id"] = .string(userID)
            o["id"] = .int(id ?? 0)
            o["created_at"] = .string(OpenStackTime.nova(createdAt))
            o["deleted"] = false
            o["deleted_at"] = .null
            o["updated_at"] = .null
        }
        if let privateKey { o["private_key"] = .string(privateKey) }
        return .object(o)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case name, fingerprint
        case publicKey = "public_key"
        case type
        case createdAt = "created_at"
    }
}
