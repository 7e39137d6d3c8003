import XCTest
@testable import CapsText

final class TokenizerTests: XCTestCase {
    let tokenizer = Tokenizer()

    func testEnglishPunctuationIsSplitFromWords() {
        XCTAssertEqual(tokenizer.tokenize("Hello, world! (Really?)"),
                       ["hello", ",", "world", "!", "(", "really", "?", ")"])
    }

    func testRunsOfOnePunctuationCharacterStayTogether() {
        XCTAssertEqual(tokenizer.tokenize("wait... no -- ``yes'' !?"),
                       ["wait", "...", "no", "--", "``", "yes", "''", "!", "?"])
    }

    func testContractionsAndPreTokenisedClitics() {
        // MR writes contractions joined, TREC/PTB-style text splits them: both survive.
        XCTAssertEqual(tokenizer.tokenize("it's don't o'hara"), ["it's", "don't", "o'hara"])
        XCTAssertEqual(tokenizer.tokenize("do n't celebrities 's we 'll"),
                       ["do", "n't", "celebrities", "'s", "we", "'ll"])
        // A quote is not a clitic; a trailing possessive apostrophe is punctuation.
        XCTAssertEqual(tokenizer.tokenize("'hello' students' books"),
                       ["'", "hello", "'", "students", "'", "books"])
        // Curly apostrophes become ASCII so both spellings share a token.
        XCTAssertEqual(tokenizer.tokenize("don\u{2019}t \u{2019}s"), ["don't", "'s"])
    }

    func testNumbersStayTogether() {
        XCTAssertEqual(tokenizer.tokenize("pi is 3.14, about 1,000 times $5."),
                       ["pi", "is", "3.14", ",", "about", "1,000", "times", "$", "5", "."])
        XCTAssertEqual(tokenizer.tokenize("1,000,000.50 1940s"), ["1,000,000.50", "1940s"])
    }

    func testHyphensInitialismsAndDomains() {
        XCTAssertEqual(tokenizer.tokenize("U.S. coming-of-age e.g. Answers.com Mr."),
                       ["u.s.", "coming-of-age", "e.g.", "answers.com", "mr", "."])
        XCTAssertEqual(tokenizer.tokenize("a - b"), ["a", "-", "b"])
    }

    func testLowercasingCanBeTurnedOff() {
        let cased = Tokenizer(options: TokenizerOptions(lowercase: false))
        XCTAssertEqual(cased.tokenize("How did Popeye Doyle ?"), ["How", "did", "Popeye", "Doyle", "?"])
    }

    func testEveryChineseCharacterIsAToken() {
        XCTAssertEqual(tokenizer.tokenize("港股缩量回调"), ["港", "股", "缩", "量", "回", "调"])
        // Full-width punctuation and ASCII inside a title.
        XCTAssertEqual(tokenizer.tokenize("同步A股首秀：港股"), ["同", "步", "a", "股", "首", "秀", ":", "港", "股"])
    }

    func testMixedScripts() {
        XCTAssertEqual(tokenizer.tokenize("iPhone手机"), ["iphone", "手", "机"])
        XCTAssertEqual(tokenizer.tokenize("体验2D巅峰"), ["体", "验", "2d", "巅", "峰"])
        XCTAssertEqual(tokenizer.tokenize("ひらがなカタカナ한국"), ["ひ", "ら", "が", "な", "カ", "タ", "カ", "ナ", "한", "국"])
        XCTAssertEqual(tokenizer.tokenize("Москва—город"), ["москва", "—", "город"])
    }

    func testEmojiSequencesAreSingleTokens() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"  // 👨‍👩‍👧‍👦
        let thumbsDark = "\u{1F44D}\u{1F3FF}"                                       // 👍🏿
        let flagJapan = "\u{1F1EF}\u{1F1F5}"                                        // 🇯🇵
        let flagFrance = "\u{1F1EB}\u{1F1F7}"                                       // 🇫🇷
        let heart = "\u{2764}\u{FE0F}"                                              // ❤️
        let keycap = "1\u{FE0F}\u{20E3}"                                            // 1️⃣
        let text = "great\(family)\(thumbsDark) \(flagJapan)\(flagFrance)\(heart)\(keycap)😂😂 #1"
        XCTAssertEqual(tokenizer.tokenize(text),
                       ["great", family, thumbsDark, flagJapan, flagFrance, heart, keycap, "😂", "😂", "#", "1"])
    }

    func testCombiningMarksStayOnTheirBase() {
        // "e" + COMBINING ACUTE composes under NFKC; "q" + acute has no precomposed form.
        XCTAssertEqual(tokenizer.tokenize("cafe\u{301} q\u{301}x"), ["caf\u{E9}", "q\u{301}x"])
        let raw = Tokenizer(options: TokenizerOptions(normalize: false))
        XCTAssertEqual(raw.tokenize("cafe\u{301}!"), ["cafe\u{301}", "!"])
        XCTAssertEqual(Tokenizer(options: TokenizerOptions(characterLevel: true)).tokenize("q\u{301}x"),
                       ["q\u{301}", "x"])
    }

    func testFullWidthFormsBecomeASCII() {
        XCTAssertEqual(tokenizer.tokenize("ＡＢＣ１２３！ｄｅｆ"), ["abc123", "!", "def"])
        XCTAssertEqual(tokenizer.tokenize("ﬁne"), ["fine"])  // ligature
    }

    func testInvisibleAndUnusualSpacesSeparate() {
        XCTAssertEqual(tokenizer.tokenize("a\u{200B}b\u{00A0}c\u{3000}d\te\u{2028}f"), ["a", "b", "c", "d", "e", "f"])
        XCTAssertEqual(tokenizer.tokenize(" \t\n"), [])
        XCTAssertEqual(tokenizer.tokenize(""), [])
    }

    func testCharacterLevelSplitsEveryGrapheme() {
        let chars = Tokenizer(options: TokenizerOptions(characterLevel: true))
        XCTAssertEqual(chars.tokenize("iPhone 手机..."), ["i", "p", "h", "o", "n", "e", "手", "机", ".", ".", "."])
    }
}
