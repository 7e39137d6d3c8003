import Foundation

/// What every reader promises on any input: it returns, or it throws one of
/// the project's error types (`allowed`) whose description is one line.
/// Anything else — a crash, a foreign error type, a multi-line message —
/// stops the fuzzer with a report, because a tool would print it as is.
public func expectReaderErrors(_ allowed: [Error.Type], _ body: () throws -> Void) {
    do {
        try body()
    } catch {
        guard allowed.contains(where: { type(of: error) == $0 }) else {
            fatalError("reader threw \(type(of: error)), not a project error type: \(error)")
        }
        let message = String(describing: error)
        guard !message.contains(where: \.isNewline) else {
            fatalError("reader's error message is not one line: \(String(reflecting: message))")
        }
    }
}
