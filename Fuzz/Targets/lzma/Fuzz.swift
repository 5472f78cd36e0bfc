import FuzzChecks

/// libFuzzer's entry point for the `lzma` target (see FuzzTarget.lzma).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.lzma, data, size)
}
