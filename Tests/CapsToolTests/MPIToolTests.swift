import CapsArtifacts
import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// `mpirun -np 2 capsfit …` on loopback: the data-parallel job against one
/// process. Needs Open MPI's mpirun (Debian: openmpi-bin); skipped with a
/// message where it is absent.
final class MPIToolTests: ToolTestCase {
    var mpirun: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("mpirun not found: install Open MPI (apt-get install openmpi-bin) to run the MPI tests")
        }
        mpirun = found
        try SyntheticData.write(to: path("train.h5"))
    }

    /// Flags for a model small enough to train in a fraction of a second.
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--decoder-hidden", "16,24", "--lam-recon", "0.1", "--lr", "0.01", "--threads", "1"]

    /// capsfit as `ranks` MPI ranks on this machine.
    func mpi(_ ranks: Int, _ arguments: [String]) throws -> ToolRun {
        try Fixtures.run(executable: mpirun,
                         ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
                          "-np", "\(ranks)", try Fixtures.tool("capsfit").path] + arguments, in: directory)
    }

    func weights(_ name: String) throws -> [Float] { try ModelFile.read(from: path(name)).weights }

    func assertClose(_ a: [Float], _ b: [Float], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-5, message, file: file, line: line)
    }

    /// 2 ranks with --batch b each train the model one process trains with
    /// --batch 2b and --threads 2 — dropout masks included (slice s draws
    /// the same stream on either side) — for dense, fine-tuned and
    /// row-sparse (lexical) parameters; the model records the global batch and the ranks.
    func testTwoRanksEqualOneProcessOfTwiceTheBatch() throws {
        let variants: [(String, [String])] = [
            ("dropout", ["--dropout", "0.3", "--input-dropout", "0.2", "--word-dropout", "0.1"]),
            ("fine-tuned + lexical", ["--fine-tune-embeddings", "--embedding-update", "lazy", "--buckets", "64",
                                      "--lexical-capsules", "2", "--dropout", "0.3", "--word-dropout", "0.1"]),
        ]
        for (name, flags) in variants {
            let job = try mpi(2, small + flags + ["--batch", "10", "--epochs", "2", path("train.h5"), "-o", path("mpi.h5")])
            XCTAssertEqual(job.status, 0, "\(name): \(job.stderr)")
            XCTAssertTrue(job.stderr.contains("2 MPI ranks share each batch of 20"), job.stderr)
            XCTAssertEqual(job.stderr.components(separatedBy: "epoch 2/2  loss").count, 2, "rank 0 alone logs: \(job.stderr)")
            let one = try Fixtures.run("capsfit", small.dropLast(2) + flags + ["--threads", "2", "--batch", "20", "--epochs", "2",
                                                                              path("train.h5"), "-o", path("one.h5")])
            XCTAssertEqual(one.status, 0, one.stderr)
            assertClose(try weights("mpi.h5"), try weights("one.h5"), name)
            let model = try ModelFile.read(from: path("mpi.h5"))
            XCTAssertEqual(model.attribute("batch")?.intValue, 20 as Int64?)
            XCTAssertEqual(model.attribute("mpi_ranks")?.intValue, 2 as Int64?)
            XCTAssertEqual(model.history.records.map(\.validationAccuracy), try ModelFile.read(from: path("one.h5")).history.records.map(\.validationAccuracy))
            // A single-thread process at batch 20 draws other masks: the equality above is not trivial.
            let plain = try Fixtures.run("capsfit", small + flags + ["--batch", "20", "--epochs", "2", path("train.h5"), "-o", path("plain.h5")])
            XCTAssertEqual(plain.status, 0, plain.stderr)
            XCTAssertNotEqual(try weights("plain.h5"), try weights("one.h5"), name)
            // The ranks wrote one model file and no leftovers.
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp") }
            XCTAssertEqual(left, [])
        }
    }

    /// An MPI job resumed after one epoch equals the job run for two in one go.
    func testAResumedJobContinuesExactly() throws {
        let flags = small + ["--dropout", "0.3", "--batch", "10"]
        XCTAssertEqual(try mpi(2, flags + ["--epochs", "2", path("train.h5"), "-o", path("a.h5")]).status, 0)
        XCTAssertEqual(try mpi(2, flags + ["--epochs", "1", path("train.h5"), "-o", path("b.h5")]).status, 0)
        let resumed = try mpi(2, ["--resume", path("b.h5"), "--epochs", "2", "--threads", "1", path("train.h5"), "-o", path("b.h5")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try weights("b.h5"), try weights("a.h5"))
        XCTAssertEqual(try ModelFile.read(from: path("b.h5")).attribute("batch")?.intValue, 20 as Int64?, "the global batch is kept")
    }

    /// A failure every rank meets is reported once, by rank 0.
    func testAFailureOnEveryRankIsOneLine() throws {
        let missing = try mpi(2, small + [path("absent.h5"), "-o", path("m.h5")])
        XCTAssertNotEqual(missing.status, 0)
        let lines = missing.stderr.split(separator: "\n").filter { $0.hasPrefix("capsfit") }
        XCTAssertEqual(lines.count, 1, missing.stderr)
        XCTAssertTrue(lines.first?.contains("absent.h5") ?? false, missing.stderr)
        let autotune = try mpi(2, small + ["--autotune", "3", path("train.h5"), "-o", path("m.h5")])
        XCTAssertNotEqual(autotune.status, 0)
        let autotuneLines = autotune.stderr.split(separator: "\n").filter { $0.hasPrefix("capsfit") }
        XCTAssertEqual(autotuneLines, ["capsfit: --autotune runs its trials in one process; run the search without mpirun, then train its winner's configuration with mpirun"], autotune.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.h5")))
    }

    /// SIGTERM to mpirun (what Ctrl-C does): Open MPI passes SIGTERM to every
    /// rank and kills them a second later; the ranks agree to stop after the
    /// same batch, rank 0 writes the checkpoint within that second, and a
    /// resumed job ends with the weights of an uninterrupted one.
    func testSIGTERMOnTheJobLeavesACheckpointThatResumesExactly() throws {
        // 200 epochs of batches of 2 per rank last long enough that mpirun's one second between SIGCONT and SIGTERM falls inside the run.
        let flags = small + ["--dropout", "0.3", "--batch", "2", "--epochs", "200"]
        let process = Process()
        process.executableURL = mpirun
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
                             "-np", "2", try Fixtures.tool("capsfit").path] + flags + [path("train.h5"), "-o", path("cut.h5")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path("cut.h5")) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTAssertTrue(process.isRunning, "the job ended before it could be interrupted")
        process.terminate()
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0)
        Thread.sleep(forTimeInterval: 1.5)  // the ranks' last second
        let cut = try ModelFile.read(from: path("cut.h5"), withCheckpoint: true)
        let state = try XCTUnwrap(cut.members.first?.checkpoint)
        XCTAssertLessThan(state.epochsCompleted, 200, "interrupted before the end")
        let resumed = try mpi(2, ["--resume", path("cut.h5"), "--epochs", "200", "--threads", "1", path("train.h5"), "-o", path("cut.h5")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try mpi(2, flags + [path("train.h5"), "-o", path("whole.h5")]).status, 0)
        XCTAssertEqual(try weights("cut.h5"), try weights("whole.h5"))
    }
}
