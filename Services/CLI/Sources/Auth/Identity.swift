import Foundation
import Messaging

/// Keystone v3 password authentication: `POST <auth_url>/auth/tokens`, token from `X-Subject-Token`.
public enum Identity {
    /// `<auth_url>/auth/tokens`, adding `/v3` when the auth URL does not already end in it.
    public static func tokensURL(authURL: String) throws -> URL {
        var base = authURL
        while base.hasSuffix("/") { base.removeLast() }
        if !base.hasSuffix("/v3") { base += "/v3" }
        guard let url = URL(string: base + "/auth/tokens"), url.scheme == "http" || url.scheme == "https" else {
            throw CLIError("Invalid auth URL '\(authURL)': expected something like http://127.0.0.1:8774/v3")
        }
        return url
    }

    /// The password-method, project-scoped request body openstackclient sends.
    public static func requestBody(_ c: Credentials) -> JSONValue {
        func domain(name: String?, id: String?) -> JSONValue {
            if let id, !id.isEmpty { return ["id": .string(id)] }
            return ["name": .string(name.flatMap { $0.isEmpty ? nil : $0 } ?? "Default")]
        }
        let project: JSONValue
        if let id = c.projectID {
            project = ["id": .string(id)]
        } else {
            project = ["name": .string(c.projectName ?? ""), "domain": domain(name: c.projectDomainName, id: c.projectDomainID)]
        }
        return [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": [
                        "user": [
                            "name": .string(c.username), "password": .string(c.password),
                            "domain": domain(name: c.userDomainName, id: c.userDomainID),
                        ],
                    ],
                ],
                "scope": ["project": project],
            ],
        ]
    }

    /// Logs in and returns a client bound to the token and catalog.
    public static func authenticate(_ c: Credentials, transport: any HTTPTransport) async throws -> APIClient {
        let url = try tokensURL(authURL: c.authURL)
        let body = try JSONEncoder().encode(requestBody(c))
        let response = try await transport.send(HTTPRequest(
            method: "POST", url: url,
            headers: ["Content-Type": "application/json", "Accept": "application/json"], body: .data(body)))
        guard (200..<300).contains(response.status) else { throw APIError(response: response) }
        guard let token = response.header("X-Subject-Token"), !token.isEmpty else {
            throw CLIError("The identity service at \(url.absoluteString) answered without an X-Subject-Token header.")
        }
        guard let body = try? JSONValue.parse(response.body), let tokenBody = body["token"] else {
            throw CLIError("The identity service at \(url.absoluteString) answered with a body that is not a token.")
        }
        return APIClient(
            transport: transport, token: token, catalog: Catalog(token: tokenBody),
            interface: c.interface, region: c.regionName)
    }
}
