// libFuzzer target: model files (model.h5, with the checkpoint) through libhdf5.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ArtifactReaders.readModel(fuzzBytes(data, size))
    return 0
}

runFuzzer()
