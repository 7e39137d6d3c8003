import Foundation
import XCTest
import CapsCore
import CapsTestSupport

/// Checks SHA-256 against the FIPS 180-2/NIST example vectors and, for files,
/// against the system's `sha256sum`.
final class SHA256Tests: XCTestCase {
    func testNISTShortMessages() {
        XCTAssertEqual(SHA256.hexDigest(of: Array("".utf8)),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hexDigest(of: Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testNIST448BitMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        XCTAssertEqual(message.utf8.count * 8, 448)
        XCTAssertEqual(SHA256.hexDigest(of: Array(message.utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testNIST896BitMessage() {
        let message = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        XCTAssertEqual(message.utf8.count * 8, 896)
        XCTAssertEqual(SHA256.hexDigest(of: Array(message.utf8)),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testNISTOneMillionAFedInUnevenPieces() {
        // Odd piece sizes cross block boundaries in every possible phase.
        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var fed = 0
        while fed < 1_000_000 {
            let n = min(piece.count, 1_000_000 - fed)
            hasher.update(piece[0..<n])
            fed += n
        }
        XCTAssertEqual(hasher.hexDigest(),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testPaddingBoundaryLengthsMatchOneShotAndByteWiseFeeding() {
        // Lengths 55, 56, 63, 64, 65 put the length field at every edge case;
        // feeding byte by byte must agree with feeding all at once.
        for length in [55, 56, 63, 64, 65, 119, 120, 128] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var byteWise = SHA256()
            for byte in message { byteWise.update([byte]) }
            XCTAssertEqual(byteWise.finalize(), SHA256.hash(message), "length \(length)")
        }
    }

    func testFinalizeLeavesTheHasherUsable() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Array("c".utf8))
        XCTAssertEqual(hasher.hexDigest(), SHA256.hexDigest(of: Array("abc".utf8)))
    }

    func testFileDigestMatchesSha256sum() throws {
        guard let sha256sum = ["/usr/bin/sha256sum", "/bin/sha256sum"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            throw XCTSkip("sha256sum is not installed; skipped")
        }
        let dir = try Fixtures.temporaryDirectory(for: self)
        let file = dir.appendingPathComponent("blob.bin")
        // 2.5 MiB of varied bytes: spans several 1 MiB reads and a partial one.
        var generator = SeededGenerator(seed: 99)
        let bytes = (0..<(5 << 19)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        try Data(bytes).write(to: file)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: sha256sum)
        process.arguments = [file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = String(printed.prefix(while: { $0 != " " }))

        XCTAssertEqual(expected.count, 64)
        XCTAssertEqual(try SHA256.hexDigest(ofFileAt: file.path), expected)
    }

    func testMissingFileNamesThePath() {
        XCTAssertThrowsError(try SHA256.hexDigest(ofFileAt: "/nonexistent/capskit/file.bin")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("/nonexistent/capskit/file.bin: "), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }
}
