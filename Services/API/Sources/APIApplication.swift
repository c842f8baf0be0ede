import Foundation
import Hummingbird
import Logging

/// cirrus-api's HTTP front door: one port, every API under its path prefix.
public enum APIApplication {
    /// The router with every route and the request-id, error and token layers.
    public static func router(_ environment: APIEnvironment) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: OpenStackMiddleware())
        router.add(middleware: TokenAuthMiddleware(tokens: environment.tokens))
        IdentityRoutes(environment: environment).register(on: router)
        VersionRoutes(publicURL: environment.configuration.publicURL).register(on: router)
        let compute = router.group("/compute/v2.1")
        FlavorRoutes(environment: environment).register(on: compute)
        KeypairRoutes(environment: environment).register(on: compute)
        ServerRoutes(environment: environment).register(on: compute)
        ServerActionRoutes(environment: environment).register(on: compute)
        InstanceActionRoutes(environment: environment).register(on: compute)
        ServiceRoutes(environment: environment).register(on: compute)
        HypervisorRoutes(environment: environment).register(on: compute)
        ImageRoutes(environment: environment).register(on: router.group("/image/v2"))
        NetworkRoutes(environment: environment).register(on: router)
        return router
    }

    /// The application (a `Service`) listening on `[api] listen`.
    public static func make(_ environment: APIEnvironment) -> some ApplicationProtocol {
        Application(
            router: router(environment),
            configuration: .init(
                address: .hostname(environment.configuration.listenHost, port: environment.configuration.listenPort),
                serverName: "cirrus-api"),
            logger: environment.logger)
    }
}
