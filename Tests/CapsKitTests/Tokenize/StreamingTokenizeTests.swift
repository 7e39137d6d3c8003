import CapsArtifacts
import CapsKitTestSupport
import CapsTestSupport
import CapsText
import Foundation
import XCTest
@testable import CapsKit

/// `TokenizeStage` streams (`InternedCorpus`): these tests hold it to the
/// files the earlier implementation wrote, which kept every tokenised
/// document and encoded them with `CorpusEncoder` once the vocabulary was
/// built. `oracle` is that implementation, kept here; each case writes both
/// files and compares every dataset and attribute (h5dump's full dump, and
/// the artifacts read back).
final class StreamingTokenizeTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// The tokens file the pre-streaming `TokenizeStage.run` made for `options`.
    func oracle(_ options: TokenizeStage.Options) throws -> TokensFile {
        let stage = TokenizeStage(options: options)
        let trainFile = try options.vocabularyFile.map { try TokensFile.read(from: $0) }
        let settings = try stage.resolveSettings(against: trainFile)
        let readOptions = try options.reading.readOptions()
        var (reader, sha256) = try DocumentReader.openFingerprinted(options.input, options: readOptions)
        let labeled = InputOptions.isLabeled(readOptions, detected: reader.format)
        let tokenizer = Tokenizer(options: settings.tokenizer)
        var documents: [TokenizedDocument] = []
        var counter = TokenCounter()
        var labelNames = Set<String>()
        while let document = try reader.next() {
            let tokenized = tokenizer.tokenize(document)
            if trainFile == nil { counter.add(tokenized.tokens) }
            labelNames.formUnion(document.labels)
            documents.append(tokenized)
        }
        var vocabulary: Vocabulary, labelSet: LabelSet, trainSize: Int
        if let trainFile {
            vocabulary = trainFile.vocabulary
            labelSet = LabelSet(trainFile.labelNames)
            trainSize = trainFile.trainVocabularySize
            if options.extendVocabulary { vocabulary.extend(with: documents.lazy.flatMap(\.tokens)) }
        } else {
            vocabulary = Vocabulary(counter: counter, minCount: settings.minCount, maxSize: settings.maxVocabularySize)
            labelSet = LabelSet(labelNames)
            trainSize = vocabulary.count
        }
        let encoder = CorpusEncoder(vocabulary: vocabulary, labelSet: labeled ? labelSet : nil,
                                    maxLength: settings.maxLength,
                                    unseenLabels: trainFile == nil ? .fail : options.unseenLabels)
        let corpus = try encoder.encode(documents, source: reader.source, reading: reader.statistics)
        let multiLabel = corpus.allLabels.contains { $0.count > 1 }
        return TokensFile(ids: corpus.ids, lengths: corpus.lengths, labels: labeled ? corpus.labels : nil,
                          allLabels: multiLabel ? LabelLists(corpus.allLabels) : nil,
                          labelNames: labelSet.names, vocabulary: vocabulary, trainVocabularySize: trainSize,
                          settings: settings, source: reader.source, sourceSHA256: sha256,
                          statistics: corpus.statistics, provenance: Provenance(tool: "tokenize", command: options.command))
    }

    /// Runs the stage on `input` with `configure`d options into `name`, and
    /// checks the file against the oracle's. Returns the stage's file.
    @discardableResult
    func assertSameAsOracle(_ input: String, _ name: String, file: StaticString = #filePath, line: UInt = #line,
                            _ configure: (inout TokenizeStage.Options) -> Void = { _ in }) throws -> TokensFile {
        var options = TokenizeStage.Options()
        options.input = input
        options.command = "tokenize \(name)"
        configure(&options)
        let expected = try oracle(options)
        try expected.write(to: path("oracle-" + name))
        options.output = path(name)
        let report = try TokenizeStage(options: options).run()

        let actual = try TokensFile.read(from: path(name))
        XCTAssertEqual(actual, try TokensFile.read(from: path("oracle-" + name)), name, file: file, line: line)
        XCTAssertEqual(report.statistics, expected.statistics, name, file: file, line: line)
        // h5dump's first line names the file; everything after it must match.
        let dumps = try [path(name), path("oracle-" + name)].map { try H5Dump.contents($0).split(separator: "\n").dropFirst() }
        XCTAssertEqual(dumps[0], dumps[1], "\(name): datasets or attributes differ", file: file, line: line)
        XCTAssertGreaterThan(dumps[0].count, 20, name, file: file, line: line)
        return actual
    }

    // Ties in counts, case, punctuation, emoji, an empty document, and a
    // literal "<unk>" / "<pad>" in the text (the tokenizer splits them).
    let english = """
        pos\tThe cat sat on the mat . The END !
        neg\tA dog , a cat ; a bird <unk> <pad> 🐈‍⬛ 👍🏽
        pos\tthe the the zebra apple Apple APPLE
        neg\t
        pos\tcoming-of-age don't 3.14 u.s. 1,000 mat mat
        neg\tdog dog bird zebra quokka

        pos\tan unusually long line with many many words that runs past the row end of every test here
        """

    func testWordLevelTrainingFile() throws {
        let input = try write("train.tsv", english)
        let tokens = try assertSameAsOracle(input, "word.h5")
        XCTAssertEqual(tokens.statistics.skippedLines, 1)
        XCTAssertEqual(tokens.statistics.emptyDocuments, 1)
    }

    func testPruningByMinCountAndMaxVocabularyAndTruncation() throws {
        let input = try write("train.tsv", english)
        let tokens = try assertSameAsOracle(input, "pruned.h5") {
            $0.minCount = 2
            $0.maxVocabularySize = 6
            $0.maxLength = 4
        }
        XCTAssertEqual(tokens.vocabulary.count, 6)
        XCTAssertGreaterThan(tokens.statistics.unknownTokens, 0)
        XCTAssertGreaterThan(tokens.statistics.truncatedDocuments, 0)
        try assertSameAsOracle(input, "mincount.h5") { $0.minCount = 3; $0.lowercase = false; $0.normalize = false }
    }

    func testCharacterLevel() throws {
        let input = try write("zh.tsv", """
            体育\t国足今晚客场迎战叙利亚，ＡＢＣ全角
            财经\t央行宣布降准０.５个百分点 iPhone手机
            体育\t湖人队主场战胜勇士队
            科技\t新款手机发布，续航提升三成😀
            """)
        try assertSameAsOracle(input, "char.h5") { $0.characterLevel = true; $0.maxLength = 12 }
    }

    func testVocabularyFileWithAndWithoutExtensionAndUnseenLabels() throws {
        let train = try write("train.tsv", english)
        try assertSameAsOracle(train, "train.h5") { $0.minCount = 2 }
        let test = try write("test.tsv", """
            pos\tthe cat and a platypus sat on the mat
            other\tan unseen label with unseen words : wombat
            neg\tdog dog <unk> zebra
            other\twombat again
            """)
        try assertSameAsOracle(test, "unseen.h5") {
            $0.vocabularyFile = self.path("train.h5")
            $0.unseenLabels = .markUnknown
        }
        let extended = try assertSameAsOracle(test, "extended.h5") {
            $0.vocabularyFile = self.path("train.h5")
            $0.extendVocabulary = true
            $0.unseenLabels = .markUnknown
        }
        XCTAssertEqual(extended.statistics.unknownTokens, 0)
        XCTAssertEqual(extended.statistics.unseenLabels, ["other": 2])

        // Under the default policy both stop at the first unseen label, with the same line.
        var options = TokenizeStage.Options()
        options.input = test
        options.vocabularyFile = path("train.h5")
        options.output = path("fail.h5")
        var expected: Error?, actual: Error?
        XCTAssertThrowsError(try oracle(options)) { expected = $0 }
        XCTAssertThrowsError(try TokenizeStage(options: options).run()) { actual = $0 }
        XCTAssertEqual(actual.map { "\($0)" }, expected.map { "\($0)" })
        XCTAssertTrue("\(actual.map { "\($0)" } ?? "")".contains("test.tsv:2"), "\(String(describing: actual))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("fail.h5")))
    }

    func testMultiLabelFastTextAndPlainText() throws {
        let input = try write("train.txt", """
            __label__grain __label__wheat wheat exports rose in march
            __label__earn profit up 12 pct
            __label__wheat __label__grain __label__corn corn and wheat prices fell
            __label__earn net loss widened in the quarter
            """)
        let tokens = try assertSameAsOracle(input, "multi.h5") { $0.maxLength = 5 }
        XCTAssertNotNil(tokens.allLabels)
        let plain = try write("plain.txt", "wheat and corn\n\nprofit rose , quokka\n")
        try assertSameAsOracle(plain, "plain.h5") {
            $0.vocabularyFile = self.path("multi.h5")
            $0.extendVocabulary = true
            $0.reading.unlabeled = true
        }
    }

    func testEmptyInputWithAllowEmpty() throws {
        let input = try write("empty.tsv", "\n\n")
        let tokens = try assertSameAsOracle(input, "empty.h5") { $0.allowEmpty = true }
        XCTAssertEqual(tokens.count, 0)
    }

    /// A real corpus when ../shared is present: THUCNews titles at character
    /// level, the training split, then the test split extended.
    func testSharedCorpora() throws {
        let thucnews = try Fixtures.shared("data/zh/thucnews_title/train.tsv")
        try assertSameAsOracle(thucnews, "thucnews.h5") { $0.characterLevel = true; $0.minCount = 2 }
        try assertSameAsOracle(try Fixtures.shared("data/zh/thucnews_title/test.tsv"), "thucnews-test.h5") {
            $0.vocabularyFile = self.path("thucnews.h5")
            $0.extendVocabulary = true
        }
    }
}
