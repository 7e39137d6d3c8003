import Foundation
import _CHDF5

extension H5File {
    /// File-name extensions that say "HDF5", compared without regard to case.
    public static let fileExtensions: Set<String> = ["h5", "hdf5"]

    /// Whether `path` must be read as HDF5 rather than as text: it is named
    /// `.h5`/`.hdf5`, or it carries HDF5's signature. Such a file is opened as
    /// HDF5 (and refused with `open`'s reason when it is not one), never read
    /// as text: text is a format of its own, not a fallback for a broken
    /// artifact. Standard input (`-`) is never claimed.
    public static func claimsHDF5(_ path: String) -> Bool {
        guard path != "-" else { return false }
        return fileExtensions.contains((path as NSString).pathExtension.lowercased()) || hasSignature(path)
    }

    /// Whether the file holds HDF5's 8-byte signature `\x89HDF\r\n\x1a\n`
    /// where the format allows the superblock: offset 0, 512, 1024, 2048, …
    /// (after a user block). libhdf5 does the search, so this agrees with `open`.
    /// A missing or unreadable file has none.
    public static func hasSignature(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: path) else { return false }
        return H5Library.locked {
            let found = H5Fis_hdf5(path)
            if found <= 0 { _ = H5Library.lastErrorMessage() }  // clear the error stack
            return found > 0
        }
    }
}
