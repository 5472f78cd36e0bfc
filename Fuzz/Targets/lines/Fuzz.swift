import FuzzChecks

/// libFuzzer's entry point for the `lines` target (see FuzzTarget.lines).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.lines, data, size)
}
