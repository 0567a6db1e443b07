-- clifford for Neovim: starts the clifford language server for WAT, WAST and CLIF buffers and
-- shows the CLIF Wasmtime generates for a WAT buffer beside it. See editors/neovim/README.md.
local config = require('clifford.config')
local lsp = require('clifford.lsp')

local M = {}

M.configured = false

--- Registers the server with `opts` (see lua/clifford/config.lua for the keys and defaults).
--- May be called again to change them; running clients keep theirs until `:CliffordRestart`.
function M.setup(opts)
  local options = config.apply(opts)
  lsp.register(options)
  M.configured = true
  return options
end

function M.show_clif() require('clifford.view').show() end

function M.restart() return lsp.restart(config.options) end

--- The running clifford client of `bufnr` (or any), for scripts.
function M.client(bufnr) return lsp.client(bufnr) end

return M
