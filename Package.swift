// swift-tools-version:6.1
import PackageDescription

// Linux only (Debian 12 and its -dev packages): the probes call Glibc (sockets, posix_spawn, process groups), the demo
// finds itself through /proc, and chat-api reads its memory from /proc/self/statm.
#if !os(Linux)
    #error("gonogo builds on Linux only (Debian 12 with Swift 6.3): see README.md, Quick start")
#endif

let package = Package(
    name: "gonogo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gonogo", targets: ["gonogo"]),
        .executable(name: "chat-api", targets: ["chat-api"]),
        .library(name: "Checklist", targets: ["Checklist"]),
        .library(name: "Catalog", targets: ["Catalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        // Already in the graph through Hummingbird and postgres-nio; named to run PostgresClient beside the server.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // In the graph through Hummingbird too; named for NIOHTTP1's parser error (a malformed request answers 400).
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // Checklist Markdown -> document of sections, items, lines. No I/O beyond reading the file.
        .target(
            name: "Checklist",
            dependencies: ["CCmark", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Item -> typed check (kind + params + severity). Pure.
        .target(name: "Catalog", dependencies: ["Checklist"]),
        // The run's model: statuses, outcomes, the verdict and its gates, attestations, waivers and sign-off, the
        // report's JSON. No C library: what Reports needs, without libpq, libcurl or OpenSSL.
        .target(
            name: "Results",
            dependencies: [
                "Catalog", "Checklist", "DotEnv", "Signing", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // One probe per family: the only module that touches the C libraries, files, sockets and processes.
        .target(
            name: "Probes",
            dependencies: [
                "Catalog", "Checklist", "DotEnv", "Results", "CPostgres", "CCurl", "COpenSSL",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Renderers for people and machines: from the run's model only.
        .target(
            name: "Reports",
            dependencies: [
                "Catalog", "Checklist", "Results", "Signing", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Runs over time: a SQLite file (GRDB) or PostgreSQL (libpq, through Probes) that `verify --history` appends
        // to and `gonogo history` and `gonogo diff` read.
        .target(
            name: "History",
            dependencies: ["Results", "Probes", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // gonogo demo: chat-api as a child on loopback, verified with the shipped config, every report written.
        .target(
            name: "Demo",
            dependencies: [
                "Catalog", "Checklist", "DotEnv", "Verify", "Results", "Probes", "Reports", "Signing",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The CLI: argument parsing only.
        .executableTarget(
            name: "gonogo",
            dependencies: [
                "Checklist", "Catalog", "Reports", "Verify", "Results", "Probes", "DotEnv", "Signing", "Demo", "History",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // `.env` files, read the same way by chat-api and by gonogo's env checks.
        .target(name: "DotEnv"),
        // The fuzz target (scripts/fuzz builds it with libFuzzer); built normally, it replays saved inputs.
        .executableTarget(
            name: "gonogo-fuzz",
            dependencies: ["Catalog", "Checklist", "DotEnv", "Probes", "Results", "Verify"]
        ),
        // ECDSA P-256 keys and DSSE envelopes: what signs reports and attestations, and checks them.
        .target(
            name: "Signing",
            dependencies: ["DotEnv", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // gonogo verify as a library: the config, the run (concurrency, deadlines, scheduling), the session that
        // loads, runs and writes the reports; the command and the demo call it.
        .target(
            name: "Verify",
            dependencies: [
                "Catalog", "Checklist", "DotEnv", "Signing", "Results", "Probes", "Reports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The chat service gonogo ships as its reference target: routes, storage, configuration.
        .target(
            name: "ChatAPI",
            dependencies: [
                "DotEnv",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "chat-api",
            dependencies: [
                "ChatAPI", "DotEnv", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // Spawning the built executables in tests: real processes, real pipes.
        .target(name: "TestSupport", path: "Tests/Support"),

        .testTarget(name: "ChecklistTests", dependencies: ["Checklist", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Checklist"]),
        // The runner and its parts in-process: stub probes, real loopback servers, no subprocess.
        .testTarget(
            name: "VerifyTests",
            dependencies: [
                "Verify", "Probes", "Results", "Reports", "Catalog", "Checklist", "Signing", "DotEnv", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Runs the built executable: exit codes, stdout, stderr.
        .testTarget(
            name: "GoNoGoCLITests",
            dependencies: [
                "gonogo", "chat-api", "TestSupport", "Reports", "Results", "Signing",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // chat-api over real HTTP and real SQLite files: the built executable, spawned on a free port.
        .testTarget(
            name: "ChatAPITests",
            dependencies: [
                "ChatAPI", "chat-api", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                // The fake OpenAI-compatible endpoint the tests serve on loopback.
                .product(name: "Hummingbird", package: "hummingbird"),
                // Routes in-process, where a real process is not the point.
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
