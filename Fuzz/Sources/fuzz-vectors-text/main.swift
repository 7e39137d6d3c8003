// libFuzzer target: GloVe / word2vec text vector files, format detected (binary too).
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    VectorReaders.read(fuzzBytes(data, size), name: "fuzz.vec", format: nil)
    return 0
}

runFuzzer()
