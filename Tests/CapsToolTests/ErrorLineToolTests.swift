import CapsTestSupport
import Foundation
import XCTest

/// Every pipeline tool fails the same way — one line `TOOL: reason` on
/// stderr, a non-zero exit — whether argument parsing or the stage failed.
final class ErrorLineToolTests: ToolTestCase {
    /// Each tool with the arguments of a run whose input does not exist.
    let missingInput: [(tool: String, arguments: [String], missing: String)] = [
        ("tokenize", ["missing.tsv", "-o", "out.tokens.h5"], "missing.tsv"),
        ("embed", ["missing.tokens.h5", "-o", "out.emb.h5"], "missing.tokens.h5"),
        ("capssplit", ["missing.tsv", "-o", "data"], "missing.tsv"),
        ("capsfit", ["missing.emb.h5", "-o", "model.h5"], "missing.emb.h5"),
        ("capseval", ["--model", "missing.model.h5", "missing.emb.h5"], "missing.model.h5"),
        ("capsexport", ["--format", "h5", "missing.model.h5", "-o", "weights.h5"], "missing.model.h5"),
    ]

    func testAnUnknownOptionIsOneLineNamedAfterTheTool() throws {
        for (tool, arguments, _) in missingInput {
            let run = try assertFailsCleanly(tool, ["--no-such-option"] + arguments, mentions: ["--no-such-option"])
            XCTAssertTrue(run.stderr.hasPrefix("\(tool): "), "\(tool): \(run.stderr)")
        }
    }

    func testAMissingArgumentIsOneLineNamedAfterTheTool() throws {
        for (tool, _, _) in missingInput {
            let run = try assertFailsCleanly(tool, [], mentions: [])
            XCTAssertTrue(run.stderr.hasPrefix("\(tool): "), "\(tool): \(run.stderr)")
        }
    }

    func testAMissingInputFileIsOneLineNamedAfterTheTool() throws {
        for (tool, arguments, missing) in missingInput {
            let run = try assertFailsCleanly(tool, arguments, mentions: [missing])
            XCTAssertTrue(run.stderr.hasPrefix("\(tool): "), "\(tool): \(run.stderr)")
        }
    }

    /// --help keeps ArgumentParser's usage text, on standard output, exit 0.
    func testHelpStillPrintsTheUsage() throws {
        for (tool, _, _) in missingInput {
            let run = try runOK(tool, ["--help"])
            XCTAssertTrue(run.stdout.contains("USAGE: \(tool)"), "\(tool): \(run.stdout)")
            XCTAssertEqual(run.stderr, "", tool)
        }
    }
}
