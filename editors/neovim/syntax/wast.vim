" WebAssembly spec scripts (.wast): WAT plus the script commands.
if exists('b:current_syntax') | finish | endif
runtime! syntax/wat.vim
unlet! b:current_syntax
" wat.vim puts everything inside parentheses in its watList region, which takes @watNotTop.
syn keyword wastCommand contained assert_return assert_trap assert_exhaustion assert_malformed
syn keyword wastCommand contained assert_invalid assert_unlinkable assert_exception invoke register get
syn keyword wastCommand contained quote binary
syn cluster watNotTop add=wastCommand
hi def link wastCommand PreProc
let b:current_syntax = 'wast'
