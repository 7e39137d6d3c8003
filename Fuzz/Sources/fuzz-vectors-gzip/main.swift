// libFuzzer target: gzip-compressed vector files (corrupt streams and valid streams of fuzzed content).
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    VectorReaders.readGzip(fuzzBytes(data, size))
    return 0
}

runFuzzer()
