-- Driven by NeovimTests.swift: Neovim started with an init.lua copied from a README (so not with
-- --clean) and `clifford` on PATH, as a new user would have it. Open the fixture .wat, press `K` on
-- `i32.load` and read the hover window, then run :CliffordShowClif.
local result_file = os.getenv('CLIFFORD_RESULT')
local wat_file = os.getenv('CLIFFORD_WAT')
local out = {}
local function say(key, value) table.insert(out, key .. '=' .. tostring(value)) end

local ok, failure = pcall(function()
  local analysed = false
  vim.api.nvim_create_autocmd('DiagnosticChanged', { callback = function() analysed = true end })
  vim.cmd.edit(wat_file)
  local wat = vim.api.nvim_get_current_buf()
  say('attached', vim.wait(10000, function()
    local client = vim.lsp.get_clients({ name = 'clifford', bufnr = wat })[1]
    return client ~= nil and client.initialized == true
  end, 20))
  for number, text in ipairs(vim.api.nvim_buf_get_lines(wat, 0, -1, false)) do
    local found = text:find('i32.load offset', 1, true)
    if found then vim.api.nvim_win_set_cursor(0, { number, found - 1 }) break end
  end
  -- Wait for the first analysis, as a user reading the file would.
  say('analysed', vim.wait(10000, function() return analysed end, 20))
  vim.cmd.normal('K')
  local hover = ''
  say('hover_window', vim.wait(10000, function()
    for _, window in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(window).relative ~= '' then
        hover = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(window), 0, -1, false), '\n')
        return hover:find('load.i32', 1, true) ~= nil
      end
    end
    return false
  end, 20))
  say('hover_has_load', hover:find('load.i32', 1, true) ~= nil)
  for _, window in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(window).relative ~= '' then vim.api.nvim_win_close(window, true) end
  end
  vim.cmd('CliffordShowClif')
  local views = 0
  for _, window in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    local text = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(window), 0, 1, false)[1] or ''
    if text:find('^; CLIF generated') then views = views + 1 end
  end
  say('clif_split', views == 1)
end)
if not ok then say('error', failure) end
local handle = assert(io.open(result_file, 'w'))
handle:write(table.concat(out, '\n') .. '\n')
handle:close()
vim.cmd('qa!')
