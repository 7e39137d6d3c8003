import Foundation
import FuzzSupport

/// The seeds of every target, by target name.
struct SeedCorpus {
    let folder: String

    func writeAll() throws {
        try write("fuzz-tsv", TextSeeds.tsv)
        try write("fuzz-csv", TextSeeds.csv)
        try write("fuzz-fasttext", TextSeeds.fastText)
        try write("fuzz-plain", TextSeeds.tsv + TextSeeds.fastText + TextSeeds.plain)
        try write("fuzz-vectors-text", VectorSeeds.text + VectorSeeds.binary)
        try write("fuzz-vectors-binary", VectorSeeds.binary)
        // Mode byte 0: the bytes are the gzip stream; 1: content to wrap.
        try write("fuzz-vectors-gzip", (VectorSeeds.text + VectorSeeds.binary).flatMap {
            [[0] + StoredGzip.wrap($0, blockSize: 7), [1] + $0]
        })
        let artifacts = try ArtifactSeeds.make()
        try write("fuzz-tokens", artifacts.tokens)
        try write("fuzz-embedded", artifacts.embedded)
        try write("fuzz-model", artifacts.models)
    }

    private func write(_ target: String, _ seeds: [[UInt8]]) throws {
        let dir = (folder as NSString).appendingPathComponent(target)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (i, seed) in seeds.enumerated() {
            try Data(seed).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("seed-\(i + 1)")))
        }
        print("\(target): \(seeds.count) seeds")
    }
}
