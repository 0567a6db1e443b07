-- Neovim files `.wast` under `wat`; clifford treats scripts separately, and `.clif` is new.
vim.filetype.add({ extension = { wat = 'wat', wast = 'wast', clif = 'clif' } })
