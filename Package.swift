// swift-tools-version:6.0
import PackageDescription

// Linux only: the Git and working-tree layers call Glibc directly (see README, "Platforms").
// Every import a file relies on is written in that file.
let strict: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "tiergate",
    products: [
        .executable(name: "tiergate", targets: ["tiergate"]),
        .library(name: "TiergateCore", targets: ["TiergateCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(
            name: "CGitSupport",
            dependencies: ["CLibGit2"]
        ),
        // The files that ship inside the binary, read at build time by C23's #embed (see ci/embed-resources.py).
        .target(name: "CEmbeddedFiles"),
        .target(
            name: "TiergateCore",
            dependencies: ["CLibGit2", "CGitSupport", "CYAML", "CEmbeddedFiles"],
            swiftSettings: strict
        ),
        // Only the executable: skips the CA-bundle parse of an mbedTLS libgit2 (see no_ca_bundle.c).
        .target(name: "CNoCABundle"),
        .executableTarget(
            name: "tiergate",
            dependencies: [
                "TiergateCore",
                "CNoCABundle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TiergateCoreTests",
            dependencies: ["TiergateCore"]
        ),
        .testTarget(
            name: "tiergateTests",
            dependencies: ["tiergate", "TiergateCore"]
        ),
    ]
)
