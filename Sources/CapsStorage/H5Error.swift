import Foundation

/// A failure reading or writing an HDF5 file, phrased as one line that names
/// the file, the object inside it and what went wrong, e.g.
///
///     model.h5: dataset /weights/conv1.weight: expected float32 of shape [16,1,4,10], found [16,1,4,12]
public struct H5Error: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The file's path as the caller gave it.
    public var file: String
    /// The object concerned, e.g. "dataset /input/x" or "attribute 'lr' on /";
    /// empty when the problem is with the file as a whole.
    public var object: String
    /// What was attempted or expected and what was found.
    public var message: String

    public init(file: String, object: String = "", message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String {
        object.isEmpty ? "\(file): \(message)" : "\(file): \(object): \(message)"
    }

    public var errorDescription: String? { description }
}

extension H5Error {
    /// An error for a failed libhdf5 call, with HDF5's own innermost reason
    /// appended when it has one — or, when the call failed in the operating
    /// system (a full disk, a quota, an I/O error), that reason alone, so the
    /// message stays one line: "m.h5: dataset /x: cannot write: no space left
    /// on device". Call with the library lock held.
    static func library(file: String, object: String = "", _ operation: String) -> H5Error {
        let reason = H5Library.lastErrorMessage()
        if let system = H5Library.systemReason(in: reason) {
            return H5Error(file: file, object: object, message: "\(operation): \(system)")
        }
        let oneLine = reason.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return H5Error(file: file, object: object,
                       message: oneLine.isEmpty ? operation : "\(operation) (\(oneLine))")
    }

    /// The same error about another file name: an output's final path in
    /// place of the temporary one it was being written under.
    func renamingFile(_ from: String, to name: String) -> H5Error {
        guard file == from else { return self }
        var copy = self
        copy.file = name
        return copy
    }
}

/// How objects are named in error messages.
enum H5ObjectName {
    static func dataset(_ path: String) -> String { "dataset \(path)" }
    static func group(_ path: String) -> String { "group \(path)" }
    static func object(_ path: String) -> String { "object \(path)" }
    static func attribute(_ name: String, on path: String) -> String { "attribute '\(name)' on \(path)" }
}

/// Formats a shape the way messages print it: `[16,1,4,10]`, `[]` for a scalar.
func describeShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ",") + "]"
}
