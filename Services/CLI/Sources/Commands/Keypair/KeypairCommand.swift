import ArgumentParser
import Foundation
import Messaging

/// `cirrus keypair create|list|delete`.
struct KeypairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keypair", abstract: "Manage SSH key pairs.",
        subcommands: [KeypairCreateCommand.self, KeypairListCommand.self, KeypairShowCommand.self, KeypairDeleteCommand.self])
}

/// `cirrus keypair create [--public-key F | --private-key F] NAME`: without `--public-key` the
/// server generates the pair and the private key is printed (or saved with `--private-key`).
struct KeypairCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create or import a key pair.")

    @Option(name: .customLong("public-key"), help: "Public key file to import.")
    var publicKey: String?

    @Option(name: .customLong("private-key"), help: "File to save a generated private key in (mode 0600).")
    var privateKey: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Key pair name.")
    var name: String

    func validate() throws {
        if publicKey != nil && privateKey != nil {
            throw ValidationError("--public-key and --private-key cannot be used together.")
        }
    }

    func run() async throws {
        var keypair: [String: JSONValue] = ["name": .string(name)]
        if let publicKey {
            guard let data = FileManager.default.contents(atPath: publicKey) else {
                throw CLIError("Key file \(publicKey) not found: no such readable file.")
            }
            keypair["public_key"] = .string(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let client = try await cloud.connect()
        let created = try await client.send("POST", .compute, "os-keypairs", json: ["keypair": .object(keypair)])["keypair"] ?? .null
        if publicKey == nil, let key = created["private_key"]?.stringValue {
            if let privateKey {
                guard FileManager.default.createFile(atPath: privateKey, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw CLIError("Cannot write the private key to \(privateKey); the key pair \(name) was created, delete it and retry.")
                }
            } else {
                print(key, terminator: key.hasSuffix("\n") ? "" : "\n")
                return
            }
        }
        try output.printShow(ResourceFields.fields(created, drop: ["links", "public_key", "private_key"]))
    }
}

/// `cirrus keypair list`: Name | Fingerprint | Type.
struct KeypairListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List key pairs.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    func run() async throws {
        let client = try await cloud.connect()
        let items = try await client.get(.compute, "os-keypairs")["keypairs"]?.arrayValue ?? []
        let keypairs = items.map { $0["keypair"] ?? $0 }
        try output.printList(
            headers: ["Name", "Fingerprint", "Type"],
            rows: keypairs.map { k in [Cell(k["name"] ?? .null), Cell(k["fingerprint"] ?? .null), Cell(k["type"] ?? "ssh")] })
    }
}

/// Fetches one key pair by name with openstackclient's not-found wording.
func fetchKeypair(_ client: APIClient, _ name: String) async throws -> JSONValue {
    let r = try await client.raw("GET", .compute, "os-keypairs/\(ResourceKind.segment(name))")
    if r.status == 404 { throw CLIError.notFound("keypair", name) }
    guard (200..<300).contains(r.status) else { throw APIError(response: r) }
    return (try? JSONValue.parse(r.body))?["keypair"] ?? .null
}

/// `cirrus keypair show NAME`.
struct KeypairShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a key pair.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Key pair name.")
    var name: String

    func run() async throws {
        let client = try await cloud.connect()
        try output.printShow(ResourceFields.fields(try await fetchKeypair(client, name), drop: ["links", "public_key", "private_key"]))
    }
}

/// `cirrus keypair delete NAME…`.
struct KeypairDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete key pairs.")

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Key pairs to delete.")
    var names: [String]

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("Name at least one key pair to delete.") }
    }

    func run() async throws {
        let client = try await cloud.connect()
        try await Batch.run(names, resource: "key", verb: "delete") { name in
            _ = try await fetchKeypair(client, name)
            try await client.send("DELETE", .compute, "os-keypairs/\(ResourceKind.segment(name))")
        }
    }
}
