import Foundation
import Logging

/// The request logic of the proxy, free of sockets: method and path checks, identification,
/// IMDSv2 tokens, rate limiting, password POST, then the trees. Answers synchronously from the
/// cache (the hot path) or hands back work that needs the conductor.
public final class MetadataService: Sendable {
    public enum Handling: Sendable {
        case done(MetadataResponse)
        case pending(@Sendable () async -> MetadataResponse)
    }

    public let resolver: InstanceResolver
    public let tokens: TokenIssuer
    public let limiter: RateLimiter
    public let options: MetadataOptions
    let logger: Logger

    static let tokenHeader = "X-aws-ec2-metadata-token"
    static let ttlHeader = "X-aws-ec2-metadata-token-ttl-seconds"

    public init(resolver: InstanceResolver, tokens: TokenIssuer, limiter: RateLimiter, options: MetadataOptions, logger: Logger) {
        self.resolver = resolver
        self.tokens = tokens
        self.limiter = limiter
        self.options = options
        self.logger = logger
    }

    public func handle(_ r: MetadataRequest) -> Handling {
        guard let path = MetadataPath(target: r.target) else { return .done(.error(400, "The path is not valid UTF-8.")) }
        let isToken = r.method == "PUT" && path.segments.count == 3 && path.segments[1] == "api" && path.segments[2] == "token"
        switch r.method {
        case "GET", "HEAD": break
        case "PUT" where isToken: break
        case "POST" where isPassword(path): break
        default: return .done(.error(405))
        }
        if isToken && path.segments[0] != "latest" { return .done(.error(403, "Tokens are issued at /latest/api/token only.")) }
        if MetadataTree.isAnonymous(path) { return .done(MetadataTree.rootListing) }
        guard let source = RequestSource.resolve(r, trustedProxies: options.trustedProxies) else {
            return .done(.error(400, "A trusted proxy must send X-Forwarded-For."))
        }
        if r.method == "PUT", r.header("X-Forwarded-For") != nil,
           !(source.viaTrustedProxy && !(r.header("X-Forwarded-For")?.contains(",") ?? false)) {
            return .done(.error(403, "Token requests through a proxy are refused."))
        }
        guard let key = addressKey(source) else { return .done(.notFound) }
        let lookup: @Sendable () async -> InstanceResolver.Outcome
        switch resolver.cached(key) {
        case .hit(let outcome): return answer(r, path, key, outcome, isToken: isToken)
        case .load(let uuid):
            if let rendered = resolver.storedRendering(uuid) { return answer(r, path, key, .found(rendered), isToken: isToken) }
            lookup = { [resolver] in await resolver.loadKnown(uuid, key: key) }
        case .miss: lookup = { [resolver] in await resolver.resolveRemote(key) }
        }
        return .pending { [self] in
            let outcome = await lookup()
            switch answer(r, path, key, outcome, isToken: isToken) {
            case .done(let response): return response
            case .pending(let work): return await work()
            }
        }
    }

    func addressKey(_ s: RequestSource) -> AddressKey? {
        if let net = s.networkID { return AddressKey(networkID: net, ip: s.ip) }
        return resolver.directory.uniqueKey(ip: s.ip)
    }

    func isPassword(_ p: MetadataPath) -> Bool {
        p.segments.count == 3 && p.segments[0] == "openstack" && p.segments[2] == "password"
            && (OpenStackTree.version(p.segments[1]).map { $0 >= "2013-04-04" } ?? false)
    }

    func answer(_ r: MetadataRequest, _ path: MetadataPath, _ key: AddressKey, _ outcome: InstanceResolver.Outcome, isToken: Bool) -> Handling {
        let instance: RenderedInstance
        switch outcome {
        case .found(let i): instance = i
        case .unknown:
            logger.debug("Unknown source", metadata: ["network.id": "\(key.networkID)", "address": "\(key.ip)"])
            return .done(.notFound)
        case .unavailable:
            return .done(MetadataResponse.error(503).with(header: ("Retry-After", "2")))
        }
        let uuid = instance.uuid
        if logger.logLevel <= .debug {
            requestLogger(uuid, key).debug("Metadata request", metadata: ["method": "\(r.method)", "path": "\(path.joined)"])
        }
        if case .limit(let log) = limiter.admit(uuid) {
            if log {
                requestLogger(uuid, key).warning(
                    "Instance exceeds the metadata rate limit", metadata: ["rate": "\(limiter.rate)", "burst": "\(limiter.burst)"])
            }
            return .done(MetadataResponse.error(429).with(header: ("Retry-After", "1")))
        }
        if isToken {
            guard let ttl = TokenIssuer.ttl(r.header(Self.ttlHeader)) else {
                return .done(.error(400, "\(Self.ttlHeader) must be 1-21600."))
            }
            let token = tokens.issue(instanceID: uuid, ttl: ttl)
            return .done(MetadataResponse(text: token, headers: [(Self.ttlHeader, String(ttl))]))
        }
        if let token = r.header(Self.tokenHeader) {
            guard tokens.check(token, instanceID: uuid) == .valid else { return .done(.error(401)) }
        } else if options.requireToken {
            return .done(.error(401))
        }
        if r.method == "POST" { return postPassword(r, instance, key) }
        return .done(MetadataTree.respond(path, instance: instance))
    }

    func postPassword(_ r: MetadataRequest, _ instance: RenderedInstance, _ key: AddressKey) -> Handling {
        guard r.body.count <= options.maxBodyBytes else { return .done(.error(400, "The password is too long.")) }
        guard !instance.hasPassword else { return .done(.error(409)) }
        let password = String(decoding: r.body, as: UTF8.self)
        let log = requestLogger(instance.uuid, key)
        return .pending { [resolver] in
            do {
                guard try await resolver.source.setPassword(instanceID: instance.uuid, password: password) else {
                    return .error(409)
                }
            } catch {
                log.warning("Cannot store the instance password", metadata: ["error": "\(error)"])
                return MetadataResponse.error(503).with(header: ("Retry-After", "2"))
            }
            if var updated = instance.load() {
                updated.password = password
                await resolver.apply([updated], force: true)
            }
            log.info("Instance password stored")
            return MetadataResponse(text: "")
        }
    }

    func requestLogger(_ uuid: String, _ key: AddressKey) -> Logger {
        var l = logger
        l[metadataKey: "request.id"] = "req-\(UUID().uuidString.lowercased())"
        l[metadataKey: "instance.id"] = "\(uuid)"
        l[metadataKey: "network.id"] = "\(key.networkID)"
        return l
    }
}

extension MetadataResponse {
    func with(header: (String, String)) -> MetadataResponse {
        var r = self
        r.headers.append(header)
        return r
    }
}
