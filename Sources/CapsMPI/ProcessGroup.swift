import _CMPI
#if canImport(Glibc)
import Glibc
#endif

/// The processes that train one model together: one process (size 1, every
/// collective a no-op), or the ranks of an `mpirun` job, reached through
/// Open MPI loaded at run time — so the toolkit builds and runs where MPI is
/// absent, and the same binary serves both.
///
/// Every collective is called by every rank in the same order with the same
/// sizes (the data-parallel trainer's steps are a pure function of the seed,
/// the epoch and the batch); MPI's default error handler ends the job if one
/// fails. Only the main thread calls MPI (MPI_THREAD_FUNNELED).
public final class ProcessGroup: @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Whether the group is an MPI job (false: a single process).
    public let isMPI: Bool

    /// The single process.
    public static let single = ProcessGroup(rank: 0, size: 1, isMPI: false)

    private init(rank: Int, size: Int, isMPI: Bool) {
        self.rank = rank
        self.size = size
        self.isMPI = isMPI
    }

    /// The launcher's variables that say this process is a rank of an MPI job.
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"]

    /// Whether this process was started by mpirun (or another PMI launcher).
    public static var isLaunchedByMPI: Bool {
        launcherVariables.contains { getenv($0) != nil }
    }

    private static var opened: ProcessGroup?

    /// The job's world: MPI when started by mpirun (loading
    /// `$CAPSKIT_MPI_LIBRARY`, else libmpi.so.40), otherwise `single`.
    /// MPI is initialised once; later calls return the same group.
    public static func world() throws -> ProcessGroup {
        if let opened { return opened }
        guard isLaunchedByMPI else { opened = single; return single }
        var error = [CChar](repeating: 0, count: 512)
        let library = getenv("CAPSKIT_MPI_LIBRARY").map { String(cString: $0) }
        let status = error.withUnsafeMutableBufferPointer { buffer in
            if let library {
                return library.withCString { capskit_mpi_open($0, buffer.baseAddress!, buffer.count) }
            }
            return capskit_mpi_open(nil, buffer.baseAddress!, buffer.count)
        }
        guard status == 0 else {
            throw ProcessGroupError(reason: "started by mpirun, but " + String(cString: error))
        }
        let group = ProcessGroup(rank: Int(capskit_mpi_rank()), size: Int(capskit_mpi_size()), isMPI: true)
        opened = group
        return group
    }

    /// Ends MPI (a no-op for a single process); call once, when the tool ends.
    public func finish() {
        if isMPI { _ = capskit_mpi_finalize() }
    }

    /// Ends every rank of the job at once (after a failure the others cannot learn of).
    public func abort(code: Int32) -> Never {
        if isMPI { capskit_mpi_abort(code) }
        exit(code)
    }

    // MARK: - Collectives

    /// values = Σ over ranks of values, element by element.
    public func sum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        guard isMPI, count > 0 else { return }
        check(capskit_mpi_allreduce(values, count, CAPSKIT_MPI_FLOAT, CAPSKIT_MPI_SUM), "MPI_Allreduce")
    }

    public func sum(_ values: inout [Double]) {
        guard isMPI, !values.isEmpty else { return }
        let n = values.count
        values.withUnsafeMutableBufferPointer {
            check(capskit_mpi_allreduce($0.baseAddress!, n, CAPSKIT_MPI_DOUBLE, CAPSKIT_MPI_SUM), "MPI_Allreduce")
        }
    }

    /// The largest and smallest of `value` over the ranks.
    public func range(of value: Int64) -> (min: Int64, max: Int64) {
        guard isMPI else { return (value, value) }
        var low = value, high = value
        check(capskit_mpi_allreduce(&low, 1, CAPSKIT_MPI_INT64, CAPSKIT_MPI_MIN), "MPI_Allreduce")
        check(capskit_mpi_allreduce(&high, 1, CAPSKIT_MPI_INT64, CAPSKIT_MPI_MAX), "MPI_Allreduce")
        return (low, high)
    }

    /// Whether `flag` is true on any rank.
    public func any(_ flag: Bool) -> Bool {
        guard isMPI else { return flag }
        return range(of: flag ? 1 : 0).max == 1
    }

    /// Rank `root`'s value, on every rank.
    public func broadcast(_ value: Int64, from root: Int = 0) -> Int64 {
        guard isMPI else { return value }
        var v = value
        check(capskit_mpi_broadcast(&v, MemoryLayout<Int64>.size, Int32(root)), "MPI_Bcast")
        return v
    }

    /// Rank `root`'s string, on every rank.
    public func broadcast(_ text: String, from root: Int = 0) -> String {
        guard isMPI else { return text }
        var bytes = Array(text.utf8)
        let count = Int(broadcast(Int64(bytes.count), from: root))
        if rank != root { bytes = [UInt8](repeating: 0, count: count) }
        if count > 0 {
            bytes.withUnsafeMutableBytes {
                check(capskit_mpi_broadcast($0.baseAddress!, count, Int32(root)), "MPI_Bcast")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Row-sparse sum: `values` holds rows of `width` floats, of which this
    /// rank has touched `rows`; afterwards every row touched on any rank
    /// holds the sum over ranks (rows a rank did not touch count as zero
    /// there — the caller keeps untouched rows at zero). Returns the union
    /// of the touched rows, ascending, the same on every rank.
    ///
    /// The exchange is an allgather of the row indices followed by one
    /// allreduce of the union's rows packed together — |union|·width floats
    /// rather than the whole table.
    public func sumRows(_ values: UnsafeMutablePointer<Float>, width: Int, touched rows: [Int]) -> [Int] {
        guard isMPI else { return rows.sorted() }
        let local = rows.map { Int32($0) }
        var counts = [Int64](repeating: 0, count: size)
        check(capskit_mpi_allgather_int64(Int64(local.count), &counts), "MPI_Allgather")
        let counts32 = counts.map { Int32($0) }
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { displacements[r] = displacements[r - 1] + counts32[r - 1] }
        var all = [Int32](repeating: 0, count: Int(counts.reduce(0, +)))
        local.withUnsafeBufferPointer { sent in
            check(capskit_mpi_allgatherv_int32(sent.baseAddress, Int32(local.count), &all, counts32, displacements),
                  "MPI_Allgatherv")
        }
        let union = Array(Set(all.map(Int.init))).sorted()
        guard !union.isEmpty else { return [] }
        var packed = [Float](repeating: 0, count: union.count * width)
        for (i, row) in union.enumerated() {
            for k in 0..<width { packed[i * width + k] = values[row * width + k] }
        }
        packed.withUnsafeMutableBufferPointer { sum($0.baseAddress!, count: $0.count) }
        for (i, row) in union.enumerated() {
            for k in 0..<width { values[row * width + k] = packed[i * width + k] }
        }
        return union
    }

    public func barrier() {
        if isMPI { check(capskit_mpi_barrier(), "MPI_Barrier") }
    }

    private func check(_ status: Int32, _ call: String) {
        // MPI's default handler (MPI_ERRORS_ARE_FATAL) ends the job before a non-zero status returns.
        precondition(status == 0, "\(call) failed with status \(status)")
    }
}

public struct ProcessGroupError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// This rank's failure is one rank 0 reports (every rank failed at the same
/// agreed point): the rank exits with `code` and prints nothing, so a job
/// ends with one line, not one per rank.
public struct QuietExit: Error {
    public let code: Int32
    public init(code: Int32) { self.code = code }
}

/// Raised on the ranks that did not fail when another one did, at a point
/// where the ranks agree on success (the start of training, a model write).
public struct FailedOnAnotherRank: Error, CustomStringConvertible {
    public let rank: Int
    public init(rank: Int) { self.rank = rank }
    public var description: String { "rank \(rank) failed (its message is above)" }
}

/// An error raised on rank R > 0 alone, printed as `TOOL: rank R: reason`.
public struct RankError: Error, CustomStringConvertible {
    public let rank: Int
    public let underlying: Error
    public init(rank: Int, underlying: Error) { self.rank = rank; self.underlying = underlying }
    public var description: String { "rank \(rank): \(underlying)" }
}

extension ProcessGroup {
    /// Runs `body` on every rank and agrees on the outcome: if it failed on
    /// any rank, every rank throws — rank 0's error where rank 0 failed
    /// (the other ranks then exit quietly), else the failing rank's own
    /// error there and `FailedOnAnotherRank` elsewhere.
    public func agreeing<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        var failure: Error?
        do { value = try body() } catch { failure = error }
        guard isMPI else {
            if let failure { throw failure }
            return value!
        }
        let rootFailed = broadcast(failure != nil ? 1 : 0, from: 0) == 1
        let firstFailed = range(of: failure != nil ? Int64(rank) : Int64.max).min
        guard firstFailed != Int64.max else { return value! }
        if rootFailed {
            if rank == 0 { throw failure! }
            throw QuietExit(code: 1)
        }
        if let failure { throw failure }
        throw FailedOnAnotherRank(rank: Int(firstFailed))
    }
}
