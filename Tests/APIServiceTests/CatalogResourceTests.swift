import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import Testing

/// Flavors, images and keypairs as the `openstack` client reads them.
@Suite struct CatalogResourceTests {
    @Test func flavorsLikeNova() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let list = try await c.send(.get, "/compute/v2.1/flavors/detail?is_public=None", token: token)
            let flavors = list.json.at("flavors")!.arrayValue
            #expect(flavors.map { $0["name"]!.stringValue! } == ["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"])
            let tiny = flavors[0]
            #expect(tiny["id"] == "1" && tiny["ram"] == 512 && tiny["vcpus"] == 1 && tiny["disk"] == 1)
            #expect(tiny["os-flavor-access:is_public"] == true)
            #expect(tiny["OS-FLV-EXT-DATA:ephemeral"] == 0)
            #expect(try await c.send(.get, "/compute/v2.1/flavors/3", token: token).json.at("flavor", "name") == "m1.medium")
            let missing = try await c.send(.get, "/compute/v2.1/flavors/m1.tiny", token: token)
            #expect(missing.status == .notFound)
            #expect(missing.json.at("itemNotFound", "code") == 404)
        }
    }

    @Test func imageUploadDownloadChecksums() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let created = try await c.send(.post, "/image/v2/images", token: token, json: [
                "name": "cirros", "disk_format": "qcow2", "container_format": "bare", "hw_architecture": "x86_64",
            ])
            #expect(created.status == .created)
            #expect(created.json["status"] == "queued")
            #expect(created.json["hw_architecture"] == "x86_64")
            let id = created.json["id"]!.stringValue!
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let put = try await c.send(.put, "/image/v2/images/\(id)/file", token: token, raw: ByteBuffer(bytes: bytes))
            #expect(put.status == .noContent)
            let image = try await c.send(.get, "/image/v2/images/\(id)", token: token).json
            #expect(image["status"] == "active")
            #expect(image["size"] == .int(300_000))
            #expect(image["checksum"] == .string(MD5.hex(bytes)))
            #expect(image["os_hash_algo"] == "sha512")
            #expect(image["os_hash_value"] == .string(SHA512.hex(bytes)))
            #expect(FileManager.default.fileExists(atPath: api.stateDirectory + "/images/\(id)"))
            let download = try await c.send(.get, "/image/v2/images/\(id)/file", token: token)
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == bytes)
            let again = try await c.send(.put, "/image/v2/images/\(id)/file", token: token, raw: ByteBuffer(bytes: bytes))
            #expect(again.status == .conflict)
            // Listed by name; not visible to another project (visibility shared, not a member).
            #expect(try await c.send(.get, "/image/v2/images?name=cirros", token: token).json.at("images")?.arrayValue.count == 1)
            #expect(try await c.send(.get, "/image/v2/images?name=nope", token: token).json.at("images")?.arrayValue.isEmpty == true)
            let other = try await c.token("other", "other")
            #expect(try await c.send(.get, "/image/v2/images/\(id)", token: other).status == .notFound)
            #expect(try await c.send(.delete, "/image/v2/images/\(id)", token: token).status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: api.stateDirectory + "/images/\(id)"))
            let gone = try await c.send(.get, "/image/v2/images/\(id)", token: token)
            #expect(gone.status == .notFound)
            #expect(gone.text.hasPrefix("404 Not Found"))
        }
    }

    @Test func imageRequestsAreValidated() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            #expect(try await c.send(.post, "/image/v2/images", token: token, json: ["name": "x", "disk_format": "floppy"]).status == .badRequest)
            #expect(try await c.send(.post, "/image/v2/images", token: token, json: ["name": "x", "visibility": "public"]).status == .forbidden)
            #expect(try await c.send(.post, "/image/v2/images", token: token, json: ["name": "x", "checksum": "abc"]).status == .forbidden)
            let admin = try await c.token("admin", "s3cret")
            #expect(try await c.send(.post, "/image/v2/images", token: admin, json: ["name": "x", "visibility": "public"]).status == .created)
            #expect(try await c.send(.get, "/image/v2/images", token: token).json.at("images")?.arrayValue.count == 1)
        }
    }

    @Test func keypairsImportAndGenerate() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let generated = try await c.send(.post, "/compute/v2.1/os-keypairs", token: token, json: ["keypair": ["name": "gen"]])
            #expect(generated.status == .ok)
            let pair = generated.json.at("keypair")!
            #expect(pair["private_key"]?.stringValue?.contains("OPENSSH PRIVATE KEY") == true)
            let publicKey = pair["public_key"]!.stringValue!
            #expect(publicKey.hasPrefix("ssh-ed25519 "))
            #expect(pair["fingerprint"] == .string(try SSHPublicKey(parsing: publicKey).fingerprint))
            let imported = try await c.send(.post, "/compute/v2.1/os-keypairs", token: token, json: ["keypair": ["name": "mine", "public_key": .string(publicKey)]])
            #expect(imported.json.at("keypair", "private_key") == nil)
            #expect(imported.json.at("keypair", "fingerprint") == pair["fingerprint"])
            let duplicate = try await c.send(.post, "/compute/v2.1/os-keypairs", token: token, json: ["keypair": ["name": "mine", "public_key": .string(publicKey)]])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json.at("conflictingRequest", "code") == 409)
            let list = try await c.send(.get, "/compute/v2.1/os-keypairs", token: token).json.at("keypairs")!.arrayValue
            #expect(list.compactMap { $0.at("keypair", "name")?.stringValue } == ["gen", "mine"])
            #expect(list.allSatisfy { $0.at("keypair", "type") == "ssh" && $0.at("keypair", "private_key") == nil })
            let show = try await c.send(.get, "/compute/v2.1/os-keypairs/gen", token: token).json
            #expect(show.at("keypair", "private_key") == nil)
            #expect(show.at("keypair", "public_key") == .string(publicKey))
            let bad = try await c.send(.post, "/compute/v2.1/os-keypairs", token: token, json: ["keypair": ["name": "x", "public_key": "ssh-rsa not-base64!"]])
            #expect(bad.status == .badRequest)
            #expect(try await c.send(.delete, "/compute/v2.1/os-keypairs/gen", token: token).status == .accepted)
            #expect(try await c.send(.get, "/compute/v2.1/os-keypairs/gen", token: token).status == .notFound)
        }
    }
}
