import Foundation
import XCTest
import CapsTestSupport

extension XCTestCase {
    /// A path for a new file in a fresh temporary folder removed after the test.
    func temporaryFile(_ name: String = "test.h5") throws -> String {
        try Fixtures.temporaryDirectory(for: self).appendingPathComponent(name).path
    }

    /// Runs `h5dump` with `arguments`, or skips the test when it is not installed.
    func h5dump(_ arguments: [String]) throws -> String {
        guard let tool = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            throw XCTSkip("h5dump is not installed (apt install hdf5-tools); skipped")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "h5dump \(arguments) failed")
        return text
    }
}

/// Asserts that `body` throws an error whose one-line message contains every
/// fragment in `fragments`.
func assertThrowsMessage<T>(_ body: @autoclosure () throws -> T, containing fragments: [String],
                            file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        let message = "\(error)"
        XCTAssertFalse(message.contains("\n"), "multi-line error: \(message)", file: file, line: line)
        XCTAssertEqual(message, error.localizedDescription, file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"", file: file, line: line)
        }
    }
}
