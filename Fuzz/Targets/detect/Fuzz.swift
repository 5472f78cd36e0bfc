import FuzzChecks

/// libFuzzer's entry point for the `detect` target (see FuzzTarget.detect).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.detect, data, size)
}
