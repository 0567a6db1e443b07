vim.bo.commentstring = ';; %s'
vim.bo.comments = 's:(;,e:;),:;;'
