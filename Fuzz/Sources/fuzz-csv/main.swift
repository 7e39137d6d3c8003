// libFuzzer target: RFC 4180 CSV by column index and by header name.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    TextReaders.read(fuzzBytes(data, size), source: "fuzz.csv", format: .csv, variants: TextReaders.csvVariants)
    return 0
}

runFuzzer()
