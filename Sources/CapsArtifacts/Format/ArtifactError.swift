import Foundation

/// A file that is not the CapsKit artifact a reader expected, or whose
/// contents contradict each other. The description is one line naming the
/// file, the dataset or attribute concerned, and what was expected.
public struct ArtifactError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The artifact's path as given.
    public var file: String
    /// The object concerned, e.g. "dataset /ids" or "attribute 'format' on /".
    public var object: String
    /// What was found and what was expected.
    public var message: String

    public init(file: String, object: String, message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String { "\(file): \(object): \(message)" }
    public var errorDescription: String? { description }
}
