import CapsText
import Foundation

/// The text readers as the tools drive them: every document of the input,
/// then the tokenizer on its text (what `tokenize` does next).
public enum TextReaders {
    static let errors: [Error.Type] = [TextInputError.self]

    /// Reads `bytes` as `format` (nil: detected from `source` and the first
    /// line) with one of `variants`, refusing or repairing invalid UTF-8, and
    /// tokenizes by words or characters. The input's length picks the
    /// combination, not its content, so one execution is one read and every
    /// combination sees every kind of content.
    public static func read(_ bytes: [UInt8], source: String, format: InputFormat?,
                            variants: [ReadOptions] = [ReadOptions()]) {
        var choice = bytes.count
        var options = variants[choice % variants.count]
        choice /= variants.count
        options.format = format
        options.invalidUTF8 = choice % 2 == 0 ? .fail : .replace
        let tokenizer = Tokenizer(options: TokenizerOptions(characterLevel: choice / 2 % 2 == 1))
        expectReaderErrors(errors) {
            var reader = try DocumentReader(data: Data(bytes), source: source, options: options)
            while let document = try reader.next() {
                precondition(document.line >= 1, "document line \(document.line)")
                _ = tokenizer.tokenize(document)
            }
        }
    }

    /// fastText with labels required and optional.
    public static let fastTextVariants = [ReadOptions(labelsRequired: true), ReadOptions(labelsRequired: false)]

    /// CSV by column index without a header, and by header name.
    public static let csvVariants = [
        ReadOptions(),
        ReadOptions(csv: CSVOptions(hasHeader: true, labelColumn: "label", textColumns: ["title", "text"])),
        ReadOptions(csv: CSVOptions(separator: ";", labelColumn: nil, textColumns: [0, 2])),
    ]
}
