import FuzzChecks

/// libFuzzer's entry point for the `gzip-isal` target (see FuzzTarget.gzipIsal).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.gzipIsal, data, size)
}
