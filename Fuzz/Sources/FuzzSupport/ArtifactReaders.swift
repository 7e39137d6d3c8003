import CapsArtifacts
import CapsStorage
import CapsText

/// The artifact readers on the fuzz input written to a file and opened
/// through libhdf5, as `embed`, `capsfit` and `capseval` open them.
public enum ArtifactReaders {
    static let errors: [Error.Type] = [ArtifactError.self, H5Error.self]

    public static func readTokens(_ bytes: [UInt8]) {
        let path = ScratchFile.write(bytes, name: "fuzz.tokens.h5")
        expectReaderErrors(errors) {
            let tokens = try TokensFile.read(from: path)
            for i in 0..<tokens.count { _ = tokens.row(i) }
        }
    }

    /// Opens the file and streams every row of `/x`, as training does.
    public static func readEmbedded(_ bytes: [UInt8]) {
        let path = ScratchFile.write(bytes, name: "fuzz.emb.h5")
        expectReaderErrors(errors) {
            let file = try EmbeddedFile(path: path)
            defer { try? file.close() }
            let batch = 16
            var buffer = [Float](repeating: 0, count: min(batch, file.count) * file.maxLength * file.dim)
            var start = 0
            while start < file.count {
                let rows = min(batch, file.count - start)
                try buffer.withUnsafeMutableBufferPointer {
                    try file.readRows(start: start, count: rows,
                                      into: UnsafeMutableBufferPointer(rebasing: $0[..<(rows * file.maxLength * file.dim)]))
                }
                start += rows
            }
        }
    }

    public static func readModel(_ bytes: [UInt8]) {
        let path = ScratchFile.write(bytes, name: "fuzz.model.h5")
        expectReaderErrors(errors) {
            _ = try ModelFile.read(from: path, withCheckpoint: true)
        }
    }
}
