" WAST scripts indent as WAT does.
if exists('b:did_indent') | finish | endif
runtime! indent/wat.vim
