// CLIF: Cranelift IR text — opcode table, lexer, parser with ranges, verifier, printer.
