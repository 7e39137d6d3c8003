import CapsCore
import Foundation

/// A problem with an input text file, located by file and line.
///
/// The description is one line, `file:line: what was found; what was expected`,
/// so a tool can print it as is.
public struct TextInputError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// What went wrong.
    public enum Problem: Equatable, Sendable {
        /// The file could not be opened or read (the system's reason).
        case unreadable(String)
        /// The line is not valid UTF-8.
        case invalidUTF8
        /// A TSV line has no tab between label and text.
        case missingTab
        /// The label field is empty (or only whitespace).
        case emptyLabel
        /// A quoted CSV field is still open at the end of the input.
        case unterminatedQuote
        /// A closing CSV quote is followed by something other than a separator.
        case textAfterClosingQuote(Character)
        /// A CSV record has fewer fields than the selected columns need.
        case tooFewFields(expected: Int, found: Int)
        /// A CSV column was chosen by a name the header does not have
        /// (or by name while the file has no header).
        case unknownColumn(String, available: [String])
        /// A fastText line starts with no `prefix`-label though labels are required.
        case missingLabel(prefix: String)
        /// A label does not belong to the training label set.
        case unseenLabel(String, known: Int)
    }

    /// The file path, or `<stdin>`.
    public var source: String
    /// The 1-based line, when the problem has one.
    public var line: Int?
    public var problem: Problem

    public init(source: String, line: Int?, problem: Problem) {
        self.source = source
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let location = line.map { "\(source):\($0)" } ?? source
        return "\(location): \(explanation)"
    }

    public var errorDescription: String? { description }

    private var explanation: String {
        switch problem {
        case .unreadable(let reason):
            return "cannot read the file (\(reason))"
        case .invalidUTF8:
            return "invalid UTF-8; expected UTF-8 text (or use the replace-invalid-UTF-8 option)"
        case .missingTab:
            return "no tab on the line; expected label<TAB>text"
        case .emptyLabel:
            return "empty label; expected a non-empty label name"
        case .unterminatedQuote:
            return "quoted CSV field opened in this record is never closed; expected a closing \""
        case .textAfterClosingQuote(let c):
            return "found \(String(reflecting: String(c))) after a closing quote; expected a separator or the end of the record"
        case .tooFewFields(let expected, let found):
            return "CSV record has \(found) field\(found == 1 ? "" : "s"); expected at least \(expected)"
        case .unknownColumn(let name, let available):
            if available.isEmpty {
                return "column \"\(escapedForMessage(name))\" chosen by name but the file has no header row; expected a column index"
            }
            return "no column named \"\(escapedForMessage(name))\"; expected one of \(available.map { "\"\(escapedForMessage($0))\"" }.joined(separator: ", "))"
        case .missingLabel(let prefix):
            return "no label; expected the line to start with \(prefix)<label>"
        case .unseenLabel(let name, let known):
            return "label \"\(escapedForMessage(name))\" is not among the \(known) training labels; expected a known label (or the unknown-label option)"
        }
    }
}
