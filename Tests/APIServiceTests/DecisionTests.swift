import APIService
import Foundation
import Hummingbird
import Messaging
import Schemas
import Testing

@Suite struct DecisionTests {
    @Test func statusMapping() {
        #expect(ServerStatus.of(vmState: .building, taskState: .scheduling) == "BUILD")
        #expect(ServerStatus.of(vmState: .active, taskState: nil) == "ACTIVE")
        #expect(ServerStatus.of(vmState: .active, taskState: .deleting) == "ACTIVE")
        #expect(ServerStatus.of(vmState: .active, taskState: .rebooting) == "REBOOT")
        #expect(ServerStatus.of(vmState: .active, taskState: .rebooting_hard) == "HARD_REBOOT")
        #expect(ServerStatus.of(vmState: .stopped, taskState: nil) == "SHUTOFF")
        #expect(ServerStatus.of(vmState: .error, taskState: nil) == "ERROR")
        #expect(ServerStatus.of(vmState: .deleted, taskState: nil) == "DELETED")
        #expect(ServerStatus.vmStates(forStatus: "shutoff") == [.stopped])
        #expect(ServerStatus.vmStates(forStatus: "bogus") == nil)
    }

    @Test func actionTransitions() throws {
        #expect(try ServerAction.begin(.stop, vmState: .active, taskState: nil, uuid: "u").get() == .powering_off)
        #expect(try ServerAction.begin(.start, vmState: .stopped, taskState: nil, uuid: "u").get() == .powering_on)
        #expect(try ServerAction.begin(.reboot, vmState: .active, taskState: nil, rebootType: .soft, uuid: "u").get() == .rebooting)
        #expect(try ServerAction.begin(.reboot, vmState: .stopped, taskState: nil, rebootType: .hard, uuid: "u").get() == .rebooting_hard)
        guard case .failure(let e) = ServerAction.begin(.start, vmState: .active, taskState: nil, uuid: "u") else {
            Issue.record("starting an active server must conflict")
            return
        }
        #expect(e.status == .conflict)
        #expect(e.message.contains("vm_state active"))
        if case .success = ServerAction.begin(.reboot, vmState: .stopped, taskState: nil, rebootType: .soft, uuid: "u") {
            Issue.record("a soft reboot of a stopped server must conflict")
        }
        if case .success = ServerAction.begin(.stop, vmState: .active, taskState: .powering_off, uuid: "u") {
            Issue.record("stop while stopping must conflict")
        }
    }

    @Test func microversions() {
        #expect(Microversion.refusal(nil) == nil)
        #expect(Microversion.refusal("2.1") == nil)
        #expect(Microversion.refusal("latest") == nil)
        #expect(Microversion.refusal("2.90")?.contains("maximum is 2.1") == true)
        #expect(Microversion.refusal("two")?.contains("Invalid") == true)
        #expect(Microversion.requested(openStackAPIVersion: "compute 2.1", novaAPIVersion: nil) == "2.1")
        #expect(Microversion.requested(openStackAPIVersion: nil, novaAPIVersion: "2.5") == "2.5")
    }

    @Test func publicPaths() {
        #expect(AuthPolicy.isPublic(method: .get, path: "/v3/"))
        #expect(AuthPolicy.isPublic(method: .post, path: "/v3/auth/tokens"))
        #expect(AuthPolicy.isPublic(method: .get, path: "/compute/v2.1"))
        #expect(AuthPolicy.isPublic(method: .get, path: "/image"))
        #expect(!AuthPolicy.isPublic(method: .get, path: "/compute/v2.1/servers"))
        #expect(!AuthPolicy.isPublic(method: .get, path: "/v3/auth/tokens"))
    }

    @Test func userLines() throws {
        let user = try UserAccount.parse(name: "demo", value: "pa,ss, demo , member").get()
        #expect(user.password == "pa,ss")
        #expect(user.projectName == "demo")
        #expect(!user.isAdmin)
        #expect(user.projectID == StableID.project("demo"))
        #expect(user.projectID.count == 32)
        // Printed alone or inside a configuration printed whole, never with its password.
        #expect(!"\(user)".contains("pa,ss") && !String(reflecting: user).contains("pa,ss"))
        #expect(!"\([user])".contains("pa,ss"))
        if case .success = UserAccount.parse(name: "x", value: "pw,proj,owner") { Issue.record("unknown role accepted") }
        if case .success = UserAccount.parse(name: "x", value: "pw") { Issue.record("missing fields accepted") }
        #expect(APIConfiguration.parseListen("127.0.0.1:8774")! == ("127.0.0.1", 8774))
        #expect(APIConfiguration.parseListen("nope") == nil)
    }

    func create(_ server: JSONValue) throws -> ServerCreateRequest {
        try ServerCreateRequest.parse(Data(JSONValue.object(["server": server]).serialized().utf8))
    }

    @Test func serverCreateValidation() throws {
        let ok = try create(["name": "web", "imageRef": "img", "flavorRef": "http://x/flavors/1", "min_count": 1, "max_count": 2])
        #expect(ok.flavorRef == "1")
        #expect(ok.names(count: 2) == ["web-1", "web-2"])
        let bad: [(JSONValue, String)] = [
            (["imageRef": "i", "flavorRef": "1"], "'name' is a required property"),
            (["name": .string(String(repeating: "x", count: 256)), "imageRef": "i", "flavorRef": "1"], "1-255"),
            (["name": "a", "flavorRef": "1"], "imageRef"),
            (["name": "a", "imageRef": "i", "flavorRef": "1", "user_data": "!!!"], "base64"),
            (["name": "a", "imageRef": "i", "flavorRef": "1", "user_data": .string(Data(count: 70_000).base64EncodedString())], "65535"),
            (["name": "a", "imageRef": "i", "flavorRef": "1", "min_count": 3, "max_count": 2], "min_count"),
            (["name": 5, "imageRef": "i", "flavorRef": "1"], "expected a string"),
        ]
        for (body, fragment) in bad {
            #expect(throws: APIError.self) { try create(body) }
            do { _ = try create(body) } catch let e as APIError { #expect(e.message.contains(fragment), "\(e.message)") }
        }
        #expect(throws: APIError.badRequest("Malformed request body: it is not valid JSON")) {
            try ServerCreateRequest.parse(Data("{nope".utf8))
        }
        #expect(ServerCreateRequest.hostname(for: "My Web_Server.1!") == "my-web-server-1")
    }

    @Test func rescheduleDecisions() {
        let spec = RequestSpec(projectID: "p", flavor: FlavorSpec(id: "1", name: "f", vcpus: 1, memoryMB: 1, rootGB: 1), image: ImageSpec(id: "i", name: "i"))
        let instance = InstanceSpec(uuid: "u", internalID: 1, name: "n", hostname: "n", projectID: "p", userID: "x", flavor: spec.flavor, image: spec.image)
        let alternates = [Selection(host: "b", nodename: "b"), Selection(host: "c", nodename: "c")]
        func args(attempt: Int, alternates: [Selection]) -> RescheduleInstanceArguments {
            RescheduleInstanceArguments(
                build: BuildAndRunInstanceArguments(instance: instance, spec: spec, alternates: alternates, attempt: attempt, actionRequestID: "req-1"),
                failedHost: "a", reason: "disk full")
        }
        #expect(RescheduleDecision.decide(args(attempt: 1, alternates: alternates), maxAttempts: 3) == .tryAlternates(alternates, attempt: 2))
        guard case .fail(let m) = RescheduleDecision.decide(args(attempt: 3, alternates: alternates), maxAttempts: 3) else {
            Issue.record("attempt 3 of 3 must fail")
            return
        }
        #expect(m.hasPrefix("Exceeded maximum number of retries."))
        #expect(m.contains("disk full"))
        #expect(RescheduleDecision.decide(args(attempt: 1, alternates: []), maxAttempts: 3) != .tryAlternates([], attempt: 2))
        #expect(RescheduleDecision.decide(args(attempt: 1, alternates: alternates), maxAttempts: 1) == .fail("disk full"))
    }

    @Test func sshKeys() throws {
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDc0TLGF3J7r2/Qx8Hf/C9x0tSNq5gZt7nWb2WBwUvbs demo@host"
        let key = try SSHPublicKey(parsing: line)
        #expect(key.type == "ssh-ed25519")
        #expect(key.comment == "demo@host")
        #expect(key.fingerprint.split(separator: ":").count == 16)
        #expect(throws: APIError.self) { try SSHPublicKey(parsing: "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIDc0TLGF3J7r2/Qx8Hf/C9x0tSNq5gZt7nWb2WBwUvbs") }
        #expect(throws: APIError.self) { try SSHPublicKey(parsing: "hello") }
        #expect(throws: APIError.self) { try KeypairName.validate("bad/name") }
    }

    @Test func timestamps() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(OpenStackTime.iso(date) == "2023-11-14T22:13:20Z")
        #expect(OpenStackTime.keystone(date) == "2023-11-14T22:13:20.250000Z")
        #expect(OpenStackTime.nova(date) == "2023-11-14T22:13:20.250000")
    }

    @Test func errorShapes() throws {
        let notFound = APIError.notFound("Instance x could not be found.")
        let compute = try JSONValue.parse(Data(ErrorRenderer.render(notFound, style: .compute).body.utf8))
        #expect(compute.at("itemNotFound", "code") == 404)
        #expect(compute.at("itemNotFound", "message") == "Instance x could not be found.")
        let identity = try JSONValue.parse(Data(ErrorRenderer.render(.unauthorized(), style: .identity).body.utf8))
        #expect(identity.at("error", "title") == "Unauthorized")
        let network = try JSONValue.parse(Data(ErrorRenderer.render(notFound, style: .network).body.utf8))
        #expect(network.at("NeutronError", "type") == "HTTPNotFound")
        #expect(ErrorRenderer.render(notFound, style: .image).body.hasPrefix("404 Not Found"))
        #expect(ErrorRenderer.computeFaultName(.conflict) == "conflictingRequest")
        #expect(ErrorRenderer.computeFaultName(.internalServerError) == "computeFault")
    }
}
