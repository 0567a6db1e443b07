-- WAST scripts: WAT's comments and keyword characters (Neovim's own wat ftplugin does the same).
vim.bo.commentstring = ';; %s'
vim.bo.comments = 's:(;,e:;),:;;'
vim.opt_local.iskeyword:append({ '$', '.', '/' })
