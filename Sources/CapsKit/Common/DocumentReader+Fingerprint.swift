import CapsCore
import CapsStorage
import CapsText
import Foundation

extension DocumentReader {
    /// Opens `path` (or standard input for `-`) together with the SHA-256 of
    /// its bytes, which artifacts record as provenance. Standard input is read
    /// whole so its bytes can be hashed; a file is hashed by streaming it.
    public static func openFingerprinted(_ path: String, options: ReadOptions) throws -> (reader: DocumentReader, sha256: String) {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return (try DocumentReader(data: data, source: "<stdin>", options: options), SHA256.hexDigest(of: data))
        }
        let reader = try openText(path, options: options)
        return (reader, try SHA256.hexDigest(ofFileAt: path))
    }

    /// Opens the text file `path`, refusing one that is named or signed as
    /// HDF5 (`H5File.claimsHDF5`): an artifact is never read as text.
    public static func openText(_ path: String, options: ReadOptions) throws -> DocumentReader {
        if H5File.claimsHDF5(path) { throw NotTextError(input: path) }
        return try DocumentReader(path: path, options: options)
    }
}
