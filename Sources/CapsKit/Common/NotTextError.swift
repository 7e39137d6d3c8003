import Foundation

/// A file given where text is read that is named or signed as HDF5 (an
/// artifact such as a tokens or embedded file): refused rather than read as
/// lines of bytes (see `H5File.claimsHDF5`).
public struct NotTextError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var input: String

    public init(input: String) { self.input = input }

    public var description: String {
        "\(input): an HDF5 file (by its .h5/.hdf5 name or HDF5 signature), not text; give the text it was made from"
    }

    public var errorDescription: String? { description }
}
