// libFuzzer target: TSV lines (label<TAB>text) through DocumentReader and the tokenizer.
import FuzzMain
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    TextReaders.read(fuzzBytes(data, size), source: "fuzz.tsv", format: .tsv)
    return 0
}

runFuzzer()
