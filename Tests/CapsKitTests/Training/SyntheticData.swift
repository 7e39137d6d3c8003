import CapsCore
import CapsStorage
import Foundation

/// A small, learnable embedded file written with the documented layout of
/// `embed`'s output: each class has two signal words, and a document holds
/// one of its class's signal words among random filler words.
enum SyntheticData {
    struct Shape {
        var rows = 120, maxLength = 8, dimension = 6, classes = 3, vocabulary = 20
    }

    @discardableResult
    static func write(to path: String, shape: Shape = Shape(), seed: UInt64 = 7) throws -> (labels: [Int32], ids: [Int32]) {
        var generator = SeededGenerator(seed: seed)
        let (N, L, D, C, V) = (shape.rows, shape.maxLength, shape.dimension, shape.classes, shape.vocabulary)
        var table = [Float](repeating: 0, count: V * D)
        for i in D..<(V * D) { table[i] = generator.uniform(-1, 1) }
        var ids = [Int32](repeating: 0, count: N * L)
        var labels = [Int32](repeating: 0, count: N)
        var lengths = [Int32](repeating: 0, count: N)
        let fillerStart = 2 + 2 * C
        for n in 0..<N {
            let label = n % C
            labels[n] = Int32(label)
            let length = 3 + generator.nextInt(below: L - 2)
            lengths[n] = Int32(length)
            for t in 0..<length { ids[n * L + t] = Int32(fillerStart + generator.nextInt(below: V - fillerStart)) }
            ids[n * L + generator.nextInt(below: length)] = Int32(2 + 2 * label + generator.nextInt(below: 2))
        }
        var x = [Float](repeating: 0, count: N * L * D)
        for i in 0..<(N * L) {
            let id = Int(ids[i])
            for d in 0..<D { x[i * D + d] = table[id * D + d] }
        }
        let file = try H5File.create(at: path)
        try file.setAttribute("format", .string("capskit.embedded"))
        try file.setAttribute("format_version", .int(1))
        try file.setAttribute("dim", .int(Int64(D)))
        try file.setAttribute("max_len", .int(Int64(L)))
        try file.write(x, shape: [N, L, D], to: "/x", options: H5WriteOptions(chunkRows: 16, deflateLevel: 1))
        try file.write(ids, shape: [N, L], to: "/ids")
        try file.write(lengths, shape: [N], to: "/lengths")
        try file.write(labels, shape: [N], to: "/labels")
        try file.write(strings: (0..<C).map { "class\($0)" }, to: "/label_names")
        try file.write(strings: ["<pad>", "<unk>"] + (2..<V).map { "w\($0)" }, to: "/vocab")
        try file.write([0, 0] + [Int64](repeating: 5, count: V - 2), shape: [V], to: "/vocab_counts")
        try file.write(table, shape: [V, D], to: "/embedding")
        try file.close()
        return (labels, ids)
    }
}
