-- Driven by NeovimTests.swift. Neovim was started with editors/neovim on its runtimepath, so the
-- plugin loaded as it does for a user. This script: open the fixture .wat, wait for diagnostics,
-- hover `i32.load`, jump into the generated CLIF with vim.lsp.buf.definition and back with the
-- view's `gd`, run :CliffordShowClif, move the cursor and wait for the highlight, edit the WAT and
-- wait for the split to follow, then :CliffordRestart. Every step writes `key=value` lines to
-- $CLIFFORD_RESULT; the split's text goes to $CLIFFORD_SPLIT for the Swift side to compare.
local binary = os.getenv('CLIFFORD_BIN')
local result_file = os.getenv('CLIFFORD_RESULT')
local split_file = os.getenv('CLIFFORD_SPLIT')
local wat_file = os.getenv('CLIFFORD_WAT')
local log_file = os.getenv('CLIFFORD_LOG')
local out = {}

local function say(key, value) table.insert(out, key .. '=' .. tostring(value)) end

local function write(path, text)
  local handle = assert(io.open(path, 'w'))
  handle:write(text)
  handle:close()
end

local function finish()
  write(result_file, table.concat(out, '\n') .. '\n')
  vim.cmd('qa!')
end

local ok, failure = pcall(function()
  say('plugin_loaded', vim.g.loaded_clifford == true)
  local clifford = require('clifford')
  local use_lsp_start = os.getenv('CLIFFORD_NVIM_LSP_START') == '1'
  clifford.setup({ cmd = { binary, 'serve', '--log-file', log_file }, settings = { debounceMs = 20 },
                   highlight_debounce_ms = 10, use_lsp_start = use_lsp_start })
  say('registration', use_lsp_start and 'lsp.start' or (vim.lsp.config and vim.lsp.is_enabled and vim.lsp.is_enabled('clifford') and 'lsp.enable' or 'none'))

  vim.cmd.edit(wat_file)
  local wat = vim.api.nvim_get_current_buf()
  local wat_window = vim.api.nvim_get_current_win()
  say('filetype', vim.bo[wat].filetype)

  local published = 0
  vim.api.nvim_create_autocmd('DiagnosticChanged', { buffer = wat, callback = function() published = published + 1 end })
  local attached = vim.wait(10000, function()
    local client = clifford.client(wat)
    return client ~= nil and client.initialized == true
  end, 20)
  say('attached', attached)
  local first_client = clifford.client(wat)
  say('experimental_capability', first_client and first_client.config.capabilities.experimental.cliffordGeneratedClifChanged)
  say('diagnostics_published', vim.wait(15000, function() return published > 0 end, 20))
  say('diagnostic_count', #vim.diagnostic.get(wat))

  -- `i32.load` in $load.
  local load_line, load_col
  for number, text in ipairs(vim.api.nvim_buf_get_lines(wat, 0, -1, false)) do
    local found = text:find('i32.load offset', 1, true)
    if found then load_line, load_col = number - 1, found - 1 break end
  end
  vim.api.nvim_win_set_cursor(wat_window, { load_line + 1, load_col })

  local params = vim.lsp.util.make_position_params(wat_window, first_client.offset_encoding)
  local hover_text = ''
  for _, response in pairs(vim.lsp.buf_request_sync(wat, 'textDocument/hover', params, 10000) or {}) do
    if response.result and response.result.contents then hover_text = response.result.contents.value or '' end
  end
  say('hover_has_clif', hover_text:find('```clif', 1, true) ~= nil)
  say('hover_has_load', hover_text:find('load.i32', 1, true) ~= nil)

  -- Definition into the generated CLIF with the plugin's `gd`.
  say('gd_mapped', vim.fn.maparg('gd', 'n', false, true).buffer == 1)
  vim.cmd.normal('gd')
  local jumped = vim.wait(10000, function() return vim.b[vim.api.nvim_get_current_buf()].clifford_uri ~= nil end, 20)
  say('definition_jumped', jumped)
  local generated = vim.api.nvim_get_current_buf()
  say('definition_uri', vim.b[generated].clifford_uri)
  say('definition_filetype', vim.bo[generated].filetype)
  say('definition_line', vim.api.nvim_get_current_line())

  -- And back, with the generated buffer's `gd`.
  vim.cmd.normal('gd')
  local back = vim.wait(10000, function() return vim.api.nvim_get_current_buf() == wat end, 20)
  say('back_to_wat', back)
  say('back_line', vim.api.nvim_win_get_cursor(0)[1] - 1 == load_line)
  vim.cmd.buffer(wat)
  vim.cmd.only()

  -- :CliffordShowClif with the cursor in $load.
  vim.api.nvim_win_set_cursor(0, { load_line + 1, load_col })
  vim.cmd('CliffordShowClif')
  local windows = vim.api.nvim_tabpage_list_wins(0)
  say('windows', #windows)
  say('focus_stays', vim.api.nvim_get_current_buf() == wat)
  local view
  for _, window in ipairs(windows) do
    local bufnr = vim.api.nvim_win_get_buf(window)
    if vim.b[bufnr].clifford_uri then view = bufnr end
  end
  say('view', view ~= nil)
  if view then
    local position = vim.fn.win_screenpos(vim.fn.win_findbuf(view)[1])
    say('view_is_right', position[2] > 1)
    write(split_file, table.concat(vim.api.nvim_buf_get_lines(view, 0, -1, false), '\n') .. '\n')

    -- The function under the cursor, as `clifford/clifAtPosition` places it in the split.
    local at = vim.lsp.buf_request_sync(wat, 'clifford/clifAtPosition',
      vim.lsp.util.make_position_params(wat_window, first_client.offset_encoding), 10000)
    for _, response in pairs(at or {}) do
      local found = response.result
      if type(found) == 'table' and found.range then
        local range_lines = vim.api.nvim_buf_get_lines(view, found.range.start.line, found.range['end'].line, false)
        local in_split = table.concat(range_lines, '\n') .. '\n'
        say('function_index', found['function'].index)
        say('function_text_is_range', in_split == found.text)
        write(split_file .. '.function', in_split)
      end
    end

    -- The highlight follows the cursor (`clifford/clifAtPosition`).
    vim.api.nvim_win_set_cursor(0, { load_line + 1, load_col + 1 })
    vim.api.nvim_exec_autocmds('CursorMoved', { buffer = wat })
    local highlighted = vim.wait(5000, function()
      return vim.b[view].clifford_highlights ~= nil and #vim.b[view].clifford_highlights > 0
    end, 20)
    say('highlighted', highlighted)
    local lines = vim.b[view].clifford_highlights or {}
    local all_load = #lines > 0
    for _, line in ipairs(lines) do
      local text = vim.api.nvim_buf_get_lines(view, line, line + 1, false)[1] or ''
      if not text:find('@', 1, true) then all_load = false end
    end
    say('highlight_lines', #lines)
    say('highlight_has_load', #lines > 0 and vim.api.nvim_buf_get_lines(view, lines[#lines], lines[#lines] + 1, false)[1]:find('load.i32', 1, true) ~= nil)
    say('highlight_all_located', all_load)
    local marks = vim.api.nvim_buf_get_extmarks(view, vim.api.nvim_get_namespaces()['clifford.clif'], 0, -1, {})
    say('extmarks', #marks)

    -- An edit in the WAT updates the split: a new constant appears in the generated CLIF.
    local before = vim.b[view].clifford_changedtick or 0
    for number, text in ipairs(vim.api.nvim_buf_get_lines(wat, 0, -1, false)) do
      if text:find('f64.const 1.5e3', 1, true) then
        vim.api.nvim_buf_set_lines(wat, number - 1, number, false, { (text:gsub('1%.5e3', '2.25')) })
      end
    end
    local updated = vim.wait(15000, function()
      local text = table.concat(vim.api.nvim_buf_get_lines(view, 0, -1, false), '\n')
      return (vim.b[view].clifford_changedtick or 0) > before and text:find('f64const 0x1.2000000000000p1', 1, true) ~= nil
    end, 20)
    say('split_updated', updated)
    say('change_notified', require('clifford.view').notifies(first_client.id))
  end

  -- :CliffordRestart brings up a new client for the same buffer.
  vim.cmd('CliffordRestart')
  local restarted = vim.wait(10000, function()
    local client = clifford.client(wat)
    return client ~= nil and client.id ~= first_client.id and client.initialized == true
  end, 20)
  say('restarted', restarted)

  -- The other filetypes.
  vim.cmd.edit(vim.fs.dirname(wat_file) .. '/sample.clif')
  say('clif_filetype', vim.bo.filetype)
  say('clif_attached', vim.wait(10000, function() return #vim.lsp.get_clients({ name = 'clifford', bufnr = 0 }) > 0 end, 20))
  vim.cmd.edit(vim.fs.dirname(wat_file) .. '/sample.wast')
  say('wast_filetype', vim.bo.filetype)
  say('wast_attached', vim.wait(10000, function() return #vim.lsp.get_clients({ name = 'clifford', bufnr = 0 }) > 0 end, 20))
end)
if not ok then say('error', failure) end
finish()
