import Foundation
import XCTest

/// An independent reader of the stored-ZIP subset, written from the PKWARE
/// APPNOTE for the tests (it shares no code with ZIPFoundation, which writes
/// the archives): it walks the end record, the central directory and the
/// local headers, and checks each CRC with a bitwise CRC-32 (not zlib).
/// It reads archives below 4 GiB only (no ZIP64 records), all the tests write.
public struct ZipReader {
    public struct Member: Equatable {
        public var name: String
        public var bytes: Data
        public var flags: UInt16
        /// The MS-DOS modification time and date words of the local header.
        public var dosTime: UInt16
        public var dosDate: UInt16
    }

    public let members: [Member]

    public init(_ data: Data) throws {
        let d = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(d[at]) | Int(d[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }

        // End of central directory: the last 22 bytes (we never write a comment).
        let end = d.count - 22
        guard end >= 0, u32(end) == 0x0605_4B50 else { throw Problem("no end-of-central-directory record") }
        let count = u16(end + 10)
        guard u16(end + 8) == count else { throw Problem("per-disk and total counts differ") }
        let directorySize = u32(end + 12), directoryOffset = u32(end + 16)
        guard directoryOffset + directorySize == end else { throw Problem("central directory does not end at the end record") }

        var members: [Member] = []
        var at = directoryOffset
        var expectedLocal = 0
        for _ in 0..<count {
            guard u32(at) == 0x0201_4B50 else { throw Problem("bad central header at \(at)") }
            let flags = UInt16(u16(at + 8)), method = u16(at + 10)
            let crc = UInt32(u32(at + 16)), compressed = u32(at + 20), size = u32(at + 24)
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32)
            let localOffset = u32(at + 42)
            let name = String(decoding: d[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard method == 0, compressed == size else { throw Problem("\(name): not stored") }
            guard localOffset == expectedLocal else { throw Problem("\(name): members not contiguous") }

            // The local header must repeat the central directory's facts.
            let l = localOffset
            guard u32(l) == 0x0403_4B50 else { throw Problem("\(name): bad local header") }
            guard u16(l + 6) == Int(flags), u16(l + 8) == 0, u16(l + 10) == u16(at + 12), u16(l + 12) == u16(at + 14),
                  UInt32(u32(l + 14)) == crc,
                  u32(l + 18) == size, u32(l + 22) == size, u16(l + 26) == nameLength else {
                throw Problem("\(name): local header disagrees with the central directory")
            }
            let localName = String(decoding: d[(l + 30)..<(l + 30 + nameLength)], as: UTF8.self)
            let start = l + 30 + nameLength + u16(l + 28)
            let bytes = Data(d[start..<(start + size)])
            guard localName == name else { throw Problem("\(name): local name \(localName)") }
            guard ZipReader.crc32(bytes) == crc else { throw Problem("\(name): CRC mismatch") }
            members.append(Member(name: name, bytes: bytes, flags: flags,
                                  dosTime: UInt16(u16(l + 10)), dosDate: UInt16(u16(l + 12))))
            expectedLocal = start + size
            at += 46 + nameLength + extra + comment
        }
        guard expectedLocal == directoryOffset else { throw Problem("gap before the central directory") }
        self.members = members
    }

    /// Bitwise CRC-32 (reflected polynomial 0xEDB88320), as ZIP defines it.
    public static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
