-- The plugin's options: defaults, merged with what `require('clifford').setup(opts)` is given.
local M = {}

M.defaults = {
  -- How Neovim starts the server; `clifford` must be on PATH unless a full path is given.
  cmd = { 'clifford', 'serve' },
  filetypes = { 'wat', 'wast', 'clif' },
  root_markers = { '.git' },
  -- Start the server from a FileType autocommand with `vim.lsp.start`, as on Neovim 0.9 and 0.10,
  -- even where `vim.lsp.config`/`vim.lsp.enable` exist (0.11 and newer).
  use_lsp_start = false,
  -- The server's settings (protocol/README.md): debounceMs, target, optimize, wasm, codegen,
  -- diagnostics. Sent as initializationOptions and as the `clifford` configuration section.
  settings = {},
  -- Milliseconds between the last cursor move in a WAT buffer and the CLIF highlight request.
  highlight_debounce_ms = 100,
  -- Width of the `:CliffordShowClif` split in columns (nil: half the window).
  split_width = nil,
  -- Buffer-local mappings in generated-CLIF buffers (false to leave them out).
  keymaps = { definition = 'gd', hover = 'K' },
}

M.options = vim.deepcopy(M.defaults)

function M.apply(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- Lists replace rather than merge.
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
    if opts and opts[key] then M.options[key] = opts[key] end
  end
  return M.options
end

return M
