// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "gonogo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gonogo", targets: ["gonogo"]),
        .library(name: "Checklist", targets: ["Checklist"]),
        .library(name: "Catalog", targets: ["Catalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
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
        // Renderers for people and machines.
        .target(name: "Reports", dependencies: ["Catalog", "Checklist"]),
        // The CLI: argument parsing only.
        .executableTarget(
            name: "gonogo",
            dependencies: [
                "Checklist", "Catalog", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "ChecklistTests", dependencies: ["Checklist"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Checklist"]),
        // Runs the built executable: exit codes, stdout, stderr.
        .testTarget(name: "GoNoGoCLITests", dependencies: ["gonogo"]),
    ],
    swiftLanguageModes: [.v6]
)
