import CapsNet
import CapsReports
import CapsText

/// `capseval --reconstruct`: what the decoder makes of a document's longest
/// class capsule, read back as words — the nearest vocabulary word (cosine,
/// `NearestRows` over the model's embedding table, `<pad>` and `<unk>`
/// excluded) to its output at each of the document's positions — and the
/// same with each capsule dimension moved by each δ, as Sabour et al. (2017)
/// show for digits. Uses member 1 of an ensemble (its decoder and table).
struct CapsuleReconstructor {
    let model: ScoringModel
    let perturbations: [Float]
    let words: NearestRows

    init(model: ScoringModel, perturbations: [Float]) {
        self.model = model
        self.perturbations = perturbations
        words = NearestRows(table: model.table, dimension: model.config.dimension,
                            excluded: [Int(Vocabulary.padID), Int(Vocabulary.unknownID)])
    }

    /// The nearest words to the decoder's output [L·D] at positions 0..<T.
    private func read(_ reconstruction: [Float], positions T: Int) -> [(row: Int, cosine: Float)] {
        words.nearest(Array(reconstruction.prefix(T * model.config.dimension)))
    }

    func reconstruct(document i: Int, explainer: Explainer, classIndex c: Int, positions T: Int) throws -> CapsuleReconstruction {
        let network = model.network, O = model.config.classDimension
        let tokens = model.config.hasLexicalCapsules ? explainer.tokens(i) : nil
        _ = try network.infer(x: try explainer.memberMatrices(i)[0], tokens: tokens)
        let capsule = Array(network.lastClassCapsules(batch: 1)[(c * O)..<((c + 1) * O)])
        let vocabulary = model.vocabulary.tokens
        let base = read(try network.decode(capsule: capsule, classIndex: c), positions: T)
        var moved: [CapsuleReconstruction.Perturbation] = []
        for d in 0..<O {
            for delta in perturbations {
                var v = capsule
                v[d] += delta
                let nearest = read(try network.decode(capsule: v, classIndex: c), positions: T)
                moved.append(.init(dimension: d, delta: delta, words: nearest.map { vocabulary[$0.row] }))
            }
        }
        return CapsuleReconstruction(className: model.labelNames[c], words: base.map { vocabulary[$0.row] },
                                     similarities: base.map(\.cosine), perturbations: moved)
    }
}
