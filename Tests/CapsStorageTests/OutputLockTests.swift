import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

final class OutputLockTests: XCTestCase {
    func testASecondWriterIsRefusedUntilTheFirstReleases() throws {
        let output = try temporaryFile("model.h5")
        let first = try OutputLock.acquire(for: output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: OutputLock.lockPath(for: output)))
        XCTAssertTrue(OutputLock.lockPath(for: output).hasSuffix("/.model.h5.lock"))
        assertThrowsMessage(try OutputLock.acquire(for: output),
                            containing: [output, "another run (pid \(ProcessInfo.processInfo.processIdentifier))", ".model.h5.lock"])
        first.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: OutputLock.lockPath(for: output)), "release removes the lock file")
        let second = try OutputLock.acquire(for: output)
        second.release()
        second.release()  // harmless twice
    }

    /// The kernel drops the lock when its holder dies, so `kill -9` leaves no stale lock.
    func testALockHeldByAKilledProcessIsFree() throws {
        let output = try temporaryFile("model.h5")
        let lockPath = OutputLock.lockPath(for: output)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        guard FileManager.default.isExecutableFile(atPath: holder.executableURL!.path) else {
            throw XCTSkip("flock(1) is not installed (util-linux); skipped")
        }
        // -o: flock(1) holds the lock itself, not the command it runs, so killing it frees the lock.
        let ready = try temporaryFile("ready")
        holder.arguments = ["-o", lockPath, "sh", "-c", "touch '\(ready)'; exec sleep 3"]
        try holder.run()
        for _ in 0..<250 where !FileManager.default.fileExists(atPath: ready) { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ready), "flock(1) never took the lock")
        assertThrowsMessage(try OutputLock.acquire(for: output), containing: ["is being written by another run"])
        kill(holder.processIdentifier, SIGKILL)
        var lock: OutputLock?
        for _ in 0..<250 where lock == nil {  // free once the kernel has closed the dead holder's files
            lock = try? OutputLock.acquire(for: output)
            if lock == nil { usleep(20_000) }
        }
        XCTAssertNotNil(lock, "the lock of a killed holder must be free")
        lock?.release()
    }

    func testAMissingFolderIsNamed() throws {
        let output = try temporaryFile("absent/model.h5")
        assertThrowsMessage(try OutputLock.acquire(for: output), containing: ["does not exist"])
    }
}
