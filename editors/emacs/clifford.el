;;; clifford.el --- WAT, WAST and Cranelift IR modes with the clifford language server -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, wasm
;; URL: https://github.com/clifford/clifford

;;; Commentary:

;; Major modes for WebAssembly text (`wat-mode', .wat), WebAssembly spec scripts (`wast-mode',
;; .wast) and Cranelift IR (`clif-mode', .clif), registered with Eglot so that `M-x eglot' (or
;; `eglot-ensure' in a mode hook) starts `clifford serve' for all three.  `clifford-show-clif'
;; shows the CLIF Wasmtime generates for the current WAT buffer in a window beside it, keeps it
;; up to date and highlights the lines generated for the instruction at point.
;;
;; Setup:
;;   (add-to-list 'load-path "/path/to/clifford/editors/emacs")
;;   (require 'clifford)
;;   (add-hook 'wat-mode-hook #'eglot-ensure)

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'eglot)
(require 'jsonrpc)

(defgroup clifford nil
  "WebAssembly text and Cranelift IR with the clifford language server."
  :group 'languages
  :prefix "clifford-")

(defcustom clifford-program "clifford"
  "The clifford executable: a name found on `exec-path' or a full path."
  :type 'string)

(defcustom clifford-settings nil
  "Settings sent to the server as initializationOptions, a plist such as
\(:debounceMs 150 :target \"x86_64\" :optimize [\"memory-reservation=0x10000\"]).
The keys are documented in protocol/README.md."
  :type 'plist)

(defcustom wat-indent-offset 2
  "Indentation per open parenthesis in `wat-mode' and `wast-mode'."
  :type 'integer :safe #'integerp)

(defcustom clif-indent-offset 4
  "Indentation of instructions and preamble lines inside a CLIF function."
  :type 'integer :safe #'integerp)

(defface clifford-clif-highlight '((t :inherit highlight))
  "CLIF lines generated for the WAT instruction at point.")

;;;; WAT and WAST

(defvar wat-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; `(;' opens and `;)' closes a nested block comment (style b); `;;' comments are marked
    ;; by `wat--syntax-propertize', since `;' is also the second character of `(;'.
    (modify-syntax-entry ?\( "()1nb" table)
    (modify-syntax-entry ?\) ")(4nb" table)
    (modify-syntax-entry ?\; ". 23nb" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    (dolist (char (string-to-list "!#$%&'*+./:<=>?@^_`|~-"))
      (modify-syntax-entry char "_" table))
    table)
  "Syntax table of `wat-mode' and `wast-mode'.")

(defun wat--syntax-propertize (start end)
  "Mark the `;;' line comments between START and END."
  (goto-char start)
  (while (re-search-forward ";;" end t)
    (let ((beginning (match-beginning 0)))
      (unless (or (nth 8 (save-excursion (syntax-ppss beginning)))
                  (eq (char-before beginning) ?\())
        (put-text-property beginning (1+ beginning) 'syntax-table (string-to-syntax "<"))
        (goto-char (line-end-position))))))

(defun wat--words (words)
  "A regexp matching one of WORDS as a whole WAT token."
  (concat "\\_<" (regexp-opt words t) "\\_>"))

(defconst wat--structure-keywords
  '("module" "type" "func" "param" "result" "local" "global" "import" "export" "memory" "table"
    "elem" "data" "start" "mut" "item" "declare" "ref" "null" "rec" "sub" "final" "field"
    "struct" "array" "tag" "shared" "definition" "instance"))

(defconst wat--control-keywords
  '("block" "loop" "if" "then" "else" "end" "br" "br_if" "br_table" "br_on_null"
    "br_on_non_null" "br_on_cast" "br_on_cast_fail" "return" "return_call"
    "return_call_indirect" "return_call_ref" "call" "call_indirect" "call_ref" "unreachable"
    "nop" "throw" "throw_ref" "try_table" "catch" "catch_ref" "catch_all" "catch_all_ref" "try"
    "delegate" "rethrow"))

(defconst wat--types
  '("i32" "i64" "f32" "f64" "v128" "i8" "i16" "i8x16" "i16x8" "i32x4" "i64x2" "f32x4" "f64x2"
    "funcref" "externref" "anyref" "eqref" "i31ref" "structref" "arrayref" "nullref"
    "nullfuncref" "nullexternref" "exnref" "nullexnref"))

(defconst wast--commands
  '("assert_return" "assert_trap" "assert_exhaustion" "assert_malformed" "assert_invalid"
    "assert_unlinkable" "assert_exception" "invoke" "register" "get" "either" "quote" "binary"))

(defconst wat-font-lock-keywords
  `(("\\$[[:alnum:]!#$%&'*+./:<=>?@\\\\^_`|~-]+" . font-lock-variable-name-face)
    ("\\_<\\(offset\\|align\\)=" 1 font-lock-preprocessor-face)
    (,(wat--words wat--types) . font-lock-type-face)
    (,(wat--words wat--structure-keywords) . font-lock-keyword-face)
    (,(wat--words wat--control-keywords) . font-lock-keyword-face)
    ("\\_<[a-z][a-z0-9_]*\\(?:\\.[a-z0-9_]+\\)+\\_>" . font-lock-builtin-face)
    ("\\_<[+-]?\\(?:inf\\|nan\\(?::0x[[:xdigit:]_]+\\)?\\|0x[[:xdigit:]_.]+\\(?:[pP][+-]?[0-9_]+\\)?\\|[0-9][0-9_]*\\(?:\\.[0-9_]*\\)?\\(?:[eE][+-]?[0-9_]+\\)?\\)\\_>"
     . font-lock-constant-face))
  "Highlighting of `wat-mode'.")

(defconst wast-font-lock-keywords
  (cons `(,(wat--words wast--commands) . font-lock-preprocessor-face) wat-font-lock-keywords)
  "Highlighting of `wast-mode'.")

(defun wat-indent-line ()
  "Indent the current line by its parenthesis depth.
A line starting with `)' gets one level less."
  (interactive)
  (let* ((state (save-excursion (syntax-ppss (line-beginning-position))))
         (depth (car state))
         (offset (- (current-column) (current-indentation))))
    (unless (nth 8 state)
      (save-excursion
        (back-to-indentation)
        (when (looking-at-p ")") (setq depth (1- depth))))
      (indent-line-to (* wat-indent-offset (max depth 0)))
      (when (> offset 0) (forward-char offset)))))

;;;###autoload
(define-derived-mode wat-mode prog-mode "WAT"
  "Major mode for WebAssembly text (.wat)."
  :syntax-table wat-mode-syntax-table
  (setq-local comment-start ";; ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?:;;+\\|(;\\)[ \t]*")
  (setq-local comment-use-syntax t)
  (setq-local syntax-propertize-function #'wat--syntax-propertize)
  (setq-local font-lock-defaults '(wat-font-lock-keywords))
  (setq-local indent-line-function #'wat-indent-line)
  (setq-local indent-tabs-mode nil))

;;;###autoload
(define-derived-mode wast-mode wat-mode "WAST"
  "Major mode for WebAssembly spec scripts (.wast)."
  (setq-local font-lock-defaults '(wast-font-lock-keywords)))

;;;; CLIF

(defvar clif-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?\; "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (dolist (char (string-to-list "%_.@:"))
      (modify-syntax-entry char "_" table))
    (modify-syntax-entry ?= "." table)
    (modify-syntax-entry ?, "." table)
    table)
  "Syntax table of `clif-mode'.")

(defconst clif-font-lock-keywords
  `(("^\\s-*\\(test\\|set\\|target\\)\\_>" 1 font-lock-preprocessor-face)
    ("^\\s-*\\(function\\)\\s-+\\([%[:alnum:]_:]+\\)"
     (1 font-lock-keyword-face) (2 font-lock-function-name-face))
    ("@[[:xdigit:]]+\\_>" . font-lock-comment-delimiter-face)
    ("\\_<block[0-9]+\\_>" . font-lock-constant-face)
    ("\\_<v[0-9]+\\_>" . font-lock-variable-name-face)
    ("\\_<\\(?:gv\\|sig\\|fn\\|ss\\|dss\\|jt\\|region\\|const\\|mt\\)[0-9]+\\_>" . font-lock-variable-name-face)
    ("=\\s-*\\([a-z_][a-z0-9_]*\\)" 1 font-lock-builtin-face)
    ("^\\s-*\\(?:@[[:xdigit:]]+\\s-+\\)?\\([a-z_][a-z0-9_]*\\)\\(?:\\.[if][0-9x]+\\)?\\s-+[^=]"
     1 font-lock-builtin-face)
    ("\\_<[if]\\(?:8\\|16\\|32\\|64\\|128\\)\\(?:x[0-9]+\\)?\\_>" . font-lock-type-face)
    ("\\.\\([if]\\(?:8\\|16\\|32\\|64\\|128\\)\\(?:x[0-9]+\\)?\\)\\_>" 1 font-lock-type-face)
    (,(wat--words '("notrap" "aligned" "readonly" "can_move" "little" "big" "checked" "vmctx" "sext"
                    "uext" "sret" "tail" "fast" "cold" "system_v" "colocated"))
     . font-lock-keyword-face)
    ("\\_<-?\\(?:0x[[:xdigit:]_.]+\\(?:p[+-]?[0-9]+\\)?\\|[0-9][0-9_]*\\)\\_>" . font-lock-constant-face))
  "Highlighting of `clif-mode'.")

(defun clif-indent-line ()
  "Indent a CLIF line.
Headers, `function', block labels and `}' go to column 0, the rest of
a function body to `clif-indent-offset'."
  (interactive)
  (let ((depth (car (save-excursion (syntax-ppss (line-beginning-position)))))
        (offset (- (current-column) (current-indentation))))
    (save-excursion
      (back-to-indentation)
      (indent-line-to
       (if (or (<= depth 0) (looking-at-p "}\\|block[0-9]+\\|function\\_>")) 0 clif-indent-offset)))
    (when (> offset 0) (forward-char offset))))

;;;###autoload
(define-derived-mode clif-mode prog-mode "CLIF"
  "Major mode for Cranelift IR text (.clif)."
  :syntax-table clif-mode-syntax-table
  (setq-local comment-start "; ")
  (setq-local comment-end "")
  (setq-local comment-start-skip ";+[ \t]*")
  (setq-local font-lock-defaults '(clif-font-lock-keywords))
  (setq-local indent-line-function #'clif-indent-line)
  (setq-local indent-tabs-mode nil))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.wat\\'" . wat-mode))
;;;###autoload
(add-to-list 'auto-mode-alist '("\\.wast\\'" . wast-mode))
;;;###autoload
(add-to-list 'auto-mode-alist '("\\.clif\\'" . clif-mode))

;;;; Eglot

(defclass clifford-eglot-server (eglot-lsp-server) ()
  :documentation "The clifford language server.")

(cl-defmethod eglot-client-capabilities ((_server clifford-eglot-server))
  "Eglot's capabilities, plus the request for `clifford/didChangeGeneratedClif'."
  (let ((capabilities (cl-call-next-method)))
    (plist-put capabilities :experimental '(:cliffordGeneratedClifChanged t))))

(defun clifford--initialization-options (_server)
  "The initializationOptions: `clifford-settings', or an empty object."
  (or clifford-settings eglot--{}))

(defun clifford--contact (&optional _interactive)
  "How Eglot starts clifford."
  (list 'clifford-eglot-server clifford-program "serve"
        :initializationOptions #'clifford--initialization-options))

;;;###autoload
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '((wat-mode wast-mode clif-mode) . clifford--contact)))

;;;; Generated CLIF beside the WAT

(defvar-local clifford--source-buffer nil
  "In a generated-CLIF buffer: the WAT buffer it was generated from.")

(defvar-local clifford--clif-uri nil
  "In a generated-CLIF buffer: the server's `clifford-clif:' URI of its text.")

(defvar-local clifford--view nil
  "In a WAT buffer: its generated-CLIF buffer.")

(defvar clifford--notifying-servers nil
  "Servers that announced generated-CLIF changes themselves.")

(defvar-local clifford--highlight-timer nil)

(defvar-local clifford--refresh-timer nil)

(defvar clifford-highlight-delay 0.1
  "Seconds of idle time after a cursor move before the CLIF highlight is updated.")

(defun clifford--server (buffer)
  "The Eglot server of BUFFER."
  (with-current-buffer buffer (eglot--current-server-or-lose)))

(defun clifford--fetch (source uri)
  "The text of URI, generated from SOURCE's WAT.
Asks with `workspace/textDocumentContent', else `clifford/generatedClif'."
  (let ((server (clifford--server source)))
    (condition-case error
        (plist-get (jsonrpc-request server :workspace/textDocumentContent (list :uri uri)) :text)
      (jsonrpc-error
       (if (eql (alist-get 'jsonrpc-error-code (cdr error)) -32601)
           (plist-get (jsonrpc-request server :clifford/generatedClif
                                       (list :textDocument (list :uri uri)))
                      :text)
         (signal (car error) (cdr error)))))))

(defun clifford--fill (view text)
  "Replace the text of the generated-CLIF buffer VIEW with TEXT, keeping point."
  (with-current-buffer view
    (let ((inhibit-read-only t)
          (line (line-number-at-pos))
          (column (current-column)))
      (erase-buffer)
      (insert text)
      (goto-char (point-min))
      (forward-line (1- line))
      (move-to-column column)
      (set-buffer-modified-p nil))))

(defun clifford-refresh-clif (&optional view)
  "Fetch the generated CLIF again for VIEW.
VIEW defaults to the current WAT buffer's view."
  (interactive)
  (let ((view (or view clifford--view)))
    (when (buffer-live-p view)
      (let ((source (buffer-local-value 'clifford--source-buffer view))
            (uri (buffer-local-value 'clifford--clif-uri view)))
        (when (buffer-live-p source)
          (clifford--fill view (clifford--fetch source uri))
          (with-current-buffer source (clifford--highlight)))))))

(defun clifford--uri-of (source)
  "The generated-CLIF URI of the WAT buffer SOURCE."
  (with-current-buffer source
    (concat "clifford-clif:" (plist-get (eglot--TextDocumentIdentifier) :uri))))

(defun clifford--highlight ()
  "Highlight in the view the CLIF lines of the instruction at point."
  (when (and (buffer-live-p clifford--view) (get-buffer-window clifford--view t))
    (let* ((view clifford--view)
           (result (condition-case nil
                       (jsonrpc-request (eglot--current-server-or-lose) :clifford/clifAtPosition
                                        (eglot--TextDocumentPositionParams))
                     (error nil))))
      (with-current-buffer view
        (remove-overlays (point-min) (point-max) 'clifford-highlight t)
        (let ((first nil))
          (when (and result (equal (plist-get result :uri) clifford--clif-uri))
            (seq-doseq (range (plist-get result :highlights))
              (let ((start (save-excursion
                             (goto-char (point-min))
                             (forward-line (plist-get (plist-get range :start) :line))
                             (point)))
                    (end (save-excursion
                           (goto-char (point-min))
                           (forward-line (plist-get (plist-get range :end) :line))
                           (if (eql (plist-get (plist-get range :end) :character) 0)
                               (point)
                             (min (point-max) (1+ (line-end-position)))))))
                (let ((overlay (make-overlay start (max end (1+ start)))))
                  (overlay-put overlay 'clifford-highlight t)
                  (overlay-put overlay 'face 'clifford-clif-highlight)
                  (unless first (setq first start))))))
          (let ((window (get-buffer-window view t)))
            (when (and first window
                       (not (pos-visible-in-window-p first window)))
              (set-window-point window first))))))))

(defun clifford--schedule-highlight ()
  "Update the highlight once Emacs has been idle for `clifford-highlight-delay'."
  (when (timerp clifford--highlight-timer) (cancel-timer clifford--highlight-timer))
  (let ((source (current-buffer)))
    (setq clifford--highlight-timer
          (run-with-idle-timer clifford-highlight-delay nil
                               (lambda ()
                                 (when (buffer-live-p source)
                                   (with-current-buffer source (clifford--highlight))))))))

(defun clifford--schedule-refresh (&rest _)
  "Fetch the CLIF again shortly after an edit of the WAT.
For servers that do not send `clifford/didChangeGeneratedClif'."
  (when (timerp clifford--refresh-timer) (cancel-timer clifford--refresh-timer))
  (let ((source (current-buffer)))
    (unless (memq (eglot-current-server) clifford--notifying-servers)
    (setq clifford--refresh-timer
          (run-with-idle-timer 0.5 nil
                               (lambda ()
                                 (when (buffer-live-p source)
                                   (with-current-buffer source
                                     (ignore-errors (clifford-refresh-clif))))))))))

(cl-defmethod eglot-handle-notification
  ((server clifford-eglot-server) (_method (eql clifford/didChangeGeneratedClif)) &key uri
   &allow-other-keys)
  "The server generated new CLIF for URI: refresh the views showing it."
  (cl-pushnew server clifford--notifying-servers)
  (dolist (buffer (buffer-list))
    (when (and (equal (buffer-local-value 'clifford--clif-uri buffer) uri)
               (buffer-live-p (buffer-local-value 'clifford--source-buffer buffer)))
      (ignore-errors (clifford-refresh-clif buffer)))))

(define-derived-mode clifford-generated-clif-mode clif-mode "CLIF[generated]"
  "Read-only view of the CLIF clifford generates for a WAT buffer."
  (setq buffer-read-only t))

;;;###autoload
(defun clifford-show-clif ()
  "Show the CLIF generated for the current WAT buffer beside it.
The view follows edits and highlights the CLIF lines of the
instruction at point."
  (interactive)
  (unless (derived-mode-p 'wat-mode)
    (user-error "clifford-show-clif works in wat-mode and wast-mode buffers"))
  (let* ((source (current-buffer))
         (result (ignore-errors
                   (jsonrpc-request (eglot--current-server-or-lose) :clifford/clifAtPosition
                                    (eglot--TextDocumentPositionParams))))
         (uri (or (and result (plist-get result :uri)) (clifford--uri-of source)))
         (view (get-buffer-create (format "*clifford-clif %s*" (buffer-name source)))))
    (with-current-buffer view
      (unless (derived-mode-p 'clifford-generated-clif-mode) (clifford-generated-clif-mode))
      (setq clifford--source-buffer source
            clifford--clif-uri uri))
    (clifford--fill view (clifford--fetch source uri))
    (setq clifford--view view)
    (add-hook 'post-command-hook #'clifford--schedule-highlight nil t)
    (add-hook 'after-change-functions #'clifford--schedule-refresh nil t)
    (display-buffer view '((display-buffer-reuse-window display-buffer-in-direction)
                           (direction . right)))
    (clifford--highlight)
    view))

(provide 'clifford)
;;; clifford.el ends here
