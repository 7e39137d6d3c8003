/// `capseval --explain-tsv`: one row per (document, explained class, token),
/// then a `<padding>` and a `<bias>` row per class with no position, so that a
/// class's shares sum to its length under the route method. `index` is the
/// document's 0-based index, as in `--predictions`; positions count from 1.
///
///     index  rank  class  length  position  token  share
extension Explanations {
    public func tsv() -> String {
        var out = "index\trank\tclass\tlength\tposition\ttoken\tshare\n"
        for document in documents {
            for (rank, explained) in document.classes.enumerated() {
                let prefix = "\(document.number - 1)\t\(rank + 1)\t\(TSVField.clean(explained.name))\t\(Self.number(explained.length))\t"
                for (t, token) in document.tokens.enumerated() {
                    out += prefix + "\(t + 1)\t\(TSVField.clean(token))\t\(Self.number(explained.tokenShares[t]))\n"
                }
                out += prefix + "\t<padding>\t\(Self.number(explained.paddingShare))\n"
                out += prefix + "\t<bias>\t\(Self.number(explained.biasShare))\n"
            }
        }
        return out
    }

    /// Six significant digits: shares are float32 sums.
    static func number(_ x: Float) -> String { String(format: "%.6g", Double(x)) }
}

/// Tabs and line breaks inside a TSV field would break its row: they become spaces.
enum TSVField {
    static func clean(_ s: String) -> String {
        String(s.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }
}
