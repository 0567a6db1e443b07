// Wasm: the WebAssembly binary format — instruction table, module model, decoder with offsets, validator, printer.
