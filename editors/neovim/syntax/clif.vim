" Cranelift IR (CLIF) text, as `clifford translate` and Cranelift's filetests write it.
if exists('b:current_syntax') | finish | endif

syn keyword clifHeader test set target function
syn keyword clifCallConv tail fast cold system_v windows_fastcall apple_aarch64 probestack winch
syn keyword clifFlag notrap aligned readonly can_move little big checked heap table vmctx sext uext sret
syn match clifType '\<[if]\(8\|16\|32\|64\|128\)\(x\d\+\)\?\>'
syn match clifValue '\<v\d\+\>'
syn match clifBlock '\<block\d\+\>'
syn match clifEntity '\<\(gv\|sig\|fn\|ss\|dss\|jt\|region\|const\|mt\)\d\+\>'
syn match clifSourceLoc '^\s*@\x\+'
syn match clifNumber '\<-\?\(0x[0-9a-fA-F_.]\+\(p[-+]\?\d\+\)\?\|\d[0-9_]*\(\.\d\+\)\?\)\>'
syn match clifOpcode '\(=\s*\|^\s*\(@\x\+\s\+\)\?\)\@<=[a-z_][a-z0-9_]*\(\.[a-z0-9]\+\)\?\>'
syn match clifFunctionName '\(%[A-Za-z0-9_]\+\|u\d\+:\d\+\)'
syn region clifString start=+"+ skip=+\\"+ end=+"+
syn match clifComment ';.*$'

hi def link clifHeader Keyword
hi def link clifCallConv StorageClass
hi def link clifFlag StorageClass
hi def link clifType Type
hi def link clifValue Identifier
hi def link clifBlock Label
hi def link clifEntity Identifier
hi def link clifSourceLoc Special
hi def link clifNumber Number
hi def link clifOpcode Statement
hi def link clifFunctionName Function
hi def link clifString String
hi def link clifComment Comment

let b:current_syntax = 'clif'
