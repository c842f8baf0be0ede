import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Schemas
import Testing

extension Client {
    /// An active image of the token's project.
    func activeImage(_ token: String, name: String = "cirros") async throws -> String {
        let id = try await send(.post, "/image/v2/images", token: token, json: ["name": .string(name), "disk_format": "qcow2", "container_format": "bare"]).json["id"]!.stringValue!
        _ = try await send(.put, "/image/v2/images/\(id)/file", token: token, raw: ByteBuffer(string: "disk bytes"))
        return id
    }

    func createServer(_ token: String, image: String, name: String = "demo", extra: [String: JSONValue] = [:]) async throws -> TestResponse {
        var server: [String: JSONValue] = ["name": .string(name), "imageRef": .string(image), "flavorRef": "1", "min_count": 1, "max_count": 1]
        for (k, v) in extra { server[k] = v }
        return try await send(.post, "/compute/v2.1/servers", token: token, json: ["server": .object(server)])
    }
}

@Suite struct ServerTests {
    /// The build uses the instance as created (no full read) unless it changed meanwhile.
    @Test func aServerRenamedWhileSchedulingIsBuiltWithItsNewName() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let image = try await c.activeImage(token)
            let created = try await c.createServer(token, image: image, extra: ["networks": "none"])
            let id = try #require(created.json.at("server", "id")?.stringValue)
            #expect(api.compute.builds.withLock { $0.last?.instance.name } == "demo")
            let stale = try #require(try await api.environment.database.read { db in try InstanceStore.live(db, uuid: id) })
            api.clock.advance(1)
            let renamed = try await c.send(.put, "/compute/v2.1/servers/\(id)", token: token, json: ["server": ["name": "renamed"]])
            #expect(renamed.status == .ok)
            let context = Messaging.RequestContext(requestID: "req-00000000-0000-0000-0000-000000000001")
            await api.environment.boot.orchestrator.schedule(BootJob(instanceUUIDs: [id], spec: stale.requestSpec, context: context, created: [stale]))
            #expect(api.compute.builds.withLock { $0.last?.instance.name } == "renamed")
            #expect(api.compute.builds.withLock { $0.count } == 2)
        }
    }

    @Test func createSchedulesAndCastsBuild() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let image = try await c.activeImage(token)
            _ = try await c.send(.post, "/compute/v2.1/os-keypairs", token: token, json: ["keypair": ["name": "k"]])
            let created = try await c.createServer(token, image: image, extra: ["key_name": "k", "networks": "none"])
            #expect(created.status == .accepted)
            let id = created.json.at("server", "id")!.stringValue!
            let requestID = created.headers[HeaderName("x-openstack-request-id")!]!
            // The scheduler got the request spec; compute got the build with the alternates.
            let select = api.scheduler.state.withLock { $0.selects }
            #expect(select.first?.spec.flavor.name == "m1.tiny")
            #expect(select.first?.instanceUUIDs == [id])
            #expect(api.scheduler.state.withLock { $0.contexts.first?.requestID } == requestID)
            let build = try #require(api.compute.builds.withLock { $0.first })
            #expect(api.compute.casts.withLock { $0 } == ["build compute1 \(id)"])
            #expect(build.alternates.map(\.host) == ["compute2", "compute3"])
            #expect(build.actionRequestID == requestID)
            #expect(build.instance.keyData?.hasPrefix("ssh-ed25519") == true)
            #expect(build.instance.domainName == "instance-00000001")
            let show = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server")!
            #expect(show["status"] == "BUILD")
            #expect(show["OS-EXT-STS:task_state"] == "scheduling")
            #expect(show["OS-EXT-SRV-ATTR:host"] == "compute1")
            #expect(show["OS-EXT-SRV-ATTR:instance_name"] == "instance-00000001")
            #expect(show.at("flavor", "id") == "1")
            #expect(show.at("image", "id") == .string(image))
            #expect(show["key_name"] == "k")
            #expect(show["addresses"] == [:])
            let list = try await c.send(.get, "/compute/v2.1/servers/detail?deleted=False&name=demo", token: token).json.at("servers")!.arrayValue
            #expect(list.map { $0["id"] } == [.string(id)])
            let events = try await c.send(.get, "/compute/v2.1/servers/\(id)/os-instance-actions", token: token).json
            #expect(events.at("instanceActions", "0", "action") == "create")
            #expect(events.at("instanceActions", "0", "request_id") == .string(requestID))
        }
    }

    @Test func noValidHostGivesErrorWithFault() async throws {
        let api = try TestAPI()
        api.scheduler.state.withLock { $0.noValidHost = "There are not enough hosts available. RamFilter removed 3 hosts." }
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let image = try await c.activeImage(token)
            let created = try await c.createServer(token, image: image)
            #expect(created.status == .accepted)
            let id = created.json.at("server", "id")!.stringValue!
            let server = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server")!
            #expect(server["status"] == "ERROR")
            #expect(server.at("fault", "code") == 500)
            #expect(server.at("fault", "message")?.stringValue?.hasPrefix("No valid host was found. There are not enough hosts") == true)
            #expect(api.compute.casts.withLock { $0.isEmpty })
            let detail = try await c.send(.get, "/compute/v2.1/servers/detail?status=ERROR", token: token).json.at("servers")!.arrayValue
            #expect(detail.first?.at("fault", "code") == 500)
        }
    }

    @Test func badRequestsAreClear() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let image = try await c.activeImage(token)
            let unknownFlavor = try await c.send(.post, "/compute/v2.1/servers", token: token, json: ["server": ["name": "x", "imageRef": .string(image), "flavorRef": "42"]])
            #expect(unknownFlavor.status == .badRequest)
            #expect(unknownFlavor.json.at("badRequest", "message")?.stringValue?.contains("Flavor 42 could not be found") == true)
            let unknownImage = try await c.createServer(token, image: "nope")
            #expect(unknownImage.json.at("badRequest", "message")?.stringValue?.contains("Image nope") == true)
            let longName = try await c.createServer(token, image: image, name: String(repeating: "n", count: 256))
            #expect(longName.status == .badRequest)
            let badKey = try await c.createServer(token, image: image, extra: ["key_name": "missing"])
            #expect(badKey.json.at("badRequest", "message")?.stringValue?.contains("key_name") == true)
            let invalid = try await c.send(.post, "/compute/v2.1/servers", token: token, raw: ByteBuffer(string: "{\"server\": "))
            #expect(invalid.status == .badRequest)
            #expect(invalid.json.at("badRequest", "message")?.stringValue?.contains("Malformed request body") == true)
            let huge = try await c.send(.post, "/compute/v2.1/servers", token: token, raw: ByteBuffer(repeating: UInt8(ascii: " "), count: 300_000))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.json.at("overLimit", "message")?.stringValue?.contains("256 KiB") == true)
            let queued = try await c.send(.post, "/image/v2/images", token: token, json: ["name": "empty"]).json["id"]!
            #expect(try await c.createServer(token, image: queued.stringValue!).json.at("badRequest", "message")?.stringValue?.contains("not active") == true)
            #expect(try await c.send(.get, "/compute/v2.1/servers/demo", token: token).status == .notFound)
            #expect(try await c.send(.get, "/compute/v2.1/no-such-thing", token: token).json.at("itemNotFound", "code") == 404)
            #expect(api.compute.casts.withLock { $0.isEmpty })
        }
    }

    @Test func otherProjectsServersAreForbidden() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let demo = try await c.token("demo", "demo")
            let image = try await c.activeImage(demo)
            let id = try await c.createServer(demo, image: image).json.at("server", "id")!.stringValue!
            let other = try await c.token("other", "other")
            let show = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: other)
            #expect(show.status == .forbidden)
            #expect(show.json.at("forbidden", "code") == 403)
            #expect(try await c.send(.delete, "/compute/v2.1/servers/\(id)", token: other).status == .forbidden)
            #expect(try await c.send(.get, "/compute/v2.1/servers/detail", token: other).json.at("servers")?.arrayValue.isEmpty == true)
            #expect(try await c.send(.get, "/compute/v2.1/servers?all_tenants=1", token: other).status == .forbidden)
            let admin = try await c.token("admin", "s3cret")
            #expect(try await c.send(.get, "/compute/v2.1/servers/detail?all_tenants=True", token: admin).json.at("servers")?.arrayValue.count == 1)
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(id)", token: admin).status == .ok)
        }
    }

    @Test func deleteBeforeAndAfterScheduling() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let image = try await c.activeImage(token)
            // Scheduled to compute1 but compute1 never reported: local delete (its service is down).
            let local = try await c.createServer(token, image: image, name: "a").json.at("server", "id")!.stringValue!
            #expect(try await c.send(.delete, "/compute/v2.1/servers/\(local)", token: token).status == .noContent)
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(local)", token: token).status == .notFound)
            #expect(api.scheduler.state.withLock { $0.releases } == [local])
            // With a live compute the delete is cast and finalised by compute's `deleted` update.
            _ = try await api.environment.conductor.reportState(
                ServiceReport(binary: "cirrus-compute", host: "compute1", topic: "compute", reportCount: 1, version: "0"),
                logger: Logger(label: "t"), now: api.clock.now())
            let remote = try await c.createServer(token, image: image, name: "b").json.at("server", "id")!.stringValue!
            #expect(try await c.send(.delete, "/compute/v2.1/servers/\(remote)", token: token).status == .noContent)
            #expect(api.compute.casts.withLock { $0.last } == "terminate compute1 \(remote)")
            let deleting = try await c.send(.get, "/compute/v2.1/servers/\(remote)", token: token).json.at("server")!
            #expect(deleting["OS-EXT-STS:task_state"] == "deleting")
            try await api.environment.conductor.instanceUpdate(
                InstanceUpdateArguments(instanceUUID: remote, vmState: .deleted), uniqueID: "u-del", context: .service("test"), logger: Logger(label: "t"))
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(remote)", token: token).status == .notFound)
            #expect(api.scheduler.state.withLock { $0.releases }.contains(remote))
            let actions = try await c.send(.get, "/compute/v2.1/servers/detail?deleted=True", token: token).json.at("servers")!.arrayValue
            #expect(actions.count == 2)
        }
    }

    @Test func stopStartReboot() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let image = try await c.activeImage(token)
            let id = try await c.createServer(token, image: image).json.at("server", "id")!.stringValue!
            let early = try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: token, json: ["os-stop": nil])
            #expect(early.status == .conflict)
            try await api.environment.conductor.instanceUpdate(
                InstanceUpdateArguments(instanceUUID: id, vmState: .active, taskState: nil, updatesTaskState: true, powerState: .running),
                uniqueID: "u1", context: .service("test"), logger: Logger(label: "t"))
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server", "status") == "ACTIVE")
            #expect(try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: token, json: ["os-stop": nil]).status == .accepted)
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server", "OS-EXT-STS:task_state") == "powering-off")
            #expect(try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: token, json: ["os-stop": nil]).status == .conflict)
            try await api.environment.conductor.instanceUpdate(
                InstanceUpdateArguments(instanceUUID: id, vmState: .stopped, taskState: nil, updatesTaskState: true, powerState: .shutdown),
                uniqueID: "u2", context: .service("test"), logger: Logger(label: "t"))
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server", "status") == "SHUTOFF")
            #expect(try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: token, json: ["os-start": nil]).status == .accepted)
            let badType = try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: token, json: ["reboot": ["type": "GENTLE"]])
            #expect(badType.status == .badRequest)
            let unknown = try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: token, json: ["os-migrate": nil])
            #expect(unknown.status == .badRequest)
            #expect(api.compute.casts.withLock { Array($0.dropFirst()) } == ["stop compute1 \(id)", "start compute1 \(id)"])
            let actions = try await c.send(.get, "/compute/v2.1/servers/\(id)/os-instance-actions", token: token).json.at("instanceActions")!.arrayValue
            #expect(actions.compactMap { $0["action"]?.stringValue }.sorted() == ["create", "start", "stop"])
        }
    }
}
