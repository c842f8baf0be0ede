import Messaging
import Testing
@testable import CLI

@Suite struct ServerFieldsTests {
    let server: JSONValue = [
        "id": "u-1", "name": "demo", "status": "ACTIVE", "tenant_id": "p1", "metadata": ["role": "web"],
        "image": ["id": "img-1", "links": []], "flavor": ["id": "1", "links": []],
        "addresses": [
            "public": [["addr": "10.0.0.5", "version": 4], ["addr": "fd00::5", "version": 6]],
            "admin": [["addr": "192.168.0.3", "version": 4]],
        ],
        "security_groups": [["name": "default"]], "links": [],
    ]

    @Test func networksColumnLikeTheClient() {
        #expect(ServerFields.networks(server["addresses"]) == "admin=192.168.0.3; public=10.0.0.5, fd00::5")
        #expect(ServerFields.networks(["public": [["addr": "10.0.0.3", "version": 4]]]) == "public=10.0.0.3")
        #expect(ServerFields.networks(.object([:])) == "")
        #expect(ServerFields.networks(nil) == "")
    }

    @Test func listRowUsesNamesAndFallsBackToIDs() throws {
        let row = ServerFields.listRow(server, images: ["img-1": "cirros"], flavors: ["1": "m1.tiny"])
        #expect(row.map(\.human) == ["u-1", "demo", "ACTIVE", "admin=192.168.0.3; public=10.0.0.5, fd00::5", "cirros", "m1.tiny"])
        let bare = ServerFields.listRow(server, images: [:], flavors: [:])
        #expect(bare[4].human == "img-1" && bare[5].human == "1")
        let table = try TableFormatter().list(
            headers: ServerFields.listHeaders,
            rows: [ServerFields.listRow(["id": "u-2", "name": "demo", "status": "BUILD", "image": ["id": "i"], "flavor": ["id": "1"],
                                         "addresses": ["public": [["addr": "10.0.0.3"]]]], images: ["i": "cirros"], flavors: ["1": "m1.tiny"])])
        #expect(table == """
            +-----+------+--------+-----------------+--------+---------+
            | ID  | Name | Status | Networks        | Image  | Flavor  |
            +-----+------+--------+-----------------+--------+---------+
            | u-2 | demo | BUILD  | public=10.0.0.3 | cirros | m1.tiny |
            +-----+------+--------+-----------------+--------+---------+

            """)
    }

    @Test func bootFromVolumeImageColumn() {
        var s = server.objectValue!
        s["image"] = ""
        #expect(ServerFields.listRow(.object(s), images: [:], flavors: [:])[4].human == "N/A (booted from volume)")
    }

    @Test func showRenamesAndFormatsFields() {
        let fields = ServerFields.show(server, imageName: "cirros", flavorName: "m1.tiny")
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.0, $0.1.human) })
        #expect(fields.map(\.0) == fields.map(\.0).sorted())
        #expect(byName["image"] == "cirros (img-1)")
        #expect(byName["flavor"] == "m1.tiny (1)")
        #expect(byName["project_id"] == "p1")
        #expect(byName["properties"] == "role='web'")
        #expect(byName["security_groups"] == "name='default'")
        #expect(byName["tenant_id"] == nil && byName["links"] == nil && byName["metadata"] == nil)
    }

    @Test func waitDecisions() {
        let building: JSONValue = ["status": "BUILD", "OS-EXT-STS:task_state": "spawning"]
        #expect(ServerWait.step(building, targets: ["ACTIVE"], action: "creating", name: "demo") == .keepWaiting)
        #expect(ServerWait.step(["status": "ACTIVE", "OS-EXT-STS:task_state": nil], targets: ["ACTIVE"], action: "creating", name: "demo") == .done)
        #expect(ServerWait.step(["status": "ACTIVE", "OS-EXT-STS:task_state": "rebooting"], targets: ["ACTIVE"], action: "rebooting", name: "demo") == .keepWaiting)
        #expect(ServerWait.step(["status": "ERROR", "fault": ["message": "No valid host was found."]], targets: ["ACTIVE"], action: "creating", name: "demo")
                == .failed("Error creating server demo: No valid host was found."))
        #expect(ServerWait.progressLine(name: "demo", server: building) == "Waiting for server demo: BUILD (spawning)")
        #expect(ServerWait.progressLine(name: "demo", server: ["status": "ACTIVE"], elapsedSeconds: 3) == "Waiting for server demo: ACTIVE 3s")
        #expect(ServerWait.progressLine(name: "demo", server: nil, deleting: true) == "Waiting for server demo to be deleted: DELETED")
    }

    @Test func imageShowGathersProperties() {
        let fields = ResourceFields.image(["id": "i", "name": "cirros", "status": "active", "os_hash_algo": "sha512", "hw_arch": "x86_64", "self": "/v2/images/i"])
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.0, $0.1.human) })
        #expect(byName["properties"] == "hw_arch='x86_64', os_hash_algo='sha512'")
        #expect(byName["hw_arch"] == nil && byName["self"] == nil)
    }
}
