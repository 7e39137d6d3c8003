import CapsStorage

/// The one writer of HDF5 artifacts: every tokens, embedded, model, scores
/// and weights file is created through `write`, so each carries the same
/// header — `format`, `format_version`, then the provenance (`tool`,
/// `tool_version`, `command`) as root attributes — and is written
/// all-or-nothing through `AtomicOutput`.
public enum ArtifactWriter {
    /// Creates `path` as an artifact of `format` written by `provenance`:
    /// the header first, then `body` fills the open file. On success the
    /// file is closed and renamed into place; on any error nothing is left.
    public static func write(_ format: ArtifactFormat, provenance: Provenance, to path: String,
                             _ body: (H5File) throws -> Void) throws {
        try AtomicOutput.write(to: path) { temporaryPath in
            let file = try H5File.create(at: temporaryPath)
            do {
                try file.setRootAttributes(format.attributes + provenance.attributes)
                try body(file)
                try file.close()
            } catch {
                try? file.close()
                throw error
            }
        }
    }
}
