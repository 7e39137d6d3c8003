/// The one-record-per-line labelled formats: TSV and fastText.
extension DocumentReader {
    /// `label<TAB>text`; the text keeps any further tabs.
    func parseTSV(_ text: String, line: Int) throws -> LabeledDocument {
        guard let tab = text.firstIndex(of: "\t") else {
            throw TextInputError(source: source, line: line, problem: .missingTab)
        }
        return LabeledDocument(labels: try labels(text[..<tab], line: line), text: String(text[text.index(after: tab)...]),
                               line: line)
    }

    /// `__label__A __label__B text`: every leading word with the prefix is a label.
    func parseFastText(_ text: String, line: Int) throws -> LabeledDocument {
        let prefix = options.labelPrefix
        var labels: [String] = []
        var rest = text[...]
        while true {
            let word = rest.drop(while: \.isWhitespace)
            guard word.hasPrefix(prefix) else { break }
            let end = word.firstIndex(where: \.isWhitespace) ?? word.endIndex
            labels.append(try label(word[word.index(word.startIndex, offsetBy: prefix.count)..<end], line: line))
            rest = word[end...]
        }
        if labels.isEmpty, options.labelsRequired {
            throw TextInputError(source: source, line: line, problem: .missingLabel(prefix: prefix))
        }
        return LabeledDocument(labels: labels, text: String(rest.drop(while: \.isWhitespace)), line: line)
    }
}
