-- Driven by NeovimTests.swift: in a real Neovim, open a .wat file with clifford attached, wait for
-- its diagnostics, hover `i32.load`, jump to its definition in the generated CLIF and back, and
-- write what happened to $CLIFFORD_RESULT.
local binary = os.getenv('CLIFFORD_BIN')
local result_file = os.getenv('CLIFFORD_RESULT')
local wat_file = os.getenv('CLIFFORD_WAT')
local out = {}

local function finish()
  local handle = assert(io.open(result_file, 'w'))
  handle:write(table.concat(out, '\n') .. '\n')
  handle:close()
  vim.cmd('qa!')
end

vim.cmd.edit(wat_file)
vim.bo.filetype = 'wat'
local client_id = vim.lsp.start({ name = 'clifford', cmd = { binary, 'serve' }, root_dir = vim.fs.dirname(wat_file) })
local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)

-- Diagnostics arrive for the broken function.
local got_diagnostics = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
table.insert(out, 'diagnostics=' .. tostring(got_diagnostics))
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(out, 'diagnostic=' .. d.lnum .. ':' .. d.col .. ':' .. d.message)
end

-- Find `i32.load` in the buffer.
local line, col
for number, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  local found = text:find('i32.load', 1, true)
  if found then line, col = number - 1, found - 1 break end
end
local params = { textDocument = { uri = uri }, position = { line = line, character = col } }

local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 10000)
local hover_text = ''
for _, response in pairs(hover or {}) do
  if response.result and response.result.contents then hover_text = response.result.contents.value or '' end
end
table.insert(out, 'hover_has_clif=' .. tostring(hover_text:find('```clif', 1, true) ~= nil))
table.insert(out, 'hover_has_load=' .. tostring(hover_text:find('load.i32', 1, true) ~= nil))

local definition = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', params, 10000)
local target
for _, response in pairs(definition or {}) do
  if response.result and response.result[1] then target = response.result[1] end
end
table.insert(out, 'definition_uri=' .. tostring(target and target.uri))

if target then
  local back = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition',
    { textDocument = { uri = target.uri }, position = target.range.start }, 10000)
  for _, response in pairs(back or {}) do
    local location = response.result and response.result[1]
    if location then
      table.insert(out, 'back_uri_matches=' .. tostring(location.uri == uri))
      table.insert(out, 'back_line=' .. tostring(location.range.start.line == line))
    end
  end
end
finish()
