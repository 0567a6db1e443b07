// WasmTests: Swift Testing suites for this target.
