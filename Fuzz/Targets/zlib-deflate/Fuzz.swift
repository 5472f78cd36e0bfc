import FuzzChecks

/// libFuzzer's entry point for the `zlib-deflate` target (see FuzzTarget.zlibDeflate).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.zlibDeflate, data, size)
}
