// Writes the seed corpora of the fuzz targets into the folder given as the
// only argument (one subfolder per target): small valid inputs, the same
// kinds the test suite builds, artifacts made with the real writers. Never
// copied from ../shared: every seed is generated here, so `make fuzz` works
// on a clean clone.
import Foundation
import FuzzSupport

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write("usage: fuzz-seeds FOLDER\n".data(using: .utf8)!)
    exit(2)
}
do {
    try SeedCorpus(folder: CommandLine.arguments[1]).writeAll()
} catch {
    FileHandle.standardError.write("fuzz-seeds: \(error)\n".data(using: .utf8)!)
    exit(1)
}
