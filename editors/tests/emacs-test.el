;;; emacs-test.el --- batch test of editors/emacs/clifford.el in a real Emacs -*- lexical-binding: t; -*-

;; emacs --batch --eval "(package-initialize)" -L editors/emacs -l editors/tests/emacs-test.el
;; with $CLIFFORD_BIN (the server) and $CLIFFORD_DIR (a scratch folder holding copies of
;; editors/fixtures/sample.{wat,wast,clif}). Prints one line per check and exits 1 when one failed.

;;; Code:

(require 'cl-lib)
(require 'clifford)

(defvar clifford-test-failures 0)
(defvar clifford-test-passes 0)
(defvar clifford-test-published nil
  "Alist of (URI . DIAGNOSTICS) in arrival order, newest first.")

(defun clifford-test-check (name ok &optional detail)
  "Record check NAME as passed when OK; print DETAIL when it failed."
  (if ok (cl-incf clifford-test-passes) (cl-incf clifford-test-failures))
  (princ (format "%s %s%s\n" (if ok "ok" "FAIL") name
                 (if (and detail (not ok)) (format " (%s)" detail) ""))))

(defun clifford-test-wait (predicate seconds)
  "Let the server's messages in until PREDICATE holds or SECONDS pass; its last value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun clifford-test-diagnostics-for (buffer)
  "The newest published diagnostics of BUFFER's document, or :none."
  (let ((uri (with-current-buffer buffer (plist-get (eglot--TextDocumentIdentifier) :uri))))
    (let ((entry (assoc uri clifford-test-published)))
      (if entry (cdr entry) :none))))

(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest args)
              (when (eq method 'textDocument/publishDiagnostics)
                (push (cons (plist-get args :uri) (plist-get args :diagnostics)) clifford-test-published))))

(defun clifford-test-hover-at (text)
  "Move to the first TEXT and return the hover's markdown there."
  (goto-char (point-min))
  (search-forward text)
  (goto-char (match-beginning 0))
  (let ((hover (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                (eglot--TextDocumentPositionParams))))
    (or (plist-get (plist-get hover :contents) :value) "")))

(defun clifford-test-face-at (text)
  "The face at the start of the first TEXT in the buffer."
  (save-excursion
    (goto-char (point-min))
    (search-forward text)
    (get-text-property (match-beginning 0) 'face)))

(defun clifford-test-start-eglot ()
  "Start Eglot for the current buffer and wait until it manages it."
  (apply #'eglot (eglot--guess-contact))
  (clifford-test-wait (lambda () (eglot-current-server)) 15))

(defun clifford-test-flymake-count ()
  "Flymake's diagnostics once it has run."
  (flymake-start)
  (accept-process-output nil 0.1)
  (length (flymake-diagnostics)))

(let* ((dir (file-name-as-directory (getenv "CLIFFORD_DIR")))
       (eglot-sync-connect 15)
       (eglot-autoreconnect nil)
       (clifford-program (getenv "CLIFFORD_BIN"))
       (clifford-settings '(:debounceMs 20)))
  (condition-case failure
      (progn
        (clifford-test-check "eglot registration covers the three modes"
                             (cl-every (lambda (mode) (eglot--lookup-mode mode)) '(wat-mode wast-mode clif-mode)))

        ;; WAT: modes, syntax, highlighting, indentation.
        (find-file (concat dir "sample.wat"))
        (clifford-test-check "sample.wat opens in wat-mode" (eq major-mode 'wat-mode) major-mode)
        (font-lock-ensure)
        (clifford-test-check "nested block comment is one comment"
                             (save-excursion (goto-char (point-min)) (search-forward "still a comment")
                                             (nth 4 (syntax-ppss)))
                             (clifford-test-face-at "still a comment"))
        (clifford-test-check "code after the nested comment is code"
                             (save-excursion (goto-char (point-min)) (search-forward "(module")
                                             (not (nth 4 (syntax-ppss)))))
        (clifford-test-check ";; line comment" (eq (clifford-test-face-at "A module") 'font-lock-comment-face)
                             (clifford-test-face-at "A module"))
        (clifford-test-check "instruction face" (eq (clifford-test-face-at "i32.load offset") 'font-lock-builtin-face)
                             (clifford-test-face-at "i32.load offset"))
        (clifford-test-check "$id face" (eq (clifford-test-face-at "$counter") 'font-lock-variable-name-face))
        (clifford-test-check "type face" (eq (clifford-test-face-at "i32 i32") 'font-lock-type-face))
        (clifford-test-check "keyword face" (eq (clifford-test-face-at "module $sample") 'font-lock-keyword-face))
        (clifford-test-check "string face" (eq (clifford-test-face-at "\"env\"") 'font-lock-string-face))
        (clifford-test-check "number face" (eq (clifford-test-face-at "1.5e3") 'font-lock-constant-face))
        (let ((before (buffer-string)))
          (indent-region (point-min) (point-max))
          (clifford-test-check "indent-region keeps the fixture's indentation" (equal before (buffer-string))))
        (with-temp-buffer
          (wat-mode)
          (insert "(module\n(func $f\n(block\n(nop))\n)\n)\n")
          (indent-region (point-min) (point-max))
          (clifford-test-check "indentation follows parentheses"
                               (equal (buffer-string) "(module\n  (func $f\n    (block\n      (nop))\n  )\n)\n")
                               (buffer-string)))

        ;; WAT with the server.
        (clifford-test-check "eglot connects for wat-mode" (clifford-test-start-eglot))
        (clifford-test-check "the server is clifford's class"
                             (cl-typep (eglot-current-server) 'clifford-eglot-server))
        (clifford-test-check "diagnostics published for sample.wat"
                             (vectorp (clifford-test-wait
                                     (lambda () (let ((d (clifford-test-diagnostics-for (current-buffer))))
                                                  (and (not (eq d :none)) d)))
                                     15)))
        (let ((hover (clifford-test-hover-at "i32.load offset")))
          (clifford-test-check "hover on i32.load shows CLIF" (string-match-p "```clif" hover) hover)
          (clifford-test-check "hover shows load.i32" (string-match-p "load\\.i32" hover) hover))

        ;; clifford-show-clif.
        (goto-char (point-min))
        (search-forward "i32.load offset")
        (goto-char (match-beginning 0))
        (let ((view (clifford-show-clif)))
          (clifford-test-check "clifford-show-clif makes a view" (buffer-live-p view))
          (clifford-test-check "the view is in clif mode"
                               (with-current-buffer view (derived-mode-p 'clif-mode)))
          (clifford-test-check "the view is shown" (get-buffer-window view t))
          (clifford-test-check "the view holds the generated CLIF"
                               (with-current-buffer view
                                 (and (string-prefix-p "; CLIF generated" (buffer-string))
                                      (string-match-p "load\\.i32 little" (buffer-string))))
                               (with-current-buffer view (buffer-substring 1 (min 200 (point-max)))))
          (let ((highlighted (with-current-buffer view
                               (mapcar (lambda (o) (buffer-substring (overlay-start o) (overlay-end o)))
                                       (cl-remove-if-not (lambda (o) (overlay-get o 'clifford-highlight))
                                                         (overlays-in (point-min) (point-max)))))))
            (clifford-test-check "the CLIF lines of i32.load are highlighted"
                                 (and highlighted
                                      (cl-every (lambda (text) (string-prefix-p "@" text)) highlighted)
                                      (cl-some (lambda (text) (string-match-p "load\\.i32" text)) highlighted))
                                 highlighted))
          ;; An edit: the server announces new CLIF and the view follows (batch Emacs is never idle,
          ;; so this is the notification, not the idle-time fallback).
          (goto-char (point-min))
          (search-forward "1.5e3")
          (replace-match "2.25")
          (eglot--signal-textDocument/didChange)
          (clifford-test-check "the view follows an edit"
                               (clifford-test-wait
                                (lambda () (with-current-buffer view
                                             (string-match-p "f64const 0x1\\.2000000000000p1" (buffer-string))))
                                15)))

        ;; An edit that breaks a function: diagnostics follow.
        (goto-char (point-min))
        (search-forward "local.get $total)")
        (replace-match "call $nowhere)")
        ;; Eglot sends changes when Emacs is idle, which batch mode never is.
        (eglot--signal-textDocument/didChange)
        (clifford-test-check "an unknown function gets a diagnostic"
                             (clifford-test-wait
                              (lambda () (let ((d (clifford-test-diagnostics-for (current-buffer))))
                                           (and (not (eq d :none)) (> (length d) 0))))
                              15))
        (clifford-test-check "flymake shows it" (> (clifford-test-wait #'clifford-test-flymake-count 10) 0))

        ;; WAST.
        (find-file (concat dir "sample.wast"))
        (clifford-test-check "sample.wast opens in wast-mode" (eq major-mode 'wast-mode) major-mode)
        (font-lock-ensure)
        (clifford-test-check "wast command face" (eq (clifford-test-face-at "assert_return") 'font-lock-preprocessor-face)
                             (clifford-test-face-at "assert_return"))
        (clifford-test-check "wast instruction face" (eq (clifford-test-face-at "i32.add") 'font-lock-builtin-face))
        (clifford-test-check "wast joins the running server" (clifford-test-start-eglot))
        (clifford-test-check "diagnostics published for sample.wast"
                             (vectorp (clifford-test-wait
                                       (lambda () (let ((d (clifford-test-diagnostics-for (current-buffer))))
                                                    (and (not (eq d :none)) d)))
                                       15)))

        ;; CLIF.
        (find-file (concat dir "sample.clif"))
        (clifford-test-check "sample.clif opens in clif-mode" (eq major-mode 'clif-mode) major-mode)
        (font-lock-ensure)
        (clifford-test-check "clif comment face" (eq (clifford-test-face-at "A CLIF") 'font-lock-comment-face))
        (clifford-test-check "clif opcode face" (eq (clifford-test-face-at "iadd") 'font-lock-builtin-face)
                             (clifford-test-face-at "iadd"))
        (clifford-test-check "clif value face" (eq (clifford-test-face-at "v3") 'font-lock-variable-name-face))
        (clifford-test-check "clif type face" (eq (clifford-test-face-at "i64 vmctx") 'font-lock-type-face))
        (let ((before (buffer-string)))
          (indent-region (point-min) (point-max))
          (clifford-test-check "clif indentation of the fixture"
                               (string-match-p "^    v2 = iconst.i32 -1$" (buffer-string)))
          (erase-buffer)
          (insert before)
          (set-buffer-modified-p nil))
        (clifford-test-check "eglot connects for clif-mode" (clifford-test-start-eglot))
        (let ((hover (clifford-test-hover-at "iadd v2")))
          (clifford-test-check "hover on iadd describes the opcode" (string-match-p "iadd" hover) hover))
        (goto-char (point-max))
        (insert "\nfunction %broken() {\nblock0:\n    v0 = nosuchop.i32\n    return\n}\n")
        (eglot--signal-textDocument/didChange)
        (clifford-test-check "a bad opcode gets a diagnostic"
                             (clifford-test-wait
                              (lambda () (let ((d (clifford-test-diagnostics-for (current-buffer))))
                                           (and (not (eq d :none)) (> (length d) 0))))
                              15))
        (dolist (server (hash-table-values eglot--servers-by-project))
          (dolist (s server) (ignore-errors (eglot-shutdown s nil 5))))
        (set-buffer-modified-p nil))
    (error (clifford-test-check "no Lisp error" nil failure)))
  (princ (format "emacs: %d passed, %d failed (Emacs %s, eglot from %s)\n"
                 clifford-test-passes clifford-test-failures emacs-version
                 (file-name-directory (locate-library "eglot"))))
  (kill-emacs (if (> clifford-test-failures 0) 1 0)))

;;; emacs-test.el ends here
