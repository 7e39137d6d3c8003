import ArgumentParser
import CapsNet
import Foundation

@main
struct CapsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capsbench",
        abstract: "Measure CapsNet training and inference throughput, side by side with PyTorch.",
        discussion: """
        Rows (inputs random of the reference shape 40×200, seeded; batch --batch unless noted):
          train-2            forward + loss + backward + Adam, 2 classes, decoder on
          train-2-nodecoder  the same without the decoder (lam-recon 0)
          train-203          the same, 203 classes, decoder on (peak memory is judged here)
          infer-2, infer-203 forward to the class scores (no decoder)
          latency-2          inference at batch 1, 2 classes
          train-2-leaky, train-2-static, train-77-k=C, train-2-ngram345, train-2-pool4,
          train-2-len256-pool4, train-2-lexical, train-2-lexical-view512
                             the capsfit model variants (no decoder, Swift only)
        Each row runs in its own child process (this tool re-run with --row), so the peak \
        resident memory (VmHWM) is per row. When a Python that imports torch is found \
        ($CAPSKIT_PYTHON, else python3) and the reference model ../shared/reference/capsnet_ref.py \
        exists, the PyTorch reference runs the same row right after the Swift one \
        (Tests/Benchmarks/torch_reference_bench.py) and the table shows the speed ratio.

        EXAMPLES:
          capsbench --threads 2
          CAPSKIT_PYTHON=/work/venv/bin/python capsbench --rows train-2,latency-2 --rounds 3
        """)

    @Option(help: "Threads for OpenBLAS, CapsNet and PyTorch (default: all cores).") var threads: Int?
    @Option(help: "How training rows use --threads, as capsfit --thread-split: batch (each thread a slice of the batch) or blas (OpenBLAS splits each product).")
    var threadSplit: ThreadSplit = .batch
    @Option(help: "Untimed steps before timing.") var warmup = 3
    @Option(help: "Timed steps; the table shows their median.") var steps = 20
    @Option(help: "Batch size of every row but latency-2.") var batch = 100
    @Option(help: "Seed of the inputs and weights.") var seed: UInt64 = 1
    @Option(help: "Comma-separated rows to run (default: all).") var rows: String?
    @Option(help: "Runs of each row, alternating Swift and PyTorch; the table shows the median of their medians.")
    var rounds = 1
    @Flag(help: "Skip the PyTorch reference.") var noTorch = false
    @Option(help: "Python with torch (default: $CAPSKIT_PYTHON, else python3).") var python: String?
    @Option(help: "The reference model (default: ../shared/reference/capsnet_ref.py beside the package).")
    var reference: String?
    @Option(help: "Internal: measure this one row in this process and print it as JSON.") var row: String?
    @Flag(help: "Under mpirun (mpirun -np 2 capsbench --allreduce): time the allreduce of each training row's gradient buffer across the ranks instead of the rows.")
    var allreduce = false

    func validate() throws {
        guard warmup >= 0, steps >= 1, batch >= 1, rounds >= 1 else {
            throw ValidationError("--warmup must be ≥ 0 and --steps, --batch, --rounds ≥ 1")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1 (got \(threads))") }
    }

    func run() throws {
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let all = BenchRow.all(batch: batch)
        if allreduce {
            if let table = try AllreduceBench.run(rows: try selectedRows(all), warmup: warmup, steps: steps, seed: seed) {
                print(table, terminator: "")
            }
            return
        }
        if let name = row {
            guard let selected = all.first(where: { $0.name == name }) else {
                throw ValidationError("--row: unknown row '\(name)'; expected one of \(all.map(\.name).joined(separator: ", "))")
            }
            let m = try SwiftWorkload.run(selected, threads: threadCount, split: threadSplit, warmup: warmup, steps: steps, seed: seed)
            print(String(decoding: try JSONEncoder().encode(m), as: UTF8.self))
            return
        }
        let chosen = try selectedRows(all)
        let torch = torchCommand()
        if let reason = torch.skipped { FileHandle.standardError.write(Data("capsbench: PyTorch skipped: \(reason)\n".utf8)) }

        var table = Table()
        for benchRow in chosen {
            var swiftRuns: [Measurement] = [], torchRuns: [Measurement] = []
            for _ in 0..<rounds {
                swiftRuns.append(try ChildProcess.measure(
                    [ChildProcess.ownExecutable, "--row", benchRow.name] + commonArguments(threadCount)))
                if let base = torch.command, benchRow.hasTorchPeer {
                    torchRuns.append(try ChildProcess.measure(base + torchArguments(benchRow, threadCount)))
                }
            }
            let line = Table.Line(row: benchRow,
                                  swift: Measurement(combining: swiftRuns, batch: benchRow.batch),
                                  torch: torchRuns.isEmpty ? nil : Measurement(combining: torchRuns, batch: benchRow.batch))
            table.lines.append(line)
            FileHandle.standardError.write(Data("capsbench: \(benchRow.name) done\n".utf8))
        }
        let note = torch.command == nil ? "PyTorch not run" : "PyTorch alternating with Swift, \(rounds) round\(rounds == 1 ? "" : "s")"
        print(table.render(threads: threadCount, torchNote: note + "; training rows split threads by \(threadSplit.rawValue)"), terminator: "")
    }

    private func selectedRows(_ all: [BenchRow]) throws -> [BenchRow] {
        guard let rows else { return all }
        return try rows.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let found = all.first(where: { $0.name == trimmed }) else {
                throw ValidationError("--rows: unknown row '\(trimmed)'; expected some of \(all.map(\.name).joined(separator: ", "))")
            }
            return found
        }
    }

    private func commonArguments(_ threadCount: Int) -> [String] {
        ["--threads", "\(threadCount)", "--thread-split", threadSplit.rawValue, "--warmup", "\(warmup)", "--steps", "\(steps)",
         "--batch", "\(batch)", "--seed", "\(seed)"]
    }

    private func torchArguments(_ row: BenchRow, _ threadCount: Int) -> [String] {
        ["--row", row.name, "--kind", row.kind.rawValue, "--classes", "\(row.classes)",
         "--batch", "\(row.batch)", "--lam-recon", "\(row.reconstructionWeight)",
         "--threads", "\(threadCount)", "--warmup", "\(warmup)", "--steps", "\(steps)", "--seed", "\(seed)"]
    }

    /// The PyTorch command before the per-row arguments, or why it is skipped.
    private func torchCommand() -> (command: [String]?, skipped: String?) {
        if noTorch { return (nil, "--no-torch") }
        let root = PackageRoot.locate()
        let referencePath = reference ?? root.map { "\($0)/../shared/reference/capsnet_ref.py" }
        guard let referencePath, FileManager.default.fileExists(atPath: referencePath) else {
            return (nil, "the reference model \(reference ?? "../shared/reference/capsnet_ref.py") is absent")
        }
        guard let root, case let script = "\(root)/Tests/Benchmarks/torch_reference_bench.py",
              FileManager.default.fileExists(atPath: script) else {
            return (nil, "Tests/Benchmarks/torch_reference_bench.py not found beside the executable or in the current directory")
        }
        let requested = python ?? ProcessInfo.processInfo.environment["CAPSKIT_PYTHON"] ?? "python3"
        guard let interpreter = ChildProcess.resolve(requested) else { return (nil, "no Python at '\(requested)'") }
        guard ChildProcess.canImportTorch(interpreter) else {
            return (nil, "\(requested) cannot import torch (set CAPSKIT_PYTHON to a Python that can)")
        }
        return ([interpreter, script, "--reference", referencePath], nil)
    }
}

extension ThreadSplit: ExpressibleByArgument {}
