import FuzzChecks

/// libFuzzer's entry point for the `xz` target (see FuzzTarget.xz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.xz, data, size)
}
