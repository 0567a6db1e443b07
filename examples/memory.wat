;; A small module to try clifford on: `clifford translate examples/memory.wat` prints the CLIF
;; Wasmtime 49 generates (before optimisation), with each instruction's @offset into the binary.
(module
  (memory (export "memory") 1)
  (global $counter (mut i32) (i32.const 0))

  ;; Sum `count` i32 values starting at `base`.
  (func $sum (export "sum") (param $base i32) (param $count i32) (result i32)
    (local $total i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $total (i32.add (local.get $total) (i32.load (local.get $base))))
        (local.set $base (i32.add (local.get $base) (i32.const 4)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next)))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (local.get $total)))
