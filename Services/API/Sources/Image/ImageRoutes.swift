import Foundation
import Hummingbird
import Messaging
import Storage

/// Glance v2 under `/image/v2`: images, their bytes, list filters.
public struct ImageRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    var database: ServiceDatabase { environment.database }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("images") { request, context in try await self.list(request, try context.caller()) }
        group.post("images") { request, context in
            let image = try ImageRequest.create(try await request.jsonBody(), auth: try context.caller(), now: environment.now())
            try await database.write { db in
                guard try ImageRecord.fetchOne(db, key: image.id) == nil else {
                    throw APIError.conflict("An image with id \(image.id) already exists.")
                }
                try image.insert(db)
            }
            context.logger.info("Image created", metadata: ["image.id": "\(image.id)"])
            return JSONResponse.make(ImageView.json(image), status: .created)
        }
        group.get("images/:id") { _, context in
            JSONResponse.make(ImageView.json(try await self.visibleImage(context)))
        }
        group.patch("images/:id") { request, context in
            var image = try await self.ownedImage(context)
            try ImageRequest.patch(try await request.jsonBody(), to: &image, auth: try context.caller())
            image.updatedAt = environment.now()
            let updated = image
            try await database.write { db in try updated.update(db) }
            return JSONResponse.make(ImageView.json(updated))
        }
        group.delete("images/:id") { _, context in
            let image = try await self.ownedImage(context)
            guard !image.protected else {
                throw APIError.forbidden("Image \(image.id) is protected; unset 'protected' before deleting it.")
            }
            _ = try await database.write { db in try ImageRecord.deleteOne(db, key: image.id) }
            environment.images.remove(image.id)
            context.logger.info("Image deleted", metadata: ["image.id": "\(image.id)"])
            return JSONResponse.empty(.noContent)
        }
        group.put("images/:id/file") { request, context in try await self.upload(request, context) }
        group.get("images/:id/file") { request, context in
            let image = try await self.visibleImage(context)
            guard image.status == "active" else { return JSONResponse.empty(.noContent) }
            let body = try await FileIO().loadFile(path: environment.images.path(image.id), context: context)
            var headers: HTTPFields = [.contentType: "application/octet-stream"]
            if let checksum = image.checksum { headers[HeaderName("Content-MD5")!] = checksum }
            if let size = image.size { headers[.contentLength] = String(size) }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    func list(_ request: Request, _ auth: AuthContext) async throws -> Response {
        let filter = ImageListFilter(query: request.query)
        let images = try await database.read { db in try ImageRecord.order(Column("created_at"), Column("id")).fetchAll(db) }
            .filter { $0.isVisible(to: auth) && filter.matches($0) }
        return JSONResponse.make([
            "images": .array(images.prefix(filter.limit).map(ImageView.json)), "schema": "/v2/schemas/images",
            "first": "/v2/images",
        ])
    }

    func upload(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let image = try await ownedImage(context)
        let id = image.id
        let now = environment.now()
        try await database.write { db in
            guard var row = try ImageRecord.fetchOne(db, key: id), row.status == "queued" else {
                throw APIError.conflict("Image \(id) is not queued for upload (data can be uploaded once); create a new image instead.")
            }
            row.status = "saving"
            row.updatedAt = now
            try row.update(db)
        }
        let stored: ImageFileStore.Stored
        do {
            stored = try await environment.images.store(id, body: request.body)
        } catch {
            try? await database.write { db in
                try db.execute(sql: "UPDATE images SET status = 'queued' WHERE id = ?", arguments: [id])
            }
            context.logger.warning("Image upload failed", metadata: ["image.id": "\(id)", "error": "\(error)"])
            throw APIError(.badRequest, "The upload of image \(id) was interrupted; upload the data again.")
        }
        let finished = environment.now()
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE images SET status = 'active', size = ?, checksum = ?, os_hash_algo = 'sha512',
                    os_hash_value = ?, updated_at = ? WHERE id = ?
                    """,
                arguments: [stored.size, stored.md5, stored.sha512, finished, id])
        }
        context.logger.info("Image data stored", metadata: ["image.id": "\(id)", "image.size": "\(stored.size)"])
        return JSONResponse.empty(.noContent)
    }

    func visibleImage(_ context: APIRequestContext) async throws -> ImageRecord {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        guard let image = try await database.read({ db in try ImageRecord.fetchOne(db, key: id) }), image.isVisible(to: auth) else {
            throw APIError.notFound("No image found with ID \(id)")
        }
        return image
    }

    func ownedImage(_ context: APIRequestContext) async throws -> ImageRecord {
        let image = try await visibleImage(context)
        let auth = try context.caller()
        guard auth.isAdmin || image.owner == auth.projectID else {
            throw APIError.forbidden("You are not permitted to modify image \(image.id): it belongs to another project.")
        }
        return image
    }
}
