// swift-tools-version:6.1
// Layers, lowest first (imports only point to layers listed earlier):
//   Native (CCurl, CCurlShim, CYAML) → Client (KubeModels, KubeClient) → Runtime (ControllerRuntime)
//   API (AppReleaseAPI: the resource's names and types; the client and kubesim never import it)
//   Engine (RolloutEngine: pure, imports KubeModels and AppReleaseAPI only) → Controller (AppReleaseController)
//   Simulator (KubeSim: a test double, never imported by the operator; KubeSimKubelet: its nodes
//   for a real API server) → Executables
//   Support (CommandLineSupport: how the plugin and the executables read a command line; imports
//   ArgumentParser only, so no library of the operator depends on it)
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "apprelease",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "apprelease-controller", targets: ["AppReleaseControllerMain"]),
        .executable(name: "kubesim", targets: ["KubeSimMain"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "ControllerRuntime", targets: ["ControllerRuntime"]),
        .library(name: "RolloutEngine", targets: ["RolloutEngine"]),
        .library(name: "KubeSim", targets: ["KubeSim"]),
        .executable(name: "kubectl-apprelease", targets: ["KubectlAppReleaseMain"]),
        .executable(name: "apprelease-chaos", targets: ["AppReleaseChaos"]),
        .executable(name: "apprelease-bench", targets: ["AppReleaseBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // MARK: Native
        .systemLibrary(
            name: "CCurl", path: "Sources/Native/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "CCurlShim", dependencies: ["CCurl"], path: "Sources/Native/CCurlShim",
            linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(
            name: "CYAML", path: "Sources/Native/CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),

        // MARK: Client
        .target(name: "KubeModels", path: "Sources/Client/KubeModels", swiftSettings: strict),
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeModels", "CCurl", "CCurlShim", "CYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Sources/Client/KubeClient", swiftSettings: strict),

        // MARK: Runtime
        .target(
            name: "ControllerRuntime",
            dependencies: [
                "KubeClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Sources/Runtime/ControllerRuntime", swiftSettings: strict),

        // MARK: API (the AppRelease resource: names, spec and status types; pure data)
        .target(name: "AppReleaseAPI", dependencies: ["KubeModels"], path: "Sources/API/AppReleaseAPI", swiftSettings: strict),

        // MARK: Engine (pure: no I/O, imports only KubeModels and AppReleaseAPI)
        .target(
            name: "RolloutEngine", dependencies: ["KubeModels", "AppReleaseAPI"], path: "Sources/Engine/RolloutEngine", swiftSettings: strict),

        // MARK: Controller
        .target(
            name: "AppReleaseController",
            dependencies: ["KubeClient", "ControllerRuntime", "AppReleaseAPI", "RolloutEngine", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Controller/AppReleaseController", swiftSettings: strict),

        // MARK: Simulator
        .target(
            name: "KubeSim",
            dependencies: [
                "KubeModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Sources/Simulator/KubeSim", swiftSettings: strict),
        // `kubesim kubelet`: simulated nodes for a real API server (a client of it, like any kubelet).
        .target(
            name: "KubeSimKubelet",
            dependencies: ["KubeSim", "KubeClient", "ControllerRuntime", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Simulator/KubeSimKubelet", swiftSettings: strict),

        // MARK: Command line (the executables' and the plugin's: flags spelled as Kubernetes tools spell them)
        .target(
            name: "CommandLineSupport",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Support/CommandLineSupport", swiftSettings: strict),

        // `kubectl apprelease`: the plugin CI pipelines and SREs use (a client, like kubectl).
        .target(
            name: "AppReleasePlugin",
            dependencies: [
                "KubeClient", "KubeModels", "AppReleaseAPI", "RolloutEngine", "CommandLineSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Plugin/AppReleasePlugin", swiftSettings: strict),

        // MARK: Executables
        .executableTarget(
            name: "AppReleaseControllerMain",
            dependencies: [
                "AppReleaseController", "ControllerRuntime", "KubeClient", "CommandLineSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Executables/apprelease-controller", swiftSettings: strict),
        .executableTarget(
            name: "KubectlAppReleaseMain", dependencies: ["AppReleasePlugin"], path: "Sources/Executables/kubectl-apprelease",
            swiftSettings: strict),
        .executableTarget(
            name: "KubeSimMain",
            dependencies: [
                "KubeSim", "KubeSimKubelet", "KubeClient", "CommandLineSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Executables/kubesim", swiftSettings: strict),

        // MARK: Tests
        .testTarget(name: "KubeModelsTests", dependencies: ["KubeModels"], path: "Tests/KubeModelsTests", swiftSettings: strict),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeSim", "TestSupport"], path: "Tests/KubeClientTests", swiftSettings: strict),
        .testTarget(name: "KubeSimTests", dependencies: ["KubeSim", "KubeSimKubelet", "KubeClient", "TestSupport"], path: "Tests/KubeSimTests", swiftSettings: strict),
        .testTarget(name: "ControllerRuntimeTests", dependencies: ["ControllerRuntime", "KubeSim", "TestSupport"], path: "Tests/ControllerRuntimeTests", swiftSettings: strict),
        .testTarget(name: "RolloutEngineTests", dependencies: ["AppReleaseAPI", "RolloutEngine"], path: "Tests/RolloutEngineTests", swiftSettings: strict),
        .testTarget(
            name: "AppReleaseControllerTests",
            dependencies: ["AppReleaseAPI", "AppReleaseController", "ControllerRuntime", "KubeClient", "KubeModels", "RolloutEngine", "TestSupport"],
            path: "Tests/AppReleaseControllerTests", swiftSettings: strict),
        .testTarget(name: "AppReleaseEndToEndTests", dependencies: ["AppReleaseAPI", "AppReleaseController", "KubeSim", "KubeClient", "TestSupport"], path: "Tests/AppReleaseEndToEndTests", swiftSettings: strict),
        .testTarget(
            name: "AppReleasePluginTests", dependencies: ["AppReleasePlugin", "AppReleaseAPI", "KubeModels", "KubeSim", "KubeClient", "TestSupport"],
            path: "Tests/AppReleasePluginTests", swiftSettings: strict),
        .testTarget(
            name: "CommandLineTests",
            dependencies: [
                "CommandLineSupport", "AppReleaseControllerMain", "KubeSimMain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/CommandLineTests", swiftSettings: strict),
        // Shared helpers for tests: start kubesim in-process, run kubectl, wait for conditions.
        .target(name: "TestSupport", dependencies: ["KubeSim", "KubeClient"], path: "Tests/TestSupport", swiftSettings: strict),

        // MARK: The chaos run (`apprelease-chaos --minutes M --seed S`; a short one is a test)
        .executableTarget(
            name: "AppReleaseChaos",
            dependencies: [
                "KubeSim", "KubeClient", "KubeModels", "AppReleaseAPI", "AppReleaseController", "CommandLineSupport", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chaos/AppReleaseChaos", swiftSettings: strict),

        // MARK: Benchmarks (not tests: `make bench`)
        .executableTarget(
            name: "ClientBenchmark",
            dependencies: ["KubeClient", "KubeSim"],
            path: "Benchmarks/ClientBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "KubeSimBenchmark",
            dependencies: ["KubeClient", "KubeSim", "KubeModels"],
            path: "Benchmarks/KubeSimBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "RuntimeBenchmark",
            dependencies: ["ControllerRuntime", "KubeClient", "KubeSim"],
            path: "Benchmarks/RuntimeBenchmark", swiftSettings: strict),
        // `apprelease-bench --releases N`: kubesim and the operator as processes of their own, the
        // driver a third; a short run is a test (FleetBenchmarkSmokeTests).
        .executableTarget(
            name: "AppReleaseBenchmark",
            dependencies: [
                "KubeClient", "KubeModels", "AppReleaseAPI", "ControllerRuntime", "CommandLineSupport", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/AppReleaseBenchmark", swiftSettings: strict),
    ]
)

// MARK: Fuzzing (`make fuzz`): libFuzzer targets over every parser of outside input. Declared only
// when APPRELEASE_FUZZ is set, since the target links libFuzzer's own main and builds only with
// `-sanitize=fuzzer` (the Makefile passes it to every module, so their code is instrumented too).
if Context.environment["APPRELEASE_FUZZ"] != nil {
    package.products.append(.executable(name: "apprelease-fuzz", targets: ["AppReleaseFuzz"]))
    package.targets.append(
        .executableTarget(
            name: "AppReleaseFuzz",
            dependencies: ["KubeModels", "KubeClient", "AppReleaseAPI", "RolloutEngine"],
            path: "Fuzz/AppReleaseFuzz",
            swiftSettings: strict,
            // gold fails on libFuzzer's objects (an internal error in its DWARF reader); lld links them.
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]))
}
