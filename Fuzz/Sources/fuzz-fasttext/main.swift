// libFuzzer target: fastText __label__ lines, labels required or not.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    TextReaders.read(fuzzBytes(data, size), source: "fuzz.txt", format: .fastText, variants: TextReaders.fastTextVariants)
    return 0
}

runFuzzer()
