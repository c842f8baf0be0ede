// swift-tools-version: 6.2
import PackageDescription

/// Cirrus: a small IaaS control plane in the shape of Nova + Neutron's DHCP/metadata path.
/// Layout follows ../shared/docs/architecture.md: `Shared/` holds what crosses a process
/// boundary, `Services/<Name>/` one service each (a library plus a thin executable).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

func service(_ name: String, dir: String, executable: String, deps: [Target.Dependency]) -> [Target] {
    [
        .target(name: name, dependencies: deps, path: "Services/\(dir)/Sources", swiftSettings: swiftSettings),
        .executableTarget(
            name: executable,
            dependencies: [.target(name: name), "ServiceKit"],
            path: "Services/\(dir)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

let serviceDeps: [Target.Dependency] = [
    "Messaging", "Schemas", "ServiceKit", "Storage",
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
]

let package = Package(
    name: "cirrus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cirrus-api", targets: ["cirrus-api"]),
        .executable(name: "cirrus-scheduler", targets: ["cirrus-scheduler"]),
        .executable(name: "cirrus-compute", targets: ["cirrus-compute"]),
        .executable(name: "cirrus-dhcp-agent", targets: ["cirrus-dhcp-agent"]),
        .executable(name: "cirrus-metadata-proxy", targets: ["cirrus-metadata-proxy"]),
        .executable(name: "cirrus", targets: ["cirrus"]),
        .executable(name: "cirrus-interop-probe", targets: ["cirrus-interop-probe"]),
        .executable(name: "cirrus-bench", targets: ["cirrus-bench"]),
        .executable(name: "cirrus-scheduler-bench", targets: ["cirrus-scheduler-bench"]),
        .executable(name: "cirrus-dhcp-bench", targets: ["cirrus-dhcp-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Shared/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .target(
            name: "Messaging",
            dependencies: ["CRabbitMQ", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Messaging",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Schemas",
            dependencies: ["Messaging"],
            path: "Shared/Schemas",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Messaging", "Schemas",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Storage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CLI",
            dependencies: [
                "Messaging", "Schemas", "ServiceKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Services/CLI/Sources",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "cirrus", dependencies: ["CLI"], path: "Services/CLI/Main", swiftSettings: swiftSettings),
        .executableTarget(
            name: "cirrus-interop-probe",
            dependencies: ["Messaging", "Schemas", "ServiceKit", .product(name: "Logging", package: "swift-log")],
            path: "Tests/InteropProbe",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cirrus-bench",
            dependencies: [
                "Messaging", "Schemas", "ServiceKit", "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/cirrus-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cirrus-scheduler-bench",
            dependencies: ["SchedulerService", "Schemas", "Messaging", "Storage", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/scheduler-bench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DHCPAgentTestSupport",
            dependencies: ["DHCPAgentService", "Schemas", "Messaging", .product(name: "Logging", package: "swift-log")],
            path: "Tests/DHCPAgentTestSupport", swiftSettings: swiftSettings),
        .executableTarget(
            name: "cirrus-dhcp-bench",
            dependencies: [
                "DHCPAgentService", "DHCPAgentTestSupport", "Schemas", "Messaging", "ServiceKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/dhcp-bench", exclude: ["dhcp_probe.py"], swiftSettings: swiftSettings),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging"], path: "Tests/MessagingTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "SchemasTests", dependencies: ["Schemas", "Messaging"], path: "Tests/SchemasTests",
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings
        ),
        .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit"], path: "Tests/ServiceKitTests", swiftSettings: swiftSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage"], path: "Tests/StorageTests", swiftSettings: swiftSettings),
        .testTarget(name: "APIServiceTests", dependencies: ["APIService", "Schemas", "Messaging", "ServiceKit", "Storage", .product(name: "HummingbirdTesting", package: "hummingbird")], path: "Tests/APIServiceTests", swiftSettings: swiftSettings),
        .testTarget(name: "SchedulerServiceTests", dependencies: ["SchedulerService", "Schemas", "Messaging", "Storage", "ServiceKit", .product(name: "Logging", package: "swift-log")], path: "Tests/SchedulerServiceTests", swiftSettings: swiftSettings),
        .testTarget(name: "ComputeServiceTests", dependencies: ["ComputeService", "Schemas", "Messaging", "Storage", "ServiceKit", .product(name: "Logging", package: "swift-log")], path: "Tests/ComputeServiceTests", swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["CLI"], path: "Tests/CLITests", swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Messaging", "Schemas", "ServiceKit", .product(name: "Logging", package: "swift-log")],
            path: "Tests/IntegrationTests",
            swiftSettings: swiftSettings
        ),
    ]
    + service("APIService", dir: "API", executable: "cirrus-api", deps: serviceDeps + [
        .product(name: "Hummingbird", package: "hummingbird"),
    ])
    + service("SchedulerService", dir: "Scheduler", executable: "cirrus-scheduler", deps: serviceDeps)
    + service("ComputeService", dir: "Compute", executable: "cirrus-compute", deps: serviceDeps)
    + service("DHCPAgentService", dir: "DHCPAgent", executable: "cirrus-dhcp-agent", deps: serviceDeps)
    + service("MetadataProxyService", dir: "MetadataProxy", executable: "cirrus-metadata-proxy", deps: serviceDeps + [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
    ])
    + [
        .testTarget(
            name: "DHCPAgentServiceTests",
            dependencies: [
                "DHCPAgentService", "DHCPAgentTestSupport", "Schemas", "Messaging", "Storage", "ServiceKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DHCPAgentServiceTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "MetadataProxyServiceTests",
            dependencies: ["MetadataProxyService", "Schemas", "Messaging", "Storage", "ServiceKit", .product(name: "Logging", package: "swift-log")],
            path: "Tests/MetadataProxyServiceTests", swiftSettings: swiftSettings),
    ]
)
