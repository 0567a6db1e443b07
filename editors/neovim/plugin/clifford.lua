-- Loaded once at startup by any plugin manager (or `vim.opt.runtimepath:append(...)`).
if vim.g.loaded_clifford then return end
vim.g.loaded_clifford = true

vim.api.nvim_set_hl(0, 'CliffordClifHighlight', { default = true, link = 'Visual' })

vim.api.nvim_create_user_command('CliffordShowClif', function() require('clifford').show_clif() end,
  { desc = 'clifford: show the generated CLIF of this WAT buffer in a vertical split' })
vim.api.nvim_create_user_command('CliffordRestart', function() require('clifford').restart() end,
  { desc = 'clifford: restart the language server' })

-- Generated CLIF documents (`clifford-clif:<WAT uri>`): Neovim files them under the current
-- directory; a pattern with a slash is matched against the whole name.
vim.api.nvim_create_autocmd('BufReadCmd', {
  group = vim.api.nvim_create_augroup('clifford.generated', { clear = true }),
  pattern = '*/clifford-clif:*',
  callback = function(args) require('clifford.view').load(args.buf) end,
})

-- `gd` in WAT/WAST buffers goes to the first generated CLIF line (Neovim's own definition
-- opens a quickfix list when an instruction generated several).
vim.api.nvim_create_autocmd('LspAttach', {
  group = vim.api.nvim_create_augroup('clifford.attach', { clear = true }),
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    local keys = require('clifford.config').options.keymaps
    if not client or client.name ~= 'clifford' or not keys or not keys.definition then return end
    local filetype = vim.bo[args.buf].filetype
    if filetype == 'wat' or filetype == 'wast' then
      vim.keymap.set('n', keys.definition, require('clifford.view').source_definition,
        { buffer = args.buf, desc = 'clifford: definition (generated CLIF)' })
    end
  end,
})

-- Without an explicit `require('clifford').setup{...}` in the user's config, start with defaults.
-- A setup call after this one (as lazy.nvim's `opts` makes) replaces them.
if vim.g.clifford_auto_setup ~= false then
  vim.schedule(function()
    if not require('clifford').configured then require('clifford').setup() end
  end)
end
