// libFuzzer target: word2vec binary vector files.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    VectorReaders.read(fuzzBytes(data, size), name: "fuzz.bin", format: .word2vecBinary)
    return 0
}

runFuzzer()
