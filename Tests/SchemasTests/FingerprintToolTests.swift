import Foundation
import Schemas
import Testing

// MARK: - Sample message types

private enum PortStatus: String, Codable, SchemaEnumeration {
    case active = "ACTIVE", down = "DOWN", build = "BUILD"
}

private enum PortStatusReordered: String, Codable, SchemaEnumeration {
    case build = "BUILD", down = "DOWN", active = "ACTIVE"
}

private struct FixedIP: Codable {
    let subnetID: UUID
    let ipAddress: String
    enum CodingKeys: String, CodingKey { case subnetID = "subnet_id", ipAddress = "ip_address" }
}

private struct Port: Codable {
    let id: UUID
    let macAddress: String
    let fixedIPs: [FixedIP]
    let status: PortStatus
    let tags: [String: String]?
    let mtu: Int?
    let createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, macAddress = "mac_address", fixedIPs = "fixed_ips", status, tags, mtu, createdAt = "created_at"
    }
}

private let portShape = "{created_at:Date,fixed_ips:[{ip_address:String,subnet_id:UUID}],id:UUID,mac_address:String,"
    + "mtu:Int?,status:Enum(ACTIVE|BUILD|DOWN),tags:[String:String]?}"

private struct Scalars: Decodable {
    let s: String, b: Bool, i: Int, i8: Int8, i16: Int16, i32: Int32, i64: Int64
    let u: UInt, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64
    let d: Double, f: Float, date: Date, data: Data, uuid: UUID, url: URL
}

/// Decoded through a single-value container, as a typed id usually is.
private struct InstanceID: Decodable {
    let raw: String
    init(from decoder: any Decoder) throws { raw = try decoder.singleValueContainer().decode(String.self) }
}

/// A hand-written init(from:): decodeIfPresent, a nested keyed container and an unkeyed one.
private struct BuildRequest: Decodable {
    let instance: InstanceID
    let hostname: String?
    let flavorRAM: Int
    let networks: [String]
    enum CodingKeys: String, CodingKey { case instance_id, hostname, flavor, networks }
    enum FlavorKeys: String, CodingKey { case memory_mb }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instance = try container.decode(InstanceID.self, forKey: .instance_id)
        hostname = try container.decodeIfPresent(String.self, forKey: .hostname)
        flavorRAM = try container.nestedContainer(keyedBy: FlavorKeys.self, forKey: .flavor)
            .decode(Int.self, forKey: .memory_mb)
        var list = try container.nestedUnkeyedContainer(forKey: .networks)
        var names: [String] = []
        while !list.isAtEnd { names.append(try list.decode(String.self)) }
        networks = names
    }
}

/// Like Messaging's `JSONValue`: probes nil, Bool, Double, String, array, object in turn.
private enum JSONValue: Decodable, Equatable, SchemaOpaque {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])
    static var schemaName: String { "JSON" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

private struct Notification: Decodable {
    let eventType: String
    let payload: JSONValue
    let extra: [String: JSONValue]?
    enum CodingKeys: String, CodingKey { case eventType = "event_type", payload, extra }
}

private struct TreeNode: Decodable {
    let name: String
    let children: [TreeNode]
}

private enum PlainState: String, Decodable { case on, off }
private struct UsesPlainEnum: Decodable { let state: PlainState }

private struct Empty: Decodable {}

// Two versions of one message, and variants that each change one thing.
private struct SpawnV1_0: Decodable { let instance_id: UUID; let image_id: String }
private struct SpawnV1_1: Decodable { let instance_id: UUID; let image_id: String; let admin_password: String? }
private struct SpawnRenamedKey: Decodable { let instance_uuid: UUID; let image_id: String }
private struct SpawnChangedType: Decodable { let instance_id: String; let image_id: String }
private struct SpawnNowOptional: Decodable { let instance_id: UUID?; let image_id: String }
private struct SpawnSameShape: Decodable { let image_id: String; let instance_id: UUID }

// MARK: - Tests

@Suite struct FingerprintToolTests {
    @Test func scalarsAreRecordedByName() throws {
        #expect(try SchemaShape.describe(Scalars.self) == "{b:Bool,d:Double,data:Data,date:Date,f:Float,"
            + "i:Int,i16:Int16,i32:Int32,i64:Int64,i8:Int8,s:String,u:UInt,u16:UInt16,u32:UInt32,"
            + "u64:UInt64,u8:UInt8,url:URL,uuid:UUID}")
    }

    @Test func nestedOptionalArrayDictionaryAndEnum() throws {
        #expect(try SchemaShape.describe(Port.self) == portShape)
    }

    @Test func handWrittenDecoderWithNestedContainers() throws {
        #expect(try SchemaShape.describe(BuildRequest.self)
            == "{flavor:{memory_mb:Int},hostname:String?,instance_id:String,networks:[String]}")
    }

    @Test func collectionsAtTopLevelAndNested() throws {
        #expect(try SchemaShape.describe([Int].self) == "[Int]")
        #expect(try SchemaShape.describe(Int?.self) == "Int?")
        #expect(try SchemaShape.describe([[Double]].self) == "[[Double]]")
        #expect(try SchemaShape.describe([Int?].self) == "[Int?]")
        #expect(try SchemaShape.describe(Set<String>.self) == "[String]")
        #expect(try SchemaShape.describe([String: [FixedIP]].self) == "[String:[{ip_address:String,subnet_id:UUID}]]")
        #expect(try SchemaShape.describe([Int: Bool].self) == "[Int:Bool]")
        #expect(try SchemaShape.describe(Empty.self) == "{}")
    }

    @Test func opaqueTypesAreRecordedByName() throws {
        #expect(try SchemaShape.describe(Notification.self) == "{event_type:String,extra:[String:JSON]?,payload:JSON}")
        #expect(try JSONValue.schemaPlaceholder() == .null)
    }

    @Test func enumCaseOrderDoesNotMatter() throws {
        #expect(try SchemaShape.describe(PortStatus.self) == "Enum(ACTIVE|BUILD|DOWN)")
        #expect(try SchemaFingerprint.of(PortStatus.self) == SchemaFingerprint.of(PortStatusReordered.self))
    }

    @Test func recursiveTypeFailsWithPathAndAdvice() throws {
        let error = try #require(throws: SchemaShapeError.self) { try SchemaShape.describe(TreeNode.self) }
        #expect(error.path == "children[0]")
        #expect(error.description.contains("TreeNode"))
        #expect(error.description.contains("SchemaOpaque"))
    }

    @Test func stringEnumWithoutSchemaEnumerationFailsWithAdvice() throws {
        let error = try #require(throws: SchemaShapeError.self) { try SchemaShape.describe(UsesPlainEnum.self) }
        #expect(error.path == "state")
        #expect(error.description.contains("SchemaEnumeration"))
    }

    @Test func fnv1aMatchesPublishedVectors() {
        #expect(SchemaFingerprint.of(shape: "") == "cbf29ce484222325")
        #expect(SchemaFingerprint.of(shape: "a") == "af63dc4c8601ec8c")
        #expect(SchemaFingerprint.of(shape: "foobar") == "85944171f73967e8")
    }

    /// Hard-coded: these must never change between runs, builds or platforms. If this fails
    /// after editing the recorder itself, every message's version list must be re-blessed.
    @Test func fingerprintsAreStable() throws {
        #expect(try SchemaFingerprint.of(Port.self) == "f0c73c9c0f4b2e08")
        #expect(try SchemaShape.describe(SpawnV1_0.self) == "{image_id:String,instance_id:UUID}")
        #expect(try SchemaFingerprint.of(SpawnV1_0.self, version: "1.0") == "1.0-7be8c2a40feb3c15")
        #expect(try SchemaFingerprint.of(Port.self) == SchemaFingerprint.of(shape: portShape))
    }

    @Test func anyFieldChangeChangesTheFingerprint() throws {
        let base = try SchemaFingerprint.of(SpawnV1_0.self)
        let changed = [
            try SchemaFingerprint.of(SpawnV1_1.self),
            try SchemaFingerprint.of(SpawnRenamedKey.self),
            try SchemaFingerprint.of(SpawnChangedType.self),
            try SchemaFingerprint.of(SpawnNowOptional.self),
        ]
        #expect(!changed.contains(base))
        #expect(Set(changed).count == changed.count)
        #expect(try SchemaFingerprint.of(SpawnSameShape.self) == base)
    }
}
