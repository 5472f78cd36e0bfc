import FuzzChecks

/// libFuzzer's entry point for the `differential` target (see FuzzTarget.differential).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.differential, data, size)
}
