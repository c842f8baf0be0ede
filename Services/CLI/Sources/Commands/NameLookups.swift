import Messaging

/// id → name tables for the Image and Flavor columns; a failing look-up just leaves ids showing.
enum NameLookups {
    static func images(_ client: APIClient) async -> [String: String] {
        guard let list = try? await client.get(.image, "images")["images"]?.arrayValue else { return [:] }
        return table(list)
    }

    static func flavors(_ client: APIClient) async -> [String: String] {
        guard let list = try? await client.get(.compute, "flavors/detail", query: [("is_public", "None")])["flavors"]?.arrayValue
        else { return [:] }
        return table(list)
    }

    static func imageName(_ client: APIClient, _ id: String) async -> String? {
        try? await client.get(.image, "images/\(ResourceKind.segment(id))")["name"]?.stringValue
    }

    static func flavorName(_ client: APIClient, _ id: String) async -> String? {
        try? await client.get(.compute, "flavors/\(ResourceKind.segment(id))")["flavor"]?["name"]?.stringValue
    }

    private static func table(_ list: [JSONValue]) -> [String: String] {
        var t: [String: String] = [:]
        for item in list {
            if let id = item["id"]?.idString, let name = item["name"]?.stringValue { t[id] = name }
        }
        return t
    }

    /// The server's show rows with image and flavor names looked up.
    static func serverFields(_ client: APIClient, _ server: JSONValue) async -> [(String, Cell)] {
        let image = await ServerFields.imageID(server).asyncMap { await imageName(client, $0) } ?? nil
        let flavor = await ServerFields.flavorID(server).asyncMap { await flavorName(client, $0) } ?? nil
        return ServerFields.show(server, imageName: image, flavorName: flavor)
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async -> T) async -> T? {
        guard let w = self else { return nil }
        return await f(w)
    }
}
