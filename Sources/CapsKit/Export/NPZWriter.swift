import Foundation

/// Writes tensors as a NumPy `.npz` archive: a ZIP of one `<name>.npy` per
/// tensor (stored, uncompressed), so `numpy.load("model.npz")["name"]`
/// returns each array with its shape and dtype, no h5py needed.
public enum NPZWriter {
    /// The archive bytes; deterministic for identical inputs.
    public static func data(_ tensors: [ExportTensor]) throws -> Data {
        try ExportTensor.checkUnique(tensors)
        var zip = ZipArchiveWriter()
        for tensor in tensors {
            try zip.add(name: tensor.name + ".npy", bytes: NPYEncoder.encode(tensor))
        }
        return try zip.finished()
    }

    /// Writes the archive to `url` atomically (a temporary file renamed into
    /// place), so an interrupted export never leaves a truncated archive.
    public static func write(_ tensors: [ExportTensor], to url: URL) throws {
        let bytes = try data(tensors)
        do {
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw ExportError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
