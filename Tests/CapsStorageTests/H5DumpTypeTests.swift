import XCTest
import CapsStorage

/// What another HDF5 reader sees in a file CapsStorage wrote.
final class H5DumpTypeTests: XCTestCase {
    func testDatatypesAndDataspacesAsSeenByH5dump() throws {
        let path = try temporaryFile()
        do {
            let file = try H5File.create(at: path)
            try file.write([Float](repeating: 0, count: 6), shape: [2, 3], to: "f32")
            try file.write([Double(1)], shape: [], to: "f64")
            try file.write([Int32](repeating: 0, count: 4), shape: [4], to: "i32")
            try file.write([Int64](), shape: [0], to: "i64")
            try file.write(strings: ["a", "b"], to: "words")
            try file.close()
        }
        let dump = try h5dump(["-H", path])
        func block(_ name: String) -> String {
            guard let start = dump.range(of: "DATASET \"\(name)\"") else { return "" }
            return String(dump[start.upperBound...].prefix(300))
        }
        XCTAssertTrue(block("f32").contains("H5T_IEEE_F32LE"), dump)
        XCTAssertTrue(block("f32").contains("SIMPLE { ( 2, 3 ) / ( 2, 3 ) }"), dump)
        XCTAssertTrue(block("f64").contains("H5T_IEEE_F64LE"), dump)
        XCTAssertTrue(block("f64").contains("SCALAR"), dump)
        XCTAssertTrue(block("i32").contains("H5T_STD_I32LE"), dump)
        XCTAssertTrue(block("i64").contains("H5T_STD_I64LE"), dump)
        XCTAssertTrue(block("i64").contains("SIMPLE { ( 0 ) / ( 0 ) }"), dump)
        XCTAssertTrue(block("words").contains("STRSIZE H5T_VARIABLE"), dump)
        XCTAssertTrue(block("words").contains("H5T_CSET_UTF8"), dump)
    }
}
