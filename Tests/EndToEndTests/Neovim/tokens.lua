-- Driven by SemanticTokensAndCompletionTests.swift: in a real Neovim, open a .wat file with clifford
-- attached, wait for Neovim's semantic highlighting of `$add` and `i32.add`, ask for completion
-- after `call $`, and write what happened to $CLIFFORD_RESULT.
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
vim.lsp.start({ name = 'clifford', cmd = { binary, 'serve' }, root_dir = vim.fs.dirname(wat_file) })
local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)

local function find(needle)
  for number, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local found = text:find(needle, 1, true)
    if found then return number - 1, found - 1 end
  end
end

-- The highlight groups Neovim's semantic-token support put at a position.
local function groups(row, col)
  local names = {}
  for _, token in ipairs(vim.inspect_pos(bufnr, row, col).semantic_tokens or {}) do
    table.insert(names, token.opts.hl_group)
  end
  return table.concat(names, ',')
end

local add_row, add_col = find('$add')
local op_row, op_col = find('i32.add')
local highlighted = vim.wait(15000, function() return groups(add_row, add_col) ~= '' end, 20)
table.insert(out, 'highlighted=' .. tostring(highlighted))
table.insert(out, 'name_groups=' .. groups(add_row, add_col))
table.insert(out, 'instruction_groups=' .. groups(op_row, op_col))

local call_row, call_col = find('call $')
local completion = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion',
  { textDocument = { uri = uri }, position = { line = call_row, character = call_col + 6 } }, 10000)
local labels = {}
for _, response in pairs(completion or {}) do
  for _, item in ipairs((response.result or {}).items or {}) do table.insert(labels, item.label) end
end
table.insert(out, 'completion=' .. table.concat(labels, ','))
finish()
