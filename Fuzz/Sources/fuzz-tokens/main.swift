// libFuzzer target: tokens files (*.tokens.h5) through libhdf5.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ArtifactReaders.readTokens(fuzzBytes(data, size))
    return 0
}

runFuzzer()
