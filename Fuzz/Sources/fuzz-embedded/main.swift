// libFuzzer target: embedded files (*.emb.h5) through libhdf5, every row of /x streamed.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ArtifactReaders.readEmbedded(fuzzBytes(data, size))
    return 0
}

runFuzzer()
