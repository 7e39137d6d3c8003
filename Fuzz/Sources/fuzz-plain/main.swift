// libFuzzer target: plain lines, with the format detected from the first line (any of the four).
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    TextReaders.read(fuzzBytes(data, size), source: "<stdin>", format: nil)
    return 0
}

runFuzzer()
