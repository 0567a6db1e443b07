// clifford for VS Code: starts `clifford serve` for WAT, WAST and CLIF documents and shows the
// CLIF generated for a WAT document beside it. Plain JavaScript, no build step; its one dependency,
// vscode-languageclient, comes from `npm install` in this folder (see README.md).
'use strict';

const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const { LanguageClient } = require('vscode-languageclient/node');

const SCHEME = 'clifford-clif';
const SOURCE_LANGUAGES = ['wat', 'wast'];
const METHOD_NOT_FOUND = -32601;

let client;
let output;
const changes = new vscode.EventEmitter();
const highlight = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
});

/** The `clifford` executable: the `clifford.path` setting, else the first on PATH. */
function findServer() {
  const configured = vscode.workspace.getConfiguration('clifford').get('path');
  if (configured) return configured;
  const name = process.platform === 'win32' ? 'clifford.exe' : 'clifford';
  for (const folder of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(folder, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch (_) {
      // not in this folder
    }
  }
  return undefined;
}

/** The server's settings (protocol/README.md) from the `clifford` section. */
function serverSettings(scope) {
  const section = vscode.workspace.getConfiguration('clifford', scope);
  const settings = {};
  for (const key of ['debounceMs', 'target', 'optimize', 'wasm', 'codegen', 'diagnostics']) {
    const value = section.get(key);
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/** Declares that this client wants `clifford/didChangeGeneratedClif`. */
const generatedClifFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = Object.assign({}, capabilities.experimental, { cliffordGeneratedClifChanged: true });
  },
  initialize() {},
  getState() { return { kind: 'static' }; },
  clear() {},
  dispose() {},
};

/** The `clifford-clif:` URI the server uses for a WAT document. */
function generatedUriFor(document) {
  return `${SCHEME}:${document.uri.toString()}`;
}

/** The server's spelling of a `clifford-clif:` VS Code URI. VS Code keeps the WAT URI decoded in
 * the path; encoding it again as VS Code did for `didOpen` gives back the server's string. */
function serverUri(uri) {
  return `${SCHEME}:${vscode.Uri.parse(uri.path).toString()}${uri.fragment ? '#' + uri.fragment : ''}`;
}

async function requestGenerated(uri) {
  try {
    const result = await client.sendRequest('workspace/textDocumentContent', { uri });
    return result ? result.text : undefined;
  } catch (error) {
    if (error && error.code === METHOD_NOT_FOUND) {
      const result = await client.sendRequest('clifford/generatedClif', { textDocument: { uri } });
      return result ? result.text : undefined;
    }
    throw error;
  }
}

/** Serves `clifford-clif:` documents from the server. */
const generatedClifProvider = {
  onDidChange: changes.event,
  async provideTextDocumentContent(uri) {
    if (!client) return '; clifford is not running';
    try {
      return (await requestGenerated(serverUri(uri))) || '; no CLIF';
    } catch (error) {
      return `; ${error && error.message ? error.message : error}`;
    }
  },
};

function generatedChanged(params) {
  if (!params || !params.uri) return;
  const uri = vscode.Uri.parse(params.uri);
  changes.fire(uri);
  const source = vscode.window.visibleTextEditors.find((editor) => generatedUriFor(editor.document) === serverUri(uri));
  if (source) scheduleHighlight(source);
}

/** Forwards a position request in a generated document to the server. */
async function requestAt(method, document, position) {
  if (!client) return undefined;
  return client.sendRequest(method, {
    textDocument: { uri: serverUri(document.uri) },
    position: client.code2ProtocolConverter.asPosition(position),
  });
}

const generatedDefinitionProvider = {
  async provideDefinition(document, position) {
    const result = await requestAt('textDocument/definition', document, position);
    return result ? client.protocol2CodeConverter.asDefinitionResult(result) : undefined;
  },
};

const generatedHoverProvider = {
  async provideHover(document, position) {
    const result = await requestAt('textDocument/hover', document, position);
    return result ? client.protocol2CodeConverter.asHover(result) : undefined;
  },
};

let highlightTimer;

function scheduleHighlight(editor) {
  clearTimeout(highlightTimer);
  highlightTimer = setTimeout(() => updateHighlight(editor), 100);
}

/** Highlights, in the visible generated documents, the CLIF lines of the instruction at the cursor. */
async function updateHighlight(editor) {
  if (!client || !editor || !SOURCE_LANGUAGES.includes(editor.document.languageId)) return;
  const prefix = generatedUriFor(editor.document);
  const views = vscode.window.visibleTextEditors.filter((view) =>
    view.document.uri.scheme === SCHEME && serverUri(view.document.uri).startsWith(prefix));
  if (views.length === 0) return;
  let result = null;
  try {
    result = await client.sendRequest('clifford/clifAtPosition', {
      textDocument: { uri: editor.document.uri.toString() },
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    });
  } catch (_) {
    result = null;
  }
  for (const view of views) {
    if (!result || serverUri(view.document.uri) !== result.uri) {
      view.setDecorations(highlight, []);
      continue;
    }
    const ranges = (result.highlights || []).map((range) => client.protocol2CodeConverter.asRange(range));
    view.setDecorations(highlight, ranges);
    if (ranges.length > 0) view.revealRange(ranges[0], vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

/** "clifford: Show generated CLIF to the side". For a WAST script: the module at the cursor. */
async function showGeneratedClif() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !SOURCE_LANGUAGES.includes(editor.document.languageId)) {
    vscode.window.showInformationMessage('clifford: open a .wat or .wast file first.');
    return;
  }
  if (!client) {
    vscode.window.showErrorMessage('clifford: the language server is not running.');
    return;
  }
  let uri = generatedUriFor(editor.document);
  try {
    const result = await client.sendRequest('clifford/clifAtPosition', {
      textDocument: { uri: editor.document.uri.toString() },
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    });
    if (result && result.uri) uri = result.uri;
  } catch (_) {
    // An older server: the whole module's document.
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  await vscode.languages.setTextDocumentLanguage(document, 'clif');
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
  scheduleHighlight(editor);
}

async function startClient(context) {
  const command = findServer();
  if (!command) {
    vscode.window.showErrorMessage('clifford: no `clifford` executable on PATH; set `clifford.path`.');
    return;
  }
  const serverOptions = {
    run: { command, args: ['serve'] },
    debug: { command, args: ['serve', '--log-file', path.join(context.logUri.fsPath, 'clifford.log')] },
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'wat' }, { scheme: 'file', language: 'wast' }, { scheme: 'file', language: 'clif' },
      { scheme: 'untitled', language: 'wat' }, { scheme: 'untitled', language: 'wast' }, { scheme: 'untitled', language: 'clif' },
    ],
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'clifford' },
    outputChannel: output,
  };
  client = new LanguageClient('clifford', 'clifford', serverOptions, clientOptions);
  client.registerFeature(generatedClifFeature);
  client.onNotification('clifford/didChangeGeneratedClif', generatedChanged);
  client.onRequest('workspace/textDocumentContent/refresh', (params) => {
    generatedChanged(params);
    return null;
  });
  await client.start();
}

async function activate(context) {
  output = vscode.window.createOutputChannel('clifford');
  context.subscriptions.push(
    output,
    changes,
    highlight,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, generatedClifProvider),
    vscode.languages.registerDefinitionProvider({ scheme: SCHEME }, generatedDefinitionProvider),
    vscode.languages.registerHoverProvider({ scheme: SCHEME }, generatedHoverProvider),
    vscode.commands.registerCommand('clifford.showGeneratedClif', showGeneratedClif),
    vscode.commands.registerCommand('clifford.restart', async () => {
      if (client) await client.restart();
      else await startClient(context);
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => scheduleHighlight(event.textEditor)),
  );
  await startClient(context);
}

async function deactivate() {
  if (client) await client.stop();
  client = undefined;
}

module.exports = { activate, deactivate, serverUri, serverSettings };
