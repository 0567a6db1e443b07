-- Generated-CLIF buffers: the `clifford-clif:<WAT uri>` documents the server generates for a WAT
-- or WAST buffer, shown read-only (`:CliffordShowClif`, or a definition jump from WAT), refreshed
-- when the server reports a change, with the CLIF of the WAT instruction under the cursor
-- highlighted.
local lsp = require('clifford.lsp')
local config = require('clifford.config')

local M = {}

local namespace = vim.api.nvim_create_namespace('clifford.clif')
local uv = vim.uv or vim.loop
local scheme = 'clifford-clif:'

-- Clients that sent `clifford/didChangeGeneratedClif` at least once; for the others the views
-- refresh whenever the WAT buffer's diagnostics change (each analysis publishes them).
local notifying_clients = {}
-- Per WAT buffer: its debounce timer.
local timers = {}

--- The server's URI of a generated buffer (Neovim turns the buffer name into a path).
function M.uri_of(bufnr)
  local uri = vim.b[bufnr].clifford_uri
  if uri then return uri end
  return vim.api.nvim_buf_get_name(bufnr):match('(clifford%-clif:.*)$')
end

--- The WAT document a generated URI belongs to.
local function source_uri(uri)
  return (uri:sub(#scheme + 1):gsub('#module=%d+$', ''))
end

local function source_buffer(uri)
  return vim.uri_to_bufnr(source_uri(uri))
end

--- Generated buffers that are loaded, optionally only those of one WAT buffer.
local function generated_buffers(source)
  local found = {}
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.b[bufnr].clifford_uri
        and (source == nil or vim.b[bufnr].clifford_source == source) then
      table.insert(found, bufnr)
    end
  end
  return found
end

local function set_text(bufnr, text)
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then table.remove(lines) end
  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].modified = false
  vim.b[bufnr].clifford_changedtick = (vim.b[bufnr].clifford_changedtick or 0) + 1
end

local function content_params(uri) return { uri = uri } end

local function fallback_params(uri) return { textDocument = { uri = uri } } end

--- Asks for the text of a generated document: `workspace/textDocumentContent`, else
--- `clifford/generatedClif`. `callback(text | nil, message | nil)`.
local function fetch(uri, callback)
  local source = source_buffer(uri)
  local client = lsp.client(source)
  if not client then return callback(nil, 'no clifford server is running for ' .. source_uri(uri)) end
  lsp.request(client, 'workspace/textDocumentContent', content_params(uri), function(err, result)
    if err and err.code == -32601 then
      lsp.request(client, 'clifford/generatedClif', fallback_params(uri), function(err2, result2)
        if err2 or not result2 then return callback(nil, err2 and err2.message or 'no CLIF') end
        callback(result2.text)
      end, source)
      return
    end
    if err or not result then return callback(nil, err and err.message or 'no CLIF') end
    callback(result.text)
  end, source)
end

--- The same, waiting for the answer (used while Neovim loads the buffer).
local function fetch_sync(uri)
  local source = source_buffer(uri)
  local client = lsp.client(source)
  if not client then return nil, 'no clifford server is running for ' .. source_uri(uri) end
  local response = lsp.request_sync(client, 'workspace/textDocumentContent', content_params(uri), 10000, source)
  if response and response.err and response.err.code == -32601 then
    response = lsp.request_sync(client, 'clifford/generatedClif', fallback_params(uri), 10000, source)
  end
  if not response then return nil, 'the server did not answer' end
  if response.err or not response.result then
    return nil, response.err and response.err.message or 'no CLIF'
  end
  return response.result.text
end

local function set_keymaps(bufnr)
  local keys = config.options.keymaps
  if not keys then return end
  if keys.definition then
    vim.keymap.set('n', keys.definition, M.definition, { buffer = bufnr, desc = 'clifford: back to the WAT instruction' })
  end
  if keys.hover then
    vim.keymap.set('n', keys.hover, M.hover, { buffer = bufnr, desc = 'clifford: hover' })
  end
end

--- Turns a freshly loaded buffer named `…clifford-clif:<uri>` into a generated-CLIF view.
function M.load(bufnr)
  local uri = M.uri_of(bufnr)
  if not uri then return end
  vim.b[bufnr].clifford_uri = uri
  vim.b[bufnr].clifford_source = source_buffer(uri)
  vim.bo[bufnr].buftype = 'nofile'
  vim.bo[bufnr].bufhidden = 'hide'
  vim.bo[bufnr].swapfile = false
  local text, message = fetch_sync(uri)
  set_text(bufnr, text or ('; ' .. (message or 'no CLIF')))
  vim.bo[bufnr].filetype = 'clif'
  set_keymaps(bufnr)
  M.track(vim.b[bufnr].clifford_source)
end

--- Fetches the text again for every loaded generated buffer of `uri` (or of all when nil).
function M.refresh(uri)
  for _, bufnr in ipairs(generated_buffers()) do
    local own = vim.b[bufnr].clifford_uri
    if uri == nil or own == uri then
      fetch(own, function(text)
        if text and vim.api.nvim_buf_is_valid(bufnr) then
          set_text(bufnr, text)
          M.highlight(vim.b[bufnr].clifford_source)
        end
      end)
    end
  end
end

--- Whether the client `client_id` announced changes of generated CLIF itself.
function M.notifies(client_id) return notifying_clients[client_id] == true end

function M.generated_changed(uri, client_id)
  notifying_clients[client_id] = true
  M.refresh(uri)
end

local function window_of(bufnr)
  return vim.fn.win_findbuf(bufnr)[1]
end

local function client_for(source)
  local client = lsp.client(source)
  return client, client and client.offset_encoding or 'utf-16'
end

--- Asks the server which CLIF lines the instruction under the cursor generated and highlights
--- them in the views of `source` that are on screen.
function M.highlight(source)
  source = source or vim.api.nvim_get_current_buf()
  local views = vim.tbl_filter(function(b) return window_of(b) ~= nil end, generated_buffers(source))
  if #views == 0 then return end
  local win = window_of(source)
  local client, encoding = client_for(source)
  if not win or not client then return end
  local params = vim.lsp.util.make_position_params(win, encoding)
  lsp.request(client, 'clifford/clifAtPosition', params, function(err, result)
    for _, bufnr in ipairs(views) do
      if vim.api.nvim_buf_is_valid(bufnr) then
        vim.api.nvim_buf_clear_namespace(bufnr, namespace, 0, -1)
        vim.b[bufnr].clifford_highlights = {}
      end
    end
    if err or type(result) ~= 'table' then return end
    local target = vim.uri_to_bufnr(result.uri)
    if not vim.api.nvim_buf_is_loaded(target) then return end
    local count = vim.api.nvim_buf_line_count(target)
    local lines = {}
    for _, range in ipairs(result.highlights or {}) do
      local last = range['end'].line
      if range['end'].character == 0 and last > range.start.line then last = last - 1 end
      for line = range.start.line, math.min(last, count - 1) do
        vim.api.nvim_buf_set_extmark(target, namespace, line, 0, { line_hl_group = 'CliffordClifHighlight' })
        table.insert(lines, line)
      end
    end
    vim.b[target].clifford_highlights = lines
    local view_window = window_of(target)
    if view_window and lines[1] then
      local top, bottom = vim.fn.line('w0', view_window), vim.fn.line('w$', view_window)
      if lines[1] + 1 < top or lines[1] + 1 > bottom then
        vim.api.nvim_win_set_cursor(view_window, { lines[1] + 1, 0 })
      end
    end
  end, source)
end

local function schedule_highlight(source)
  local timer = timers[source]
  if not timer then
    timer = uv.new_timer()
    timers[source] = timer
  end
  timer:stop()
  timer:start(config.options.highlight_debounce_ms, 0, vim.schedule_wrap(function()
    if vim.api.nvim_buf_is_valid(source) then M.highlight(source) end
  end))
end

--- Follows cursor moves and analyses of the WAT buffer `source` (once per buffer).
function M.track(source)
  if not source or vim.b[source].clifford_tracked then return end
  vim.b[source].clifford_tracked = true
  local group = vim.api.nvim_create_augroup('clifford.track.' .. source, { clear = true })
  vim.api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI' }, {
    group = group, buffer = source, callback = function() schedule_highlight(source) end,
  })
  vim.api.nvim_create_autocmd('DiagnosticChanged', {
    group = group, buffer = source,
    callback = function()
      local client = lsp.client(source)
      if client and notifying_clients[client.id] then return end
      for _, bufnr in ipairs(generated_buffers(source)) do M.refresh(vim.b[bufnr].clifford_uri) end
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group, buffer = source,
    callback = function()
      if timers[source] then timers[source]:close() timers[source] = nil end
      pcall(vim.api.nvim_del_augroup_by_id, group)
    end,
  })
end

--- `:CliffordShowClif`: the generated CLIF of the current WAT/WAST buffer in a vertical split.
--- For a WAST script it is the module under the cursor.
function M.show()
  local source = vim.api.nvim_get_current_buf()
  if vim.b[source].clifford_uri then return end
  local client, encoding = client_for(source)
  if not client then
    vim.notify('clifford: no server is attached to this buffer', vim.log.levels.ERROR)
    return
  end
  local uri = scheme .. vim.uri_from_bufnr(source)
  local response = lsp.request_sync(client, 'clifford/clifAtPosition',
    vim.lsp.util.make_position_params(0, encoding), 5000, source)
  if response and response.result and type(response.result) == 'table' and response.result.uri then
    uri = response.result.uri
  end
  local bufnr = vim.uri_to_bufnr(uri)
  local window = window_of(bufnr)
  if window then
    M.refresh(uri)
  else
    local origin = vim.api.nvim_get_current_win()
    vim.cmd('vertical rightbelow sbuffer ' .. bufnr)
    if config.options.split_width then vim.cmd('vertical resize ' .. config.options.split_width) end
    if not vim.b[bufnr].clifford_uri then M.load(bufnr) end
    vim.api.nvim_set_current_win(origin)
  end
  M.track(source)
  M.highlight(source)
end

local function request_here(method)
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.b[bufnr].clifford_uri
  local source = uri and source_buffer(uri) or bufnr
  local client, encoding = client_for(source)
  if not client then return end
  local params = vim.lsp.util.make_position_params(0, encoding)
  params.textDocument.uri = uri or params.textDocument.uri
  return client, encoding, params, source
end

--- Definition from a generated-CLIF buffer: back to the WAT instruction of the line's `@offset`.
function M.definition()
  local client, encoding, params, source = request_here('textDocument/definition')
  if not client then return end
  lsp.request(client, 'textDocument/definition', params, function(err, result)
    if err or not result then return end
    local location = vim.islist and vim.islist(result) and result[1] or (result[1] or result)
    if not location or not (location.uri or location.targetUri) then return end
    vim.lsp.util.show_document(location, encoding, { focus = true, reuse_win = true })
  end, source)
end

--- Definition from a WAT/WAST buffer: the server answers with every CLIF line the instruction
--- generated; jump to the first (into the generated buffer) and keep all in the quickfix list.
function M.source_definition()
  local client, encoding = client_for(vim.api.nvim_get_current_buf())
  if not client then return end
  vim.lsp.buf.definition({
    on_list = function(list)
      local items = list.items or {}
      if #items == 0 then return end
      vim.fn.setqflist({}, ' ', { title = list.title, items = items })
      local first = items[1]
      if first.user_data and (first.user_data.uri or first.user_data.targetUri) then
        vim.lsp.util.show_document(first.user_data, encoding, { focus = true, reuse_win = true })
      else
        vim.cmd.edit(vim.fn.fnameescape(first.filename))
        vim.api.nvim_win_set_cursor(0, { first.lnum, math.max(first.col - 1, 0) })
      end
    end,
  })
end

--- Hover in a generated-CLIF buffer.
function M.hover()
  local client, _, params, source = request_here('textDocument/hover')
  if not client then return end
  lsp.request(client, 'textDocument/hover', params, function(err, result)
    if err or not result or not result.contents then return end
    local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
    vim.lsp.util.open_floating_preview(lines, 'markdown', { border = 'rounded' })
  end, source)
end

return M
