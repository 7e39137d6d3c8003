import Foundation

/// A command-line option that is out of range or contradicts another option
/// or an input file. The description is one line naming the option.
public struct OptionError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}

/// An output file that could not be written, with the system's reason.
public struct FileWriteError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot write (\(reason))" }
    public var errorDescription: String? { description }
}
