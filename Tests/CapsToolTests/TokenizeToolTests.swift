import CapsArtifacts
import CapsCore
import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import CapsText
import XCTest

/// End-to-end runs of the built `tokenize` on small files written here.
final class TokenizeToolTests: ToolTestCase {
    /// English, Chinese (full-width question mark) and an emoji.
    static let train = """
        NUM\tHow many people live in Tokyo ?
        LOC\tWhere is Tokyo ?
        NUM\tHow many cats 🐱 are there ?
        LOC\t北京在哪里？

        """

    func decode(_ tokens: TokensFile, row: Int) -> [String] {
        tokens.row(row).prefix(Int(tokens.lengths[row])).map { tokens.vocabulary.token(for: $0) }
    }

    func testTSVWithEnglishChineseAndEmoji() throws {
        try write(Self.train, to: "train.tsv")
        let run = try runOK("tokenize", ["train.tsv", "-o", "train.tokens.h5"])
        XCTAssertTrue(run.stderr.contains("documents:          4"), run.stderr)
        let tokens = try TokensFile.read(from: path("train.tokens.h5"))

        XCTAssertEqual(tokens.count, 4)
        XCTAssertEqual(tokens.maxLength, 40)
        XCTAssertEqual(tokens.labelNames, ["LOC", "NUM"])
        XCTAssertEqual(tokens.labels, [1, 0, 1, 0])
        XCTAssertEqual(tokens.lengths, [7, 4, 7, 6])
        XCTAssertEqual(decode(tokens, row: 0), ["how", "many", "people", "live", "in", "tokyo", "?"])
        XCTAssertEqual(decode(tokens, row: 2), ["how", "many", "cats", "🐱", "are", "there", "?"])
        // NFKC turns the full-width ？ into ?, and every Han character is a token.
        XCTAssertEqual(decode(tokens, row: 3), ["北", "京", "在", "哪", "里", "?"])
        // Rows are padded with id 0 after the document.
        XCTAssertTrue(tokens.row(1).dropFirst(4).allSatisfy { $0 == 0 })
        // "?" occurs 4 times: the most frequent token gets the first word id.
        XCTAssertEqual(Array(tokens.vocabulary.tokens.prefix(3)), ["<pad>", "<unk>", "?"])
        XCTAssertEqual(tokens.vocabulary.counts[2], 4)
        // 18 distinct tokens plus <pad> and <unk>.
        XCTAssertEqual(tokens.vocabulary.count, 20)
        XCTAssertEqual(tokens.trainVocabularySize, 20)
        XCTAssertEqual(tokens.statistics.tokens, 24)
        XCTAssertEqual(tokens.sourceSHA256, SHA256.hexDigest(of: Array(Self.train.utf8)))
        XCTAssertEqual(tokens.provenance.tool, "tokenize")
        XCTAssertEqual(tokens.provenance.toolVersion, Toolkit.version)
        XCTAssertTrue(tokens.provenance.command.hasSuffix("tokenize train.tsv -o train.tokens.h5"), tokens.provenance.command)
        XCTAssertNil(tokens.allLabels, "single-label input stores no label lists")
    }

    func testStandardInputGivesTheSameRowsAsTheFile() throws {
        try write(Self.train, to: "train.tsv")
        try runOK("tokenize", ["train.tsv", "-o", "file.tokens.h5"])
        try runOK("tokenize", ["-", "-o", "stdin.tokens.h5"], stdin: Self.train)
        let fromFile = try TokensFile.read(from: path("file.tokens.h5"))
        let fromStdin = try TokensFile.read(from: path("stdin.tokens.h5"))
        XCTAssertEqual(fromStdin.ids, fromFile.ids)
        XCTAssertEqual(fromStdin.vocabulary, fromFile.vocabulary)
        XCTAssertEqual(fromStdin.labels, fromFile.labels)
        XCTAssertEqual(fromStdin.source, "<stdin>")
        XCTAssertEqual(fromStdin.sourceSHA256, fromFile.sourceSHA256)
    }

    func testCSVColumnsByHeaderName() throws {
        try write(#"""
            id,class,title,body
            1,sports,"Team wins, again",Fans cheer
            2,business,Stocks fall,"Markets ""panic"""

            """#, to: "news.csv")
        try runOK("tokenize", ["--csv-header", "--label-column", "class", "--text-columns", "title,body",
                               "news.csv", "-o", "news.tokens.h5"])
        let tokens = try TokensFile.read(from: path("news.tokens.h5"))
        XCTAssertEqual(tokens.labelNames, ["business", "sports"])
        XCTAssertEqual(tokens.labels, [1, 0])
        XCTAssertEqual(decode(tokens, row: 0), ["team", "wins", ",", "again", "fans", "cheer"])
        XCTAssertEqual(decode(tokens, row: 1), ["stocks", "fall", "markets", "\"", "panic", "\""])
    }

    func testFastTextKeepsEveryLabel() throws {
        try write("__label__b __label__a first doc\n__label__b second doc\n", to: "multi.txt")
        try runOK("tokenize", ["multi.txt", "-o", "multi.tokens.h5"])
        let tokens = try TokensFile.read(from: path("multi.tokens.h5"))
        XCTAssertEqual(tokens.labelNames, ["a", "b"])
        XCTAssertEqual(tokens.labels, [1, 1], "the class is the first label written")
        let lists = try XCTUnwrap(tokens.allLabels)
        XCTAssertEqual(lists.offsets, [0, 2, 3])
        XCTAssertEqual(lists.indices, [1, 0, 1])
        XCTAssertEqual(decode(tokens, row: 0), ["first", "doc"])
    }

    func testUnlabeledPlainTextHasNoLabels() throws {
        try write("just some text\nmore text\n", to: "plain.txt")
        try runOK("tokenize", ["--unlabeled", "plain.txt", "-o", "plain.tokens.h5"])
        let tokens = try TokensFile.read(from: path("plain.tokens.h5"))
        XCTAssertNil(tokens.labels)
        XCTAssertEqual(tokens.count, 2)
        let h5 = try H5File.open(at: path("plain.tokens.h5"))
        XCTAssertFalse(h5.contains("/labels"))
    }

    func testMaxLengthTruncatesAndCharLevelSplitsCharacters() throws {
        try write("A\tabc def\nB\tx\n", to: "short.tsv")
        try runOK("tokenize", ["--max-len", "4", "--char-level", "short.tsv", "-o", "short.tokens.h5"])
        let tokens = try TokensFile.read(from: path("short.tokens.h5"))
        XCTAssertEqual(tokens.maxLength, 4)
        XCTAssertEqual(tokens.lengths, [4, 1])
        XCTAssertEqual(decode(tokens, row: 0), ["a", "b", "c", "d"])
        XCTAssertEqual(tokens.statistics.truncatedDocuments, 1)
        XCTAssertTrue(tokens.settings.tokenizer.characterLevel)
    }

    func testVocabularyReuseKeepsTrainingIdsAndExtends() throws {
        try write(Self.train, to: "train.tsv")
        try write("NUM\tHow many dogs live in Paris ?\nLOC\tWhere is Tokyo ?\n", to: "test.tsv")
        try runOK("tokenize", ["train.tsv", "-o", "train.tokens.h5"])
        try runOK("tokenize", ["--vocab", "train.tokens.h5", "test.tsv", "-o", "plain.tokens.h5"])
        try runOK("tokenize", ["--vocab", "train.tokens.h5", "--extend-vocab", "test.tsv", "-o", "test.tokens.h5"])
        let train = try TokensFile.read(from: path("train.tokens.h5"))
        let reused = try TokensFile.read(from: path("plain.tokens.h5"))
        let extended = try TokensFile.read(from: path("test.tokens.h5"))

        // Without extension the new words are <unk>.
        XCTAssertEqual(reused.vocabulary, train.vocabulary)
        XCTAssertEqual(Array(reused.row(0).prefix(7)).filter { $0 == Vocabulary.unknownID }.count, 2)
        XCTAssertEqual(reused.statistics.unknownTokens, 2)

        // With it, the training ids are unchanged and the new words follow with count 0.
        let v = train.vocabulary.count
        XCTAssertEqual(Array(extended.vocabulary.tokens.prefix(v)), train.vocabulary.tokens)
        XCTAssertEqual(Array(extended.vocabulary.counts.prefix(v)), train.vocabulary.counts)
        XCTAssertEqual(Array(extended.vocabulary.tokens.dropFirst(v)), ["dogs", "paris"])
        XCTAssertEqual(Array(extended.vocabulary.counts.dropFirst(v)), [0, 0])
        XCTAssertEqual(extended.trainVocabularySize, v)
        XCTAssertEqual(decode(extended, row: 0), ["how", "many", "dogs", "live", "in", "paris", "?"])
        XCTAssertEqual(Array(extended.row(1).prefix(4)), Array(train.row(1).prefix(4)), "same sentence, same ids")
        XCTAssertEqual(extended.labelNames, train.labelNames)
        XCTAssertEqual(extended.labels, [1, 0])
        XCTAssertEqual(extended.settings, train.settings)
    }

    func testUnseenLabelsCanBeKeptAsUnknown() throws {
        try write(Self.train, to: "train.tsv")
        try write("HUM\tWho is there ?\nNUM\tHow many ?\n", to: "test.tsv")
        try runOK("tokenize", ["train.tsv", "-o", "train.tokens.h5"])
        try runOK("tokenize", ["--vocab", "train.tokens.h5", "--unseen-labels", "unknown", "test.tsv", "-o", "test.tokens.h5"])
        let tokens = try TokensFile.read(from: path("test.tokens.h5"))
        XCTAssertEqual(tokens.labels, [-1, 1])
        XCTAssertEqual(tokens.statistics.unseenLabels, ["HUM": 1])
    }

    // MARK: - Failures: one line naming the file and line, and no output

    func testMissingInput() throws {
        try assertFailsCleanly("tokenize", ["missing.tsv", "-o", "out.tokens.h5"], mentions: ["missing.tsv", "no such file"])
    }

    func testBadTSVLine() throws {
        try write("A\tfine\nB\tfine too\nno tab here\n", to: "bad.tsv")
        try assertFailsCleanly("tokenize", ["bad.tsv", "-o", "out.tokens.h5"], mentions: ["bad.tsv:3", "tab"])
    }

    func testInvalidUTF8() throws {
        var bytes = Data("A\tgood\nB\tbad ".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(contentsOf: Array("\n".utf8))
        try write(bytes, to: "utf8.tsv")
        try assertFailsCleanly("tokenize", ["utf8.tsv", "-o", "out.tokens.h5"], mentions: ["utf8.tsv:2", "UTF-8"])
        // The replace policy reads it, counting the repaired line.
        try runOK("tokenize", ["--invalid-utf8", "replace", "utf8.tsv", "-o", "out.tokens.h5"])
        XCTAssertEqual(try TokensFile.read(from: path("out.tokens.h5")).statistics.repairedLines, 1)
    }

    func testUnseenLabelFails() throws {
        try write(Self.train, to: "train.tsv")
        try write("NUM\tHow many ?\nHUM\tWho ?\n", to: "test.tsv")
        try runOK("tokenize", ["train.tsv", "-o", "train.tokens.h5"])
        try assertFailsCleanly("tokenize", ["--vocab", "train.tokens.h5", "test.tsv", "-o", "test.tokens.h5"],
                               mentions: ["test.tsv:2", "HUM"])
    }

    func testConflictingTokenizerFlagsWithVocab() throws {
        try write(Self.train, to: "train.tsv")
        try runOK("tokenize", ["train.tsv", "-o", "train.tokens.h5"])
        try assertFailsCleanly("tokenize", ["--vocab", "train.tokens.h5", "--char-level", "train.tsv", "-o", "t.tokens.h5"],
                               mentions: ["--char-level", "train.tokens.h5"])
        try assertFailsCleanly("tokenize", ["--vocab", "train.tokens.h5", "--max-len", "20", "train.tsv", "-o", "t.tokens.h5"],
                               mentions: ["--max-len 20", "max_len = 40"])
        // Repeating the file's own settings is no conflict (the Makefile passes the same flags to both runs).
        try runOK("tokenize", ["--vocab", "train.tokens.h5", "--max-len", "40", "train.tsv", "-o", "t.tokens.h5"])
    }

    func testExtendWithoutVocabAndVocabThatIsNotATokensFile() throws {
        try write(Self.train, to: "train.tsv")
        try assertFailsCleanly("tokenize", ["--extend-vocab", "train.tsv", "-o", "t.tokens.h5"], mentions: ["--extend-vocab", "--vocab"])
        try assertFailsCleanly("tokenize", ["--vocab", "train.tsv", "train.tsv", "-o", "t.tokens.h5"],
                               mentions: ["train.tsv", "not an HDF5 file"])
    }

    func testHelpShowsAnExample() throws {
        let run = try runOK("tokenize", ["--help"])
        XCTAssertTrue(run.stdout.contains("EXAMPLE"), run.stdout)
        XCTAssertTrue(run.stdout.contains("--extend-vocab"), run.stdout)
    }
}
