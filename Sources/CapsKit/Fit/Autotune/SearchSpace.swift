import CapsCore
import CapsNet

/// What `capsfit --autotune` searches: settings of `CapsNetConfig.settings`
/// and `TrainingOptions.settings`, each named as in the model file, with the
/// values tried. A value is the setting's command-line spelling and goes
/// through the setting's own parser and check, so the search declares no
/// option of its own.
public struct SearchSpace: Equatable, Sendable {
    public struct Dimension: Equatable, Sendable {
        /// The setting's name (`lexical_lr`).
        public var name: String
        /// The values tried; the first is the recommended one (trial 1's).
        public var values: [String]
        /// A setting and value under which this one has no effect (the
        /// lexical rates without buckets): such trials take the first value,
        /// so no two trials differ only where it does not matter.
        public var inertWhen: (name: String, value: String)?

        public init(_ name: String, _ values: [String], inertWhen: (name: String, value: String)? = nil) {
            self.name = name
            self.values = values
            self.inertWhen = inertWhen
        }

        public static func == (a: Dimension, b: Dimension) -> Bool {
            a.name == b.name && a.values == b.values && a.inertWhen?.name == b.inertWhen?.name
                && a.inertWhen?.value == b.inertWhen?.value
        }
    }

    public var dimensions: [Dimension]

    public init(dimensions: [Dimension]) { self.dimensions = dimensions }

    /// The default search: the regularisers, rates and variants that moved
    /// validation accuracy in the variant measurements (README, Model
    /// variants), first value = the best combination. The decoder stays off
    /// and the embeddings fine-tuned (`Autotuner.base`), which won on every
    /// dev set.
    /// For character tokens (Chinese) the lexical capsules try 1–3-grams and
    /// the step 0.01 first, for words 1–2-grams and 0.003: the validation
    /// figures (README; 0.01 against 0.003 on THUCNews titles and waimai_10k,
    /// 3 seeds: 89.0 against 88.3 mean validation accuracy).
    public static func standard(characterTokens: Bool) -> SearchSpace {
        var space = standard
        guard characterTokens else { return space }
        for (name, values) in [("lexical_ngrams", ["3", "2"]), ("lexical_lr", ["0.01", "0.003", "0.001"])] {
            if let d = space.dimensions.firstIndex(where: { $0.name == name }) { space.dimensions[d].values = values }
        }
        return space
    }

    public static let standard = SearchSpace(dimensions: [
        Dimension("buckets", ["131072", "0"]),
        Dimension("lexical_lr", ["0.003", "0.01", "0.001"], inertWhen: ("buckets", "0")),
        Dimension("lexical_ngrams", ["2", "3"], inertWhen: ("buckets", "0")),
        Dimension("lr", ["0.001", "0.002", "0.0005"]),
        Dimension("dropout", ["0.7", "0.5", "0.3"]),
        Dimension("input_dropout", ["0.3", "0", "0.1"]),
        Dimension("coupling_scale", ["classes", "reference"]),
        Dimension("batch", ["50", "100"]),
        Dimension("average_decay", ["0.995", "0.99", "0"]),
    ])

    /// The space without the settings in `fixed` (those the user set).
    public func removing(_ fixed: Set<String>) -> SearchSpace {
        SearchSpace(dimensions: dimensions.filter { !fixed.contains($0.name) })
    }

    /// Trials 1…n, deterministic for `seed`: trial 1 takes every first value
    /// (the recommended configuration); the others are distinct uniform draws
    /// from the grid, as many as it holds (so n larger than the grid gives
    /// the whole grid; draws of up to 64 per trial).
    public func trials(_ n: Int, seed: UInt64) -> [[Int]] {
        precondition(n >= 1)
        let sizes = dimensions.map(\.values.count)
        var chosen: [[Int]] = [Array(repeating: 0, count: sizes.count)]
        var seen: Set<[Int]> = [chosen[0]]
        var generator = SeededGenerator(seed: seed).derived(0xA070_7E4E_0000)
        var misses = 0
        while chosen.count < n && misses < 64 * n {
            let pick = canonical(sizes.map { Int(generator.next() % UInt64($0)) })
            if seen.insert(pick).inserted { chosen.append(pick) } else { misses += 1 }
        }
        return chosen
    }

    /// `indices` with every inert dimension at its first value.
    func canonical(_ indices: [Int]) -> [Int] {
        var result = indices
        for (d, dimension) in dimensions.enumerated() {
            guard let (name, value) = dimension.inertWhen,
                  let other = dimensions.firstIndex(where: { $0.name == name }) else { continue }
            if dimensions[other].values[indices[other]] == value { result[d] = 0 }
        }
        return result
    }

    /// The (setting, value) pairs of a trial's indices.
    public func choices(_ indices: [Int]) -> [(name: String, value: String)] {
        zip(dimensions, indices).map { ($0.name, $0.values[$1]) }
    }

    /// Applies a trial's choices through the settings they name.
    public static func apply(_ choices: [(name: String, value: String)], to config: inout CapsNetConfig,
                             options: inout TrainingOptions) throws {
        for (name, value) in choices {
            if let setting = CapsNetConfig.settings.first(where: { $0.name == name }) {
                try setting.parse(value, into: &config)
            } else if let setting = TrainingOptions.settings.first(where: { $0.name == name }) {
                try setting.parse(value, into: &options)
            } else {
                throw TrainingError.invalidOption("autotune: no setting '\(name)'")
            }
        }
    }

    /// A trial's choices as flags (`--buckets 131072 --lr 0.001`), for its line in the table.
    public static func flags(_ choices: [(name: String, value: String)]) -> String {
        choices.map { choice in
            let flag = CapsNetConfig.settings.first { $0.name == choice.name }?.flag
                ?? TrainingOptions.settings.first { $0.name == choice.name }?.flag ?? choice.name
            return "--\(flag) \(choice.value)"
        }.joined(separator: " ")
    }
}
