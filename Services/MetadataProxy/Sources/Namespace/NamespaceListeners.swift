import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Follows `qdhcp-` namespaces in `[metadata] netns_dir`: a listener on
/// `bind_address:bind_port` in each (added when the namespace appears, retried until the bind
/// works), closed when the namespace goes (an open socket would keep a deleted namespace alive).
public actor NamespaceListeners: Service {
    let server: MetadataHTTPServer
    let options: MetadataOptions
    let logger: Logger
    private var channels: [String: (channel: any Channel, inode: UInt64)] = [:]

    public init(server: MetadataHTTPServer, options: MetadataOptions, logger: Logger) {
        self.server = server
        self.options = options
        self.logger = logger
    }

    /// Network ids served now.
    public var servedNetworks: [String] { channels.keys.compactMap(NamespaceScan.networkID).sorted() }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.scan()
                try? await Task.sleep(for: .milliseconds(Int(self.options.namespacePollInterval * 1000)))
            }
        }
        await closeAll()
    }

    /// One pass: start listeners in new namespaces, stop those whose namespace is gone.
    public func scan() async {
        var present: [String: UInt64] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: options.netnsDirectory)) ?? [] {
            var st = stat()
            if stat(options.netnsDirectory + "/" + name, &st) == 0 { present[name] = UInt64(st.st_ino) }
        }
        let plan = NamespaceScan(present: present, serving: channels.mapValues(\.inode))
        for name in plan.stop {
            try? await channels.removeValue(forKey: name)?.channel.close()
            logger.info("Stopped serving metadata in a namespace", metadata: ["netns": "\(name)"])
        }
        for name in plan.start {
            guard let networkID = NamespaceScan.networkID(name) else { continue }
            do {
                let fd = try await NamespaceSocket.listen(
                    namespacePath: options.netnsDirectory + "/" + name, address: options.bindAddress, port: options.bindPort)
                channels[name] = (try await server.adopt(socket: fd, networkID: networkID), present[name] ?? 0)
                logger.info(
                    "Serving metadata in a namespace",
                    metadata: ["netns": "\(name)", "network.id": "\(networkID)", "address": "\(options.bindAddress):\(options.bindPort)"])
            } catch {
                logger.warning("Cannot listen in a namespace yet", metadata: ["netns": "\(name)", "error": "\(error)"])
            }
        }
    }

    public func closeAll() async {
        for (_, entry) in channels { try? await entry.channel.close() }
        channels.removeAll()
    }
}
