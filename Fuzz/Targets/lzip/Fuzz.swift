import FuzzChecks

/// libFuzzer's entry point for the `lzip` target (see FuzzTarget.lzip).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.run(.lzip, data, size)
}
