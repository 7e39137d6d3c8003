import Foundation
import XCTest
import CapsStorage

/// Which files are HDF5 rather than text: by name, or by the signature at
/// any offset the format allows (0, 512, 1024, …).
final class H5SignatureTests: XCTestCase {
    let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    func testASignatureAtZeroOrAfterAUserBlockIsFound() throws {
        let real = try temporaryFile("real.data")
        try H5File.create(at: real).close()
        XCTAssertTrue(H5File.hasSignature(real))
        XCTAssertTrue(H5File.claimsHDF5(real), "signed, whatever its name")

        for offset in [512, 1024, 4096] {
            let path = try temporaryFile("block\(offset).txt")
            try Data(repeating: 0x61, count: offset).followed(by: signature + [UInt8](repeating: 0, count: 64)).write(to: URL(fileURLWithPath: path))
            XCTAssertTrue(H5File.hasSignature(path), "offset \(offset)")
        }
        let between = try temporaryFile("between.txt")
        try Data(repeating: 0x61, count: 100).followed(by: signature + [UInt8](repeating: 0, count: 600)).write(to: URL(fileURLWithPath: between))
        XCTAssertFalse(H5File.hasSignature(between), "100 is not an offset HDF5 allows")
    }

    func testTheNameClaimsAFileWithoutTheSignature() throws {
        let text = try temporaryFile("junk.H5")
        try Data("label\ttext\n".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertFalse(H5File.hasSignature(text))
        XCTAssertTrue(H5File.claimsHDF5(text))
        XCTAssertTrue(H5File.claimsHDF5("missing.hdf5"))
        XCTAssertFalse(H5File.claimsHDF5("missing.tsv"))
        XCTAssertFalse(H5File.claimsHDF5("-"), "standard input is never claimed")
        let plain = try temporaryFile("plain.tsv")
        try Data("label\ttext\n".utf8).write(to: URL(fileURLWithPath: plain))
        XCTAssertFalse(H5File.claimsHDF5(plain))
    }
}

private extension Data {
    func followed(by bytes: [UInt8]) -> Data { self + Data(bytes) }
}
