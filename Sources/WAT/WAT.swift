// WAT: WebAssembly text and .wast scripts — lexer, error-tolerant parser, name resolution, encoder with offset map.
