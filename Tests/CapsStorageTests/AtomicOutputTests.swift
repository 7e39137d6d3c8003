import XCTest
import CapsStorage
import CapsTestSupport

final class AtomicOutputTests: XCTestCase {
    private func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testCommitRenamesOntoTheDestinationReplacingTheOldFile() throws {
        let folder = try Fixtures.temporaryDirectory(for: self)
        let destination = folder.appendingPathComponent("model.h5").path
        try "old".write(toFile: destination, atomically: false, encoding: .utf8)

        let output = try AtomicOutput(destination: destination)
        XCTAssertEqual((output.temporaryPath as NSString).deletingLastPathComponent, folder.path)
        XCTAssertTrue((output.temporaryPath as NSString).lastPathComponent.hasPrefix(".model.h5.tmp-\(ProcessInfo.processInfo.processIdentifier)"))
        let file = try H5File.create(at: output.temporaryPath)
        try file.write([Float(3)], shape: [1], to: "w")
        try file.close()
        // Until commit the old destination is untouched.
        XCTAssertEqual(try String(contentsOfFile: destination, encoding: .utf8), "old")
        try output.commit()

        XCTAssertEqual(try entries(folder), ["model.h5"])
        XCTAssertEqual(try H5File.open(at: destination).read(Float.self, from: "w").values, [3])
        assertThrowsMessage(try output.commit(), containing: ["already committed"])
        output.discard()  // harmless after commit
        XCTAssertTrue(FileManager.default.fileExists(atPath: destination))
    }

    func testDiscardAndDeinitLeaveNoFile() throws {
        let folder = try Fixtures.temporaryDirectory(for: self)
        let destination = folder.appendingPathComponent("ids.h5").path
        let output = try AtomicOutput(destination: destination)
        try H5File.create(at: output.temporaryPath).close()
        XCTAssertEqual(try entries(folder).count, 1)
        output.discard()
        XCTAssertEqual(try entries(folder), [])
        XCTAssertTrue(output.isFinished)

        do {
            let abandoned = try AtomicOutput(destination: destination)
            try H5File.create(at: abandoned.temporaryPath).close()
            XCTAssertEqual(try entries(folder).count, 1)
        }
        XCTAssertEqual(try entries(folder), [], "deinit without commit removes the temporary file")
    }

    func testConcurrentOutputsGetDistinctTemporaryNames() throws {
        let folder = try Fixtures.temporaryDirectory(for: self)
        let destination = folder.appendingPathComponent("x.h5").path
        let a = try AtomicOutput(destination: destination)
        let b = try AtomicOutput(destination: destination)
        XCTAssertNotEqual(a.temporaryPath, b.temporaryPath)
    }

    func testMissingFolderIsAClearError() {
        assertThrowsMessage(try AtomicOutput(destination: "/nonexistent/capskit/model.h5"),
                            containing: ["/nonexistent/capskit/model.h5: folder /nonexistent/capskit does not exist"])
    }
}
