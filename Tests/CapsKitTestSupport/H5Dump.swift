import Foundation
import XCTest

/// `h5dump`, an HDF5 reader independent of CapsStorage, for checking
/// what the artifacts really hold.
public enum H5Dump {
    /// The header dump of `path`, or a skip when h5dump is not installed.
    public static func header(_ path: String) throws -> String {
        try dump(["-H", path])
    }

    /// The full dump of `path`: every dataset's values and every attribute,
    /// as h5dump prints them (its first line names the file).
    public static func contents(_ path: String) throws -> String {
        try dump([path])
    }

    private static func dump(_ arguments: [String]) throws -> String {
        let candidates = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"]
        guard let tool = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("h5dump is not installed (apt install hdf5-tools); skipped")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// The (type, shape) h5dump shows for each dataset: `"x": ("H5T_IEEE_F32LE", "3, 4, 5")`.
    public static func datasets(in dump: String) -> [String: (type: String, shape: String)] {
        var result: [String: (String, String)] = [:]
        let blocks = dump.components(separatedBy: "DATASET \"").dropFirst()
        for block in blocks {
            let name = String(block.prefix { $0 != "\"" })
            let type = block.components(separatedBy: "DATATYPE").dropFirst().first?
                .trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace } ?? ""
            let shape = block.components(separatedBy: "SIMPLE { ( ").dropFirst().first?.components(separatedBy: " )").first ?? ""
            result[name] = (String(type), shape)
        }
        return result
    }
}
