-- Driven by NeovimTests.swift: open a .wat file, start clifford with vim.lsp.start, wait until
-- the client has attached and initialised, write what we saw to $CLIFFORD_RESULT, and quit.
local binary = os.getenv('CLIFFORD_BIN')
local status_file = os.getenv('CLIFFORD_STATUS')
local result_file = os.getenv('CLIFFORD_RESULT')
local wat_file = os.getenv('CLIFFORD_WAT')
local log_file = os.getenv('CLIFFORD_LOG')

local function write(path, text)
  local handle = assert(io.open(path, 'w'))
  handle:write(text)
  handle:close()
end

vim.cmd.edit(wat_file)
vim.bo.filetype = 'wat'

-- The shell wrapper records the server's exit status once it has ended.
local command = string.format('%s serve --log-file %s; echo $? > %s',
  vim.fn.shellescape(binary), vim.fn.shellescape(log_file), vim.fn.shellescape(status_file))

local client_id = vim.lsp.start({
  name = 'clifford',
  cmd = { 'sh', '-c', command },
  root_dir = vim.fs.dirname(wat_file),
})

local attached = vim.wait(10000, function()
  local client = client_id and vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized and vim.lsp.buf_is_attached(0, client_id)
end, 20)

local client = client_id and vim.lsp.get_client_by_id(client_id)
local lines = {
  'attached=' .. tostring(attached),
  'name=' .. tostring(client and client.server_info and client.server_info.name),
  'encoding=' .. tostring(client and client.offset_encoding),
  'sync=' .. tostring(client and client.server_capabilities and client.server_capabilities.textDocumentSync
    and client.server_capabilities.textDocumentSync.change),
}
write(result_file, table.concat(lines, '\n') .. '\n')

-- An edit goes out as an incremental didChange before we quit.
vim.api.nvim_buf_set_lines(0, 0, 0, false, { ';; edited in Neovim' })
vim.wait(200)
vim.cmd('qa!')
