import CapsArtifacts
import Foundation
import _CZlib

/// Writes a ZIP archive of stored (uncompressed) members, the subset of the
/// format (PKWARE APPNOTE 6.3) that `numpy.load` and every unzip tool read.
///
/// Layout: for each member a local file header and its bytes, then the
/// central directory (one entry per member), then the end-of-central-
/// directory record. Times are fixed at 1980-01-01 00:00 (the DOS epoch)
/// so identical inputs give identical archives. Names are UTF-8 (flag bit 11).
/// Without ZIP64 every size and offset must stay below 4 GiB.
struct ZipArchiveWriter {
    private(set) var data = Data()
    private var central = Data()
    private var memberCount = 0

    /// Appends a member named `name` holding `bytes`.
    mutating func add(name: String, bytes: Data) throws {
        let limit = Int(UInt32.max)
        guard bytes.count < limit, data.count < limit else {
            throw ExportError.archiveTooLarge(member: name, bytes: bytes.count)
        }
        let nameBytes = Array(name.utf8)
        let crc = Self.crc32(bytes)
        let offset = UInt32(data.count)
        let size = UInt32(bytes.count)

        var local = Data()
        local.le(UInt32(0x0403_4B50))      // local file header signature
        local.le(UInt16(20))               // version needed: 2.0
        local.le(UInt16(1 << 11))          // flags: names are UTF-8
        local.le(UInt16(0))                // method: stored
        local.le(UInt16(0)); local.le(UInt16(0x21))   // DOS time 00:00:00, date 1980-01-01
        local.le(crc); local.le(size); local.le(size) // CRC-32, compressed, uncompressed
        local.le(UInt16(nameBytes.count)); local.le(UInt16(0))  // name length, extra length
        local.append(contentsOf: nameBytes)
        data.append(local)
        data.append(bytes)

        central.le(UInt32(0x0201_4B50))    // central directory header signature
        central.le(UInt16(20))             // version made by: 2.0, MS-DOS attributes
        central.le(UInt16(20))             // version needed
        central.le(UInt16(1 << 11))
        central.le(UInt16(0))
        central.le(UInt16(0)); central.le(UInt16(0x21))
        central.le(crc); central.le(size); central.le(size)
        central.le(UInt16(nameBytes.count))
        central.le(UInt16(0)); central.le(UInt16(0))  // extra, comment length
        central.le(UInt16(0)); central.le(UInt16(0))  // disk number, internal attributes
        central.le(UInt32(0))              // external attributes
        central.le(offset)                 // where the local header starts
        central.append(contentsOf: nameBytes)
        memberCount += 1
    }

    /// The complete archive: members, central directory, end record.
    func finished() throws -> Data {
        guard data.count + central.count < Int(UInt32.max), memberCount < Int(UInt16.max) else {
            throw ExportError.archiveTooLarge(member: "central directory", bytes: data.count + central.count)
        }
        var out = data
        out.append(central)
        out.le(UInt32(0x0605_4B50))        // end of central directory signature
        out.le(UInt16(0)); out.le(UInt16(0))          // this disk, disk with the directory
        out.le(UInt16(memberCount)); out.le(UInt16(memberCount))
        out.le(UInt32(central.count)); out.le(UInt32(data.count))
        out.le(UInt16(0))                  // comment length
        return out
    }

    /// CRC-32 (ISO 3309, as ZIP uses) computed by zlib, fed in chunks
    /// because zlib takes a 32-bit length.
    static func crc32(_ bytes: Data) -> UInt32 {
        var crc = _CZlib.crc32(0, nil, 0)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: Bytef.self).baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let chunk = min(raw.count - offset, 1 << 30)
                crc = _CZlib.crc32(crc, base + offset, uInt(chunk))
                offset += chunk
            }
        }
        return UInt32(crc)
    }
}

extension Data {
    /// Appends `value` in little-endian byte order (all ZIP integers are).
    fileprivate mutating func le<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
