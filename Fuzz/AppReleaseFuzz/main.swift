#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver, called from our own `main` (SwiftPM gives an executable target its entry
/// point, so libFuzzer's `main` is not linked in). It reads libFuzzer's usual arguments.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

// Read once, before the first input: a wrong name stops the run with the list of targets.
_ = FuzzTarget.selected
var argumentCount = CommandLine.argc
var arguments = CommandLine.unsafeArgv
exit(
    LLVMFuzzerRunDriver(&argumentCount, &arguments) { data, size in
        FuzzTarget.selected.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    })
