import CapsVectors

/// The vector readers as `embed` drives them: open (header and format
/// detection), then every row.
public enum VectorReaders {
    static let errors: [Error.Type] = [VectorFileError.self]

    /// Writes `bytes` to a scratch file called `name` and reads it as `format` (nil: detected).
    public static func read(_ bytes: [UInt8], name: String, format: VectorFormat?) {
        let path = ScratchFile.write(bytes, name: name)
        expectReaderErrors(errors) {
            let reader = try VectorFileReader(path: path, format: format)
            var checksum: Float = 0
            while try reader.nextRow({ word, values in
                precondition(!word.isEmpty && values.count == reader.dim, "row of \(values.count) values for dim \(reader.dim)")
                checksum += values.reduce(0, +) + Float(word.count)
            }) {}
            _ = checksum
        }
    }

    /// The gzip target: the first byte picks raw bytes (a gzip stream as
    /// found, seeds are real .gz files) or content wrapped in a valid gzip stream.
    public static func readGzip(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        read(mode % 2 == 0 ? rest : StoredGzip.wrap(rest, blockSize: 1 + Int(mode >> 1) * 64),
             name: "fuzz.vec.gz", format: nil)
    }
}
