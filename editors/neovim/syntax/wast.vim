" WebAssembly spec scripts (.wast): WAT plus the script commands.
if exists('b:current_syntax') | finish | endif
runtime! syntax/wat.vim
unlet! b:current_syntax
syn match wastCommand '\<\(assert_[a-z_]\+\|invoke\|register\|get\|module\s\+\(quote\|binary\|definition\|instance\)\)\>'
hi def link wastCommand PreProc
let b:current_syntax = 'wast'
