import Foundation

/// A text file of one number per class, `label<TAB>value` per line (a space
/// separates too; blank lines and `#` comments are skipped): capsfit's
/// `--class-weights FILE` and capseval's `--thresholds FILE`, which
/// `--choose-thresholds` writes in the same form.
enum PerClassValueFile {
    /// The values [C] in class order: listed labels get their value, the
    /// others `unlisted`. Every label must be a class, listed once; `check`
    /// returns what a refused value must be ("a finite number > 0"), or nil.
    static func read(_ path: String, flag: String, names: [String], unlisted: Float,
                     check: (Float) -> String?) throws -> [Float] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw OptionError(exists ? "\(flag) \(path): cannot read it as UTF-8 text"
                                     : "\(flag) \(path): no such file (expected 'label<TAB>value' lines)")
        }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var values = [Float](repeating: unlisted, count: names.count), seen = Set<Int>()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> OptionError { OptionError("\(flag) \(path):\(number + 1): \(reason)") }
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count == 2 else { throw fail("expected 'label<TAB>value', found '\(line)'") }
            let label = String(fields[0])
            guard let c = index[label] else {
                throw fail("label '\(label)' is not one of the classes (\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))")
            }
            guard let value = Float(fields[1]), value.isFinite else {
                throw fail("value '\(fields[1])' of '\(label)' must be a finite number")
            }
            if let requirement = check(value) { throw fail("value '\(fields[1])' of '\(label)' \(requirement)") }
            guard seen.insert(c).inserted else { throw fail("label '\(label)' is listed twice") }
            values[c] = value
        }
        return values
    }

    /// The file's text: `comment` lines (each prefixed "# "), then every class
    /// in order with its value as the shortest decimal that reads back exactly.
    static func text(_ values: [Float], names: [String], comment: [String]) -> String {
        comment.map { "# \($0)\n" }.joined() + zip(names, values).map { "\($0)\t\($1)\n" }.joined()
    }
}
