import Foundation
@testable import MetadataProxyService
import Testing

struct OpenStackTreeTests {
    func json(_ path: String, _ r: RenderedInstance = Fixtures.rendered()) throws -> [String: Any] {
        let resp = Fixtures.get(path, r)
        #expect(resp.status == 200)
        return try #require(try JSONSerialization.jsonObject(with: Data(resp.body)) as? [String: Any])
    }

    @Test func versionsAndFilesListings() {
        #expect(Fixtures.get("/openstack").text.split(separator: "\n").last == "latest")
        #expect(Fixtures.get("/openstack/").text.contains("2018-08-27\n2020-10-14"))
        #expect(Fixtures.get("/openstack/latest").text
            == "meta_data.json\nuser_data\npassword\nvendor_data.json\nnetwork_data.json\nvendor_data2.json")
        #expect(Fixtures.get("/openstack/2012-08-10/").text == "meta_data.json\nuser_data")
        #expect(Fixtures.get("/openstack/2013-04-04", Fixtures.rendered(Fixtures.instance(userData: nil))).text == "meta_data.json\npassword")
        #expect(Fixtures.get("/openstack/2011-01-01/meta_data.json").status == 404)
        #expect(Fixtures.get("/openstack/latest/nope").status == 404)
        #expect(Fixtures.get("/openstack/latest/meta_data.json/x").status == 404)
    }

    @Test func metaDataHasNovasFields() throws {
        let md = try json("/openstack/latest/meta_data.json")
        #expect(md["uuid"] as? String == Fixtures.instance().uuid)
        #expect(md["name"] as? String == "demo-1")
        #expect(md["hostname"] as? String == "demo-1.novalocal")
        #expect(md["launch_index"] as? Int == 0)
        #expect(md["availability_zone"] as? String == "nova")
        #expect(md["project_id"] as? String == "proj")
        #expect((md["public_keys"] as? [String: String])?["mykey"] == Fixtures.key)
        let keys = try #require(md["keys"] as? [[String: String]])
        #expect(keys == [["name": "mykey", "type": "ssh", "data": Fixtures.key]])
        #expect(md["meta"] as? [String: String] == ["role": "web"])
        #expect((md["devices"] as? [Any])?.isEmpty == true)
        let seed = try #require(md["random_seed"] as? String)
        #expect(Data(base64Encoded: seed)?.count == 512)
        let again = try json("/openstack/latest/meta_data.json")
        #expect(again["random_seed"] as? String != seed)
        #expect(Fixtures.get("/openstack/latest/meta_data.json").contentType == "application/json")
    }

    @Test func olderMetaDataLacksNewerFields() throws {
        let md = try json("/openstack/2012-08-10/meta_data.json")
        #expect(md["random_seed"] == nil && md["project_id"] == nil && md["uuid"] != nil)
        let keyless = try json("/openstack/2018-08-27/meta_data.json", Fixtures.rendered(Fixtures.instance(key: false)))
        #expect(keyless["public_keys"] == nil && keyless["keys"] == nil && keyless["project_id"] != nil)
    }

    @Test func networkDataWithDHCP() throws {
        let nd = try json("/openstack/latest/network_data.json")
        let links = try #require(nd["links"] as? [[String: Any]])
        #expect(links.count == 1)
        #expect(links[0]["id"] as? String == "tapc0ffee01-33")
        #expect(links[0]["ethernet_mac_address"] as? String == "fa:16:3e:00:00:01")
        #expect(links[0]["type"] as? String == "bridge")
        #expect(links[0]["mtu"] is NSNull)
        let nets = try #require(nd["networks"] as? [[String: Any]])
        #expect(nets[0]["type"] as? String == "ipv4_dhcp")
        #expect(nets[0]["link"] as? String == "tapc0ffee01-33")
        #expect(nets[0]["network_id"] as? String == Fixtures.networkID)
        let services = try #require(nd["services"] as? [[String: String]])
        #expect(services == [["type": "dns", "address": "10.0.0.2"], ["type": "dns", "address": "9.9.9.9"]])
    }

    @Test func networkDataStatic() throws {
        let nd = try json("/openstack/latest/network_data.json", Fixtures.rendered(Fixtures.instance(dhcp: false)))
        let links = try #require(nd["links"] as? [[String: Any]])
        #expect(links[0]["mtu"] as? Int == 1450)
        let net = try #require((nd["networks"] as? [[String: Any]])?.first)
        #expect(net["type"] as? String == "ipv4")
        #expect(net["ip_address"] as? String == "10.0.0.4")
        #expect(net["netmask"] as? String == "255.255.255.0")
        let routes = try #require(net["routes"] as? [[String: String]])
        #expect(routes == [
            ["network": "0.0.0.0", "netmask": "0.0.0.0", "gateway": "10.0.0.1"],
            ["network": "192.168.5.0", "netmask": "255.255.255.0", "gateway": "10.0.0.254"],
        ])
    }

    @Test func networkDataIsEmptyObjectWithoutInterfaces() {
        var i = Fixtures.instance()
        i.interfaces = []
        #expect(Fixtures.get("/openstack/latest/network_data.json", Fixtures.rendered(i)).text == "{}")
    }

    @Test func userDataVendorDataAndPassword() throws {
        #expect(Fixtures.get("/openstack/latest/user_data").text == "#cloud-config\nhostname: demo\n")
        #expect(try json("/openstack/latest/vendor_data.json")["a"] as? Int == 1)
        #expect((try json("/openstack/latest/vendor_data2.json")["static"] as? [String: Int]) == ["a": 1])
        #expect(Fixtures.get("/openstack/latest/password").status == 200)
        #expect(Fixtures.get("/openstack/latest/password").text == "")
        var i = Fixtures.instance()
        i.password = "c2VjcmV0"
        #expect(Fixtures.get("/openstack/latest/password", Fixtures.rendered(i)).text == "c2VjcmV0")
    }

    @Test func jsonTextEscapesLikePython() {
        #expect(JSONText.object([("a", .string("é\"\n")), ("b", .array([.int(1), .null, .bool(true)]))]).rendered
            == "{\"a\": \"\\u00e9\\\"\\n\", \"b\": [1, null, true]}")
    }
}
