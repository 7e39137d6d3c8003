import Foundation
import XCTest
@testable import CapsStorage

/// The Debian libhdf5 is not thread-safe; CapsStorage serialises every call
/// through one process-wide lock.
final class H5ConcurrencyTests: XCTestCase {
    /// While one thread holds the HDF5 lock, another thread's file operation
    /// must wait for it: proof that calls are serialised (races in libhdf5
    /// itself are too rare to provoke reliably in a test).
    func testOperationsWaitForTheProcessWideLock() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.write([Float(1)], shape: [1], to: "x")
        let holding = DispatchSemaphore(value: 0)
        let released = Locked(false)
        let holder = Thread {
            H5Library.locked {
                holding.signal()
                Thread.sleep(forTimeInterval: 0.3)
                released.mutate { $0 = true }
            }
        }
        holder.start()
        holding.wait()
        let values = try file.read(Float.self, from: "x").values
        XCTAssertTrue(released.value, "the read ran while another thread held the HDF5 lock")
        XCTAssertEqual(values, [1])
    }

    /// A smoke test of the intended use: a prefetch thread reads row blocks
    /// while the main thread writes checkpoints to another file.
    func testPrefetchReadsWhileAnotherThreadWritesCheckpoints() throws {
        let dataPath = try temporaryFile("data.h5")
        let checkpointPath = try temporaryFile("checkpoint.h5")
        let rows = 512, width = 64
        do {
            let file = try H5File.create(at: dataPath)
            try file.write((0..<(rows * width)).map(Float.init), shape: [rows, width], to: "x",
                           options: H5WriteOptions(chunkRows: 32, deflateLevel: 1))
            try file.close()
        }

        let readerFailures = Locked<[String]>([])
        let writing = Locked(true)
        let readRounds = Locked(0)
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            defer { done.signal() }
            do {
                let dataset = try H5File.open(at: dataPath).dataset(at: "x", as: Float.self)
                var round = 0
                // Keep reading for as long as the writer runs, so the two overlap.
                while writing.value || round < 50 {
                    defer { round += 1 }
                    let start = (round * 37) % (rows - 16)
                    let got = try dataset.readRows(startRow: start, count: 16)
                    if got != (start * width..<(start + 16) * width).map(Float.init) {
                        readerFailures.mutate { $0.append("rows \(start)+16 wrong in round \(round)") }
                    }
                }
                readRounds.mutate { $0 = round }
            } catch {
                readerFailures.mutate { $0.append("\(error)") }
            }
        }
        reader.start()

        for step in 0..<150 {
            let file = try H5File.create(at: checkpointPath)
            try file.write([Float](repeating: Float(step), count: 4096), shape: [64, 64], to: "/weights/w")
            try file.setAttribute("step", .int(Int64(step)))
            try file.close()
        }
        writing.mutate { $0 = false }
        done.wait()

        XCTAssertEqual(readerFailures.value, [])
        XCTAssertGreaterThanOrEqual(readRounds.value, 50)
        let checkpoint = try H5File.open(at: checkpointPath)
        XCTAssertEqual(try checkpoint.requireInt("step"), 149)
        XCTAssertEqual(try checkpoint.read(Float.self, from: "/weights/w").values, [Float](repeating: 149, count: 4096))
    }
}

/// A value shared between threads under a lock.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
