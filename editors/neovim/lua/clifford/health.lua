-- `:checkhealth clifford`: is the server there, which version, and does Neovim fit.
local M = {}

local health = vim.health

function M.check()
  health.start('clifford')
  if vim.fn.has('nvim-0.9') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()) .. (vim.fn.has('nvim-0.11') == 1
      and ' (vim.lsp.config/vim.lsp.enable)' or ' (vim.lsp.start)'))
  else
    health.error('Neovim 0.9 or newer is needed')
  end
  local options = require('clifford.config').options
  local program = options.cmd and options.cmd[1]
  if not program or vim.fn.executable(program) ~= 1 then
    health.error(('`%s` is not executable'):format(tostring(program)), {
      'Build it with `swift build -c release` and put `.build/release/clifford` on PATH',
      'or pass `cmd = { "/path/to/clifford", "serve" }` to require("clifford").setup()',
    })
    return
  end
  local version = vim.fn.system({ program, '--version' })
  if vim.v.shell_error == 0 then
    health.ok(('%s: %s'):format(vim.fn.exepath(program), vim.trim(version)))
  else
    health.warn(('`%s --version` failed: %s'):format(program, vim.trim(version)))
  end
  if not require('clifford').configured then
    health.warn('require("clifford").setup() has not run yet (it runs with defaults after startup)')
  end
  local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ name = 'clifford' })
  health.info(('%d clifford client(s) running'):format(#clients))
end

return M
