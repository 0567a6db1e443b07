-- Starting the clifford server: `vim.lsp.config`/`vim.lsp.enable` on Neovim 0.11 and newer,
-- a FileType autocommand with `vim.lsp.start` on 0.9 and 0.10. Also small wrappers for the client
-- API, whose calling convention changed in 0.11 (`client:request` instead of `client.request`).
local M = {}

local has_011 = vim.fn.has('nvim-0.11') == 1
local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients

M.name = 'clifford'

function M.request(client, method, params, handler, bufnr)
  if has_011 then return client:request(method, params, handler, bufnr) end
  return client.request(method, params, handler, bufnr)
end

function M.request_sync(client, method, params, timeout, bufnr)
  if has_011 then return client:request_sync(method, params, timeout, bufnr) end
  return client.request_sync(method, params, timeout, bufnr)
end

local function stop(client)
  if has_011 then client:stop() else client.stop() end
end

local function is_stopped(client)
  if has_011 then return client:is_stopped() end
  return client.is_stopped()
end

--- The clifford client attached to `bufnr`, else any running clifford client.
function M.client(bufnr)
  if bufnr then
    local attached = get_clients({ name = M.name, bufnr = bufnr })
    if attached[1] then return attached[1] end
  end
  return get_clients({ name = M.name })[1]
end

--- Buffers named `clifford-clif:…` (generated CLIF) and other non-file buffers get no client.
local function is_source_buffer(bufnr)
  return vim.bo[bufnr].buftype == '' and not vim.api.nvim_buf_get_name(bufnr):find('clifford-clif:', 1, true)
end

local function root_of(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local found = vim.fs.find(markers, { upward = true, path = vim.fs.dirname(name) })[1]
  return found and vim.fs.dirname(found) or vim.fs.dirname(name)
end

local function capabilities()
  local base = vim.lsp.protocol.make_client_capabilities()
  -- The server then announces changes of generated CLIF with `clifford/didChangeGeneratedClif`.
  base.experimental = vim.tbl_extend('force', base.experimental or {}, { cliffordGeneratedClifChanged = true })
  return base
end

local function settings_table(settings)
  if next(settings) == nil then return vim.empty_dict() end
  return settings
end

local function handlers()
  local view = require('clifford.view')
  return {
    ['clifford/didChangeGeneratedClif'] = function(_, params, ctx)
      view.generated_changed(params and params.uri, ctx.client_id)
    end,
    ['workspace/textDocumentContent/refresh'] = function(_, params, ctx)
      view.generated_changed(params and params.uri, ctx.client_id)
      return vim.NIL
    end,
  }
end

--- The client configuration shared by both registration paths.
function M.client_config(options)
  local settings = settings_table(options.settings)
  return {
    name = M.name,
    cmd = options.cmd,
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    settings = { clifford = settings },
    init_options = settings,
    capabilities = capabilities(),
    handlers = handlers(),
  }
end

local legacy_group

local function uses_config_api(options)
  return has_011 and not options.use_lsp_start
end

function M.register(options)
  local config = M.client_config(options)
  if legacy_group then
    vim.api.nvim_del_augroup_by_id(legacy_group)
    legacy_group = nil
  end
  if uses_config_api(options) then
    config.root_dir = function(bufnr, on_dir)
      if is_source_buffer(bufnr) then on_dir(root_of(bufnr, options.root_markers)) end
    end
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
    return
  end
  legacy_group = vim.api.nvim_create_augroup('clifford.lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = legacy_group,
    pattern = options.filetypes,
    callback = function(args) M.start_legacy(args.buf, config, options) end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(options.filetypes, vim.bo[bufnr].filetype) then
      M.start_legacy(bufnr, config, options)
    end
  end
end

function M.start_legacy(bufnr, config, options)
  if not is_source_buffer(bufnr) then return end
  local started = vim.deepcopy(config)
  started.root_dir = root_of(bufnr, options.root_markers)
  started.filetypes = nil
  started.root_markers = nil
  vim.lsp.start(started, { bufnr = bufnr })
end

--- Stops every clifford client, waits for it to end, and starts it again for the same buffers.
function M.restart(options)
  local buffers = {}
  local clients = get_clients({ name = M.name })
  for _, client in ipairs(clients) do
    for bufnr in pairs(client.attached_buffers) do table.insert(buffers, bufnr) end
    stop(client)
  end
  vim.wait(5000, function()
    for _, client in ipairs(clients) do
      if not is_stopped(client) then return false end
    end
    return true
  end, 20)
  local config = M.client_config(options)
  for _, bufnr in ipairs(buffers) do
    if vim.api.nvim_buf_is_valid(bufnr) then
      if uses_config_api(options) then
        vim.api.nvim_exec_autocmds('FileType', { group = 'nvim.lsp.enable', buffer = bufnr })
      else
        M.start_legacy(bufnr, config, options)
      end
    end
  end
  return #clients
end

return M
