import FuzzChecks

/// libFuzzer's entry point for the `gzip-zlib` target (see FuzzTarget.gzipZlib).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.gzipZlib, data, size)
}
