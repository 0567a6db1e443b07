// Runs editors/vscode/extension.js under Node with stand-ins for the `vscode` API and for
// vscode-languageclient (neither can be installed here), and checks what the extension does with
// them: the commands and providers it registers, how it starts the client, the experimental
// capability, the virtual documents it serves (with the fallback request) and the CLIF highlight.
// `node editors/tests/vscode-extension-test.js`; exits 1 on the first failed check.
'use strict';

const assert = require('assert');
const Module = require('module');
const path = require('path');
const fs = require('fs');
const os = require('os');

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../vscode/package.json'), 'utf8'));
const registered = { commands: {}, providers: {}, definition: [], hover: [] };
const shown = [];
const decorations = [];
let passed = 0;

function check(name, body) {
  return Promise.resolve().then(body).then(() => {
    passed += 1;
    console.log(`ok ${name}`);
  });
}

// A small URI class with VS Code's parse/toString behaviour for the URIs used here.
class Uri {
  constructor(scheme, authority, uriPath, fragment) {
    Object.assign(this, { scheme, authority, path: uriPath, fragment });
  }
  static parse(text) {
    const match = /^([^:/?#]+):(\/\/([^/?#]*))?([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/.exec(text);
    return new Uri(match[1], match[3] || '', decodeURIComponent(match[4]), match[5] || '');
  }
  toString() {
    const encoded = this.path.split('/').map((part) => encodeURIComponent(part)).join('/');
    return `${this.scheme}:${this.authority || this.scheme === 'file' ? '//' + this.authority : ''}${encoded}${this.fragment ? '#' + this.fragment : ''}`;
  }
}

class EventEmitter {
  constructor() { this.listeners = []; this.event = (listener) => this.listeners.push(listener); }
  fire(value) { this.listeners.forEach((listener) => listener(value)); }
  dispose() {}
}

const settings = { path: '', debounceMs: 150, target: 'x86_64', optimize: [], wasm: [], codegen: [], diagnostics: { syntax: true } };
const watDocument = { uri: Uri.parse('file:///work/a%20b.wat'), languageId: 'wat' };
const watEditor = { document: watDocument, selection: { active: { line: 11, character: 4 } } };
const clifEditors = [];

const vscode = {
  Uri,
  EventEmitter,
  ThemeColor: class { constructor(id) { this.id = id; } },
  ViewColumn: { Beside: -2 },
  TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
  window: {
    activeTextEditor: watEditor,
    get visibleTextEditors() { return [watEditor, ...clifEditors]; },
    createTextEditorDecorationType: (options) => ({ options, dispose() {} }),
    createOutputChannel: () => ({ dispose() {} }),
    showInformationMessage: () => {},
    showErrorMessage: (message) => { throw new Error(message); },
    showTextDocument: async (document, options) => {
      shown.push({ document, options });
      const editor = {
        document,
        setDecorations: (type, ranges) => decorations.push({ uri: document.uri.toString(), ranges }),
        revealRange: () => {},
      };
      clifEditors.push(editor);
      return editor;
    },
    onDidChangeTextEditorSelection: () => ({ dispose() {} }),
  },
  workspace: {
    getConfiguration: () => ({ get: (key) => settings[key] }),
    registerTextDocumentContentProvider: (scheme, provider) => { registered.providers[scheme] = provider; return { dispose() {} }; },
    openTextDocument: async (uri) => ({ uri, languageId: 'plaintext' }),
  },
  languages: {
    registerDefinitionProvider: (selector, provider) => { registered.definition.push(selector); return { dispose() {}, provider }; },
    registerHoverProvider: (selector, provider) => { registered.hover.push(selector); return { dispose() {}, provider }; },
    setTextDocumentLanguage: async (document, language) => { document.languageId = language; return document; },
  },
  commands: {
    registerCommand: (id, handler) => { registered.commands[id] = handler; return { dispose() {} }; },
  },
};

// The fake server behind the fake client: answers as clifford does (protocol/README.md).
const requests = [];
let supportsContentRequest = true;
let client;
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, features: [], notifications: {}, handlers: {} });
    client = this;
    this.code2ProtocolConverter = { asPosition: (position) => ({ line: position.line, character: position.character }) };
    this.protocol2CodeConverter = {
      asRange: (range) => ({ start: range.start, end: range.end }),
      asDefinitionResult: (result) => result,
      asHover: (hover) => hover,
    };
  }
  registerFeature(feature) { this.features.push(feature); }
  onNotification(method, handler) { this.notifications[method] = handler; }
  onRequest(method, handler) { this.handlers[method] = handler; }
  async start() {}
  async stop() {}
  async restart() {}
  async sendRequest(method, params) {
    requests.push({ method, params });
    if (method === 'workspace/textDocumentContent') {
      if (!supportsContentRequest) throw Object.assign(new Error('unknown method'), { code: -32601 });
      return { text: `; CLIF for ${params.uri}\n` };
    }
    if (method === 'clifford/generatedClif') return { uri: params.textDocument.uri, text: '; fallback\n' };
    if (method === 'clifford/clifAtPosition') {
      return { uri: `clifford-clif:${params.textDocument.uri}`, highlights: [{ start: { line: 14, character: 0 }, end: { line: 16, character: 0 } }] };
    }
    return null;
  }
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient };
  return originalLoad.call(this, request, parent, isMain);
};

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clifford-vscode-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
process.env.PATH = `${scratch}${path.delimiter}${process.env.PATH}`;
const fakeServer = path.join(scratch, 'clifford');
fs.writeFileSync(fakeServer, '#!/bin/sh\n', { mode: 0o755 });

const extension = require('../vscode/extension.js');

(async () => {
  const context = { subscriptions: [], logUri: { fsPath: os.tmpdir() } };
  await extension.activate(context);

  await check('every manifest command is registered', () => {
    for (const command of manifest.contributes.commands) assert.ok(registered.commands[command.command], command.command);
  });
  await check('clifford-clif documents have a content, definition and hover provider', () => {
    assert.ok(registered.providers['clifford-clif']);
    assert.deepStrictEqual(registered.definition, [{ scheme: 'clifford-clif' }]);
    assert.deepStrictEqual(registered.hover, [{ scheme: 'clifford-clif' }]);
  });
  await check('the client runs `clifford serve` from PATH', () => {
    assert.strictEqual(client.serverOptions.run.command, fakeServer);
    assert.deepStrictEqual(client.serverOptions.run.args, ['serve']);
  });
  await check('the client covers the manifest languages', () => {
    const languages = new Set(client.clientOptions.documentSelector.map((selector) => selector.language));
    assert.deepStrictEqual([...languages].sort(), manifest.contributes.languages.map((language) => language.id).sort());
  });
  await check('settings go out as initializationOptions and the clifford section', () => {
    assert.deepStrictEqual(Object.keys(client.clientOptions.initializationOptions).sort(),
      ['codegen', 'debounceMs', 'diagnostics', 'optimize', 'target', 'wasm']);
    assert.strictEqual(client.clientOptions.synchronize.configurationSection, 'clifford');
  });
  await check('the client asks for clifford/didChangeGeneratedClif', () => {
    const capabilities = {};
    client.features.forEach((feature) => feature.fillClientCapabilities(capabilities));
    assert.strictEqual(capabilities.experimental.cliffordGeneratedClifChanged, true);
    assert.ok(client.notifications['clifford/didChangeGeneratedClif']);
    assert.ok(client.handlers['workspace/textDocumentContent/refresh']);
  });
  await check('the server URI survives VS Code re-encoding the WAT URI', () => {
    const uri = Uri.parse('clifford-clif:file:///work/a%20b.wat#module=2');
    assert.strictEqual(extension.serverUri(uri), 'clifford-clif:file:///work/a%20b.wat#module=2');
  });
  await check('the content provider asks workspace/textDocumentContent', async () => {
    const text = await registered.providers['clifford-clif'].provideTextDocumentContent(Uri.parse('clifford-clif:file:///work/a%20b.wat'));
    assert.strictEqual(text, '; CLIF for clifford-clif:file:///work/a%20b.wat\n');
  });
  await check('and falls back to clifford/generatedClif', async () => {
    supportsContentRequest = false;
    const text = await registered.providers['clifford-clif'].provideTextDocumentContent(Uri.parse('clifford-clif:file:///work/a%20b.wat'));
    supportsContentRequest = true;
    assert.strictEqual(text, '; fallback\n');
  });
  await check('Show generated CLIF opens the module\'s CLIF beside, as clif, keeping focus', async () => {
    await registered.commands['clifford.showGeneratedClif']();
    assert.strictEqual(shown.length, 1);
    assert.strictEqual(shown[0].document.uri.toString(), 'clifford-clif:file:///work/a%20b.wat'.replace('file:', 'file%3A'));
    assert.strictEqual(extension.serverUri(shown[0].document.uri), 'clifford-clif:file:///work/a%20b.wat');
    assert.strictEqual(shown[0].document.languageId, 'clif');
    assert.strictEqual(shown[0].options.viewColumn, vscode.ViewColumn.Beside);
    assert.strictEqual(shown[0].options.preserveFocus, true);
  });
  await check('the CLIF lines of the instruction at the cursor are highlighted', async () => {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const last = decorations[decorations.length - 1];
    assert.ok(last, 'no decorations were set');
    assert.strictEqual(last.ranges.length, 1);
    assert.strictEqual(last.ranges[0].start.line, 14);
  });
  await check('a change notification refreshes the document', () => {
    let fired = null;
    registered.providers['clifford-clif'].onDidChange((uri) => { fired = uri; });
    client.notifications['clifford/didChangeGeneratedClif']({ uri: 'clifford-clif:file:///work/a%20b.wat' });
    assert.ok(fired);
    assert.strictEqual(extension.serverUri(fired), 'clifford-clif:file:///work/a%20b.wat');
  });
  await extension.deactivate();
  console.log(`vscode extension: ${passed} checks passed`);
})().catch((error) => {
  console.error(`FAIL ${error.stack || error}`);
  process.exit(1);
});
