import Foundation
import Hummingbird
import Messaging
import Storage

/// `GET /compute/v2.1/flavors[/detail|/{id}]`.
public struct FlavorRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("flavors") { request, _ in try await self.list(request, detail: false) }
        group.get("flavors/detail") { request, _ in try await self.list(request, detail: true) }
        group.get("flavors/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let flavor = try await environment.database.read({ db in try FlavorRecord.fetchOne(db, key: id) }) else {
                throw APIError.notFound("Flavor \(id) could not be found.")
            }
            return JSONResponse.make(["flavor": FlavorView.detail(flavor, baseURL: environment.configuration.publicURL)])
        }
    }

    func list(_ request: Request, detail: Bool) async throws -> Response {
        let query = request.query
        let minRAM = query["minRam"].flatMap { Int($0) } ?? 0
        let minDisk = query["minDisk"].flatMap { Int($0) } ?? 0
        let flavors = try await environment.database.read { db in
            try FlavorRecord.order(sql: "CAST(id AS INTEGER), id").fetchAll(db)
        }.filter { $0.memoryMB >= minRAM && $0.rootGB >= minDisk }
        let base = environment.configuration.publicURL
        let items = flavors.map { detail ? FlavorView.detail($0, baseURL: base) : FlavorView.summary($0, baseURL: base) }
        return JSONResponse.make(["flavors": .array(items)])
    }
}

/// Nova's flavor JSON at microversion 2.1. Pure.
public enum FlavorView {
    public static func links(_ flavor: FlavorRecord, baseURL: String) -> JSONValue {
        [
            ["rel": "self", "href": .string("\(baseURL)/compute/v2.1/flavors/\(flavor.id)")],
            ["rel": "bookmark", "href": .string("\(baseURL)/compute/flavors/\(flavor.id)")],
        ]
    }

    public static func summary(_ flavor: FlavorRecord, baseURL: String) -> JSONValue {
        ["id": .string(flavor.id), "name": .string(flavor.name), "links": links(flavor, baseURL: baseURL)]
    }

    public static func detail(_ flavor: FlavorRecord, baseURL: String) -> JSONValue {
        [
            "id": .string(flavor.id), "name": .string(flavor.name), "links": links(flavor, baseURL: baseURL),
            "ram": .int(Int64(flavor.memoryMB)), "vcpus": .int(Int64(flavor.vcpus)), "disk": .int(Int64(flavor.rootGB)),
            "OS-FLV-EXT-DATA:ephemeral": .int(Int64(flavor.ephemeralGB)),
            "swap": flavor.swapMB == 0 ? "" : .int(Int64(flavor.swapMB)),
            "rxtx_factor": .double(flavor.rxtxFactor),
            "os-flavor-access:is_public": .bool(flavor.isPublic),
            "OS-FLV-DISABLED:disabled": false,
        ]
    }
}
