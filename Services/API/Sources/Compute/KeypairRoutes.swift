import Foundation
import Hummingbird
import Messaging
import Storage

/// `os-keypairs`: import or generate (private key returned once), list, show, delete.
public struct KeypairRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("os-keypairs") { _, context in
            let auth = try context.caller()
            let keys = try await environment.database.read { db in
                try KeypairRecord.filter(Column("user_id") == auth.userID).order(Column("name")).fetchAll(db)
            }
            return JSONResponse.make(["keypairs": .array(keys.map { ["keypair": $0.json(detail: false)] })])
        }
        group.get("os-keypairs/:name") { _, context in
            JSONResponse.make(["keypair": try await self.find(context).json(detail: true)])
        }
        group.delete("os-keypairs/:name") { _, context in
            let key = try await self.find(context)
            _ = try await environment.database.write { db in try key.delete(db) }
            return JSONResponse.empty(.accepted)
        }
        group.post("os-keypairs") { request, context in try await self.create(request, context) }
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let fields = try BodyFields.root(try await request.jsonBody(), key: "keypair")
        let name = try fields.requiredString("name")
        try KeypairName.validate(name)
        if let type = try fields.string("type"), type != "ssh" {
            throw APIError.badRequest("Keypair type '\(type)' is not supported; use 'ssh'.")
        }
        var privateKey: String?
        let publicKey: String
        if let given = try fields.string("public_key") {
            publicKey = given.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            do {
                (privateKey, publicKey) = try await environment.keys.generate(comment: name)
            } catch {
                context.logger.error("Key generation failed", metadata: ["error": "\(error)"])
                throw APIError(.internalServerError, "Key generation failed; import a public key with 'public_key' instead.")
            }
        }
        let parsed = try SSHPublicKey(parsing: publicKey)
        var record = KeypairRecord(
            userID: auth.userID, name: name, fingerprint: parsed.fingerprint, publicKey: publicKey, createdAt: environment.now())
        record = try await environment.database.write { [record] db in
            let row = record
            guard try KeypairRecord.filter(Column("user_id") == row.userID && Column("name") == row.name).fetchCount(db) == 0
            else { throw APIError.conflict("Key pair '\(row.name)' already exists; delete it first or choose another name.") }
            try row.insert(db)
            return row
        }
        context.logger.info("Keypair created", metadata: ["keypair.name": "\(name)"])
        return JSONResponse.make(["keypair": record.json(detail: false, privateKey: privateKey).merging(["user_id": .string(auth.userID)])])
    }

    func find(_ context: APIRequestContext) async throws -> KeypairRecord {
        let auth = try context.caller()
        let name = try context.parameters.require("name")
        guard let key = try await environment.database.read({ db in
            try KeypairRecord.filter(Column("user_id") == auth.userID && Column("name") == name).fetchOne(db)
        }) else { throw APIError.notFound("Keypair \(name) not found for user \(auth.userID)") }
        return key
    }
}

/// Nova's keypair name rule: 1-255 characters of letters, digits, `_`, `-`, `.`, `@` and spaces. Pure.
public enum KeypairName {
    public static func validate(_ name: String) throws {
        guard !name.isEmpty, name.count <= 255 else {
            throw APIError.badRequest("Keypair name must be 1-255 characters long.")
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-.@ "))
        guard name.unicodeScalars.allSatisfy(allowed.contains), name.trimmingCharacters(in: .whitespaces) == name else {
            throw APIError.badRequest("Keypair name contains unsafe characters; use letters, digits, '_', '-', '.', '@' and inner spaces.")
        }
    }
}

extension JSONValue {
    /// This object with `other`'s members added (objects only).
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case .object(var o) = self else { return self }
        for (k, v) in other { o[k] = v }
        return .object(o)
    }
}
