// LS
