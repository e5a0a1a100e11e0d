;; The hot loops of tree training and prediction, in WebAssembly: histogram passes, sample partitions,
;; binning and tree walks run 2-3x faster here than as JavaScript over typed arrays (no bounds checks,
;; 32-bit index arithmetic, branch-free selects). kernels.ts loads the module compiled from this file (npm run build:wasm writes
;; kernels.wasm.ts; a test checks it is up to date). The memory is shared so a second thread can run
;; the same kernels on the same data.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Copies the gradients (and hessians, unless $h = 0) of samples idx[start..end) into $og/$oh in that
  ;; order, so the histogram pass reads them sequentially (f32 each).
  (func (export "gather")
    (param $idx i32) (param $start i32) (param $end i32) (param $g i32) (param $h i32) (param $og i32) (param $oh i32)
    (local $k i32) (local $i i32) (local $o i32)
    (local.set $k (local.get $start))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (local.set $i (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 2)))
        (local.set $o (i32.shl (i32.sub (local.get $k) (local.get $start)) (i32.const 2)))
        (f32.store (i32.add (local.get $og) (local.get $o)) (f32.load (i32.add (local.get $g) (local.get $i))))
        (if (local.get $h)
          (then (f32.store (i32.add (local.get $oh) (local.get $o)) (f32.load (i32.add (local.get $h) (local.get $i))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each))))

;; The histogram of features [f0, f1) over samples idx[start..end), one feature at a time from the
  ;; column layout (cols: one u8 column of $rows bins per feature): a column is small enough to stay in
  ;; cache while the samples of a node are looked up in it. og/oh hold the samples' gradients and
  ;; hessians in idx order from $start (gather); $oh = 0 means every hessian is 1. With $idx = 0 the
  ;; samples are rows $start..$end themselves (a tree's root) and og/oh are indexed by row.
  ;; Zeroes those features of the histogram first.
  (func (export "histogram_cols")
    (param $hist i32) (param $cols i32) (param $rows i32) (param $f0 i32) (param $f1 i32)
    (param $idx i32) (param $start i32) (param $end i32) (param $og i32) (param $oh i32)
    (local $f i32) (local $col i32) (local $base i32)
    (memory.fill
      (i32.add (local.get $hist) (i32.mul (local.get $f0) (i32.const 6144)))
      (i32.const 0)
      (i32.mul (i32.sub (local.get $f1) (local.get $f0)) (i32.const 6144)))
    (local.set $f (local.get $f0))
    (block $features_done
      (loop $features
        (br_if $features_done (i32.ge_u (local.get $f) (local.get $f1)))
        (local.set $col (i32.add (local.get $cols) (i32.mul (local.get $f) (local.get $rows))))
        (local.set $base (i32.add (local.get $hist) (i32.mul (local.get $f) (i32.const 6144))))
        (if (local.get $idx)
          (then (call $feature_indexed (local.get $base) (local.get $col) (local.get $idx) (local.get $start) (local.get $end) (local.get $og) (local.get $oh)))
          (else (call $feature_contiguous (local.get $base) (local.get $col) (local.get $start) (local.get $end) (local.get $og) (local.get $oh))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $features))))

  ;; One feature's histogram at $base: bins col[idx[start + k]], gradients og[k] (and oh[k]).
  (func $feature_indexed
    (param $base i32) (param $col i32) (param $idx i32) (param $start i32) (param $end i32) (param $og i32) (param $oh i32)
    (local $k i32) (local $n i32) (local $ids i32) (local $o i32)
    (local.set $n (i32.shl (i32.sub (local.get $end) (local.get $start)) (i32.const 2)))
    (local.set $ids (i32.add (local.get $idx) (i32.shl (local.get $start) (i32.const 2))))
    (if (local.get $oh)
      (then
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
            (local.set $o
              (i32.add (local.get $base)
                (i32.mul (i32.load8_u (i32.add (local.get $col) (i32.load (i32.add (local.get $ids) (local.get $k))))) (i32.const 24))))
            (f64.store (local.get $o)
              (f64.add (f64.load (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $og) (local.get $k))))))
            (f64.store offset=8 (local.get $o)
              (f64.add (f64.load offset=8 (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $oh) (local.get $k))))))
            (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o)) (f64.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $each))))
      (else
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
            (local.set $o
              (i32.add (local.get $base)
                (i32.mul (i32.load8_u (i32.add (local.get $col) (i32.load (i32.add (local.get $ids) (local.get $k))))) (i32.const 24))))
            (f64.store (local.get $o)
              (f64.add (f64.load (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $og) (local.get $k))))))
            (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o)) (f64.const 1)))
            (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o)) (f64.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $each))))))

  ;; One feature's histogram at $base over rows start..end: bins col[row], gradients og[row] (and oh[row]).
  (func $feature_contiguous
    (param $base i32) (param $col i32) (param $start i32) (param $end i32) (param $og i32) (param $oh i32)
    (local $r i32) (local $o i32) (local $p i32)
    (local.set $r (local.get $start))
    (if (local.get $oh)
      (then
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $end)))
            (local.set $p (i32.shl (local.get $r) (i32.const 2)))
            (local.set $o
              (i32.add (local.get $base) (i32.mul (i32.load8_u (i32.add (local.get $col) (local.get $r))) (i32.const 24))))
            (f64.store (local.get $o)
              (f64.add (f64.load (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $og) (local.get $p))))))
            (f64.store offset=8 (local.get $o)
              (f64.add (f64.load offset=8 (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $oh) (local.get $p))))))
            (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o)) (f64.const 1)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each))))
      (else
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $r) (local.get $end)))
            (local.set $o
              (i32.add (local.get $base) (i32.mul (i32.load8_u (i32.add (local.get $col) (local.get $r))) (i32.const 24))))
            (f64.store (local.get $o)
              (f64.add (f64.load (local.get $o)) (f64.promote_f32 (f32.load (i32.add (local.get $og) (i32.shl (local.get $r) (i32.const 2)))))))
            (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o)) (f64.const 1)))
            (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o)) (f64.const 1)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each))))))

  ;; Adds every tree's output for $rows rows to $raw (f64, $outputs per row, row-major). Rows are
  ;; row-major f64 at $x ($F per row; NaN missing). A node is 24 bytes at $nodes + 24 * index: f64
  ;; threshold (the value, at a leaf), i32 feature, i32 left, i32 right (node indexes), i32 meta: bit 0
  ;; missing goes left, bits 1.. the categorical bitset's word offset + 1 (0: numeric). A leaf is its own
  ;; left and right child (feature 0, meta 0), so every row can take exactly depths[t] steps in tree t:
  ;; the tree is walked level by level for all the rows at once ($cur: each row's node, i32), and the
  ;; rows' independent steps overlap in the processor instead of waiting on each other's loads.
  ;; Tree t adds to output t % $outputs and starts at node roots[t].
  (func (export "predict")
    (param $nodes i32) (param $roots i32) (param $depths i32) (param $trees i32) (param $outputs i32)
    (param $bitsets i32) (param $x i32) (param $rows i32) (param $F i32) (param $raw i32) (param $cur i32)
    (local $t i32) (local $k i32) (local $root i32) (local $depth i32) (local $d i32) (local $i i32)
    (local $node i32) (local $v f64) (local $meta i32) (local $left i32) (local $code i32) (local $o i32)
    (local $p i32) (local $end i32) (local $row i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $F) (i32.const 3)))
    (local.set $end (i32.add (local.get $cur) (i32.shl (local.get $rows) (i32.const 2))))
    (block $trees_done
      (loop $each_tree
        (br_if $trees_done (i32.ge_u (local.get $t) (local.get $trees)))
        (local.set $root (i32.load (i32.add (local.get $roots) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $depth (i32.load (i32.add (local.get $depths) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $k (i32.rem_u (local.get $t) (local.get $outputs)))
        (local.set $p (local.get $cur))
        (block $filled
          (loop $fill
            (br_if $filled (i32.ge_u (local.get $p) (local.get $end)))
            (i32.store (local.get $p) (local.get $root))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $fill)))
        (local.set $d (i32.const 0))
        (block $levels_done
          (loop $each_level
            (br_if $levels_done (i32.ge_u (local.get $d) (local.get $depth)))
            (local.set $p (local.get $cur))
            (local.set $row (local.get $x))
            (block $rows_done
              (loop $each_row
                (br_if $rows_done (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $node (i32.add (local.get $nodes) (i32.mul (i32.load (local.get $p)) (i32.const 24))))
                (local.set $v (f64.load (i32.add (local.get $row) (i32.shl (i32.load offset=8 (local.get $node)) (i32.const 3)))))
                (local.set $meta (i32.load offset=20 (local.get $node)))
                (if (i32.shr_u (local.get $meta) (i32.const 1))
                  (then
                    ;; A category code: in the bitset goes left; anything else (not a code the model
                    ;; knows) goes right; NaN as the split says.
                    (local.set $left (i32.and (local.get $meta) (i32.const 1)))
                    (if (f64.eq (local.get $v) (local.get $v))
                      (then
                        (local.set $left (i32.const 0))
                        (if (i32.and (f64.ge (local.get $v) (f64.const 0)) (f64.lt (local.get $v) (f64.const 255)))
                          (then
                            (local.set $code (i32.trunc_f64_s (local.get $v)))
                            (if (f64.eq (f64.convert_i32_s (local.get $code)) (local.get $v))
                              (then
                                (local.set $left
                                  (i32.and
                                    (i32.shr_u
                                      (i32.load (i32.add (local.get $bitsets)
                                        (i32.shl
                                          (i32.add (i32.sub (i32.shr_u (local.get $meta) (i32.const 1)) (i32.const 1))
                                            (i32.shr_u (local.get $code) (i32.const 5)))
                                          (i32.const 2))))
                                      (i32.and (local.get $code) (i32.const 31)))
                                    (i32.const 1))))))))))
                  (else
                    (local.set $left
                      (select
                        (i32.and (local.get $meta) (i32.const 1))
                        (f64.le (local.get $v) (f64.load (local.get $node)))
                        (f64.ne (local.get $v) (local.get $v))))))
                (i32.store (local.get $p)
                  (select (i32.load offset=12 (local.get $node)) (i32.load offset=16 (local.get $node)) (local.get $left)))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (local.set $row (i32.add (local.get $row) (local.get $stride)))
                (br $each_row)))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $each_level)))
        (local.set $p (local.get $cur))
        (local.set $o (i32.add (local.get $raw) (i32.shl (local.get $k) (i32.const 3))))
        (block $added
          (loop $add
            (br_if $added (i32.ge_u (local.get $p) (local.get $end)))
            (f64.store (local.get $o)
              (f64.add (f64.load (local.get $o))
                (f64.load (i32.add (local.get $nodes) (i32.mul (i32.load (local.get $p)) (i32.const 24))))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $o (i32.add (local.get $o) (i32.shl (local.get $outputs) (i32.const 3))))
            (br $add)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each_tree))))

  ;; Reorders idx[start..end) so the samples going left come first, each side in its previous order;
  ;; returns where the right side starts. col: one feature's bins, u8 per row. A numeric split ($set = 0)
  ;; sends bins <= $bin left and the missing bin 255 where $missing_left says; a categorical one the bins
  ;; whose bit is set in the 8 x u32 bitset at $set.
  (func (export "partition")
    (param $col i32) (param $idx i32) (param $start i32) (param $end i32)
    (param $bin i32) (param $missing_left i32) (param $set i32) (param $scratch i32)
    (result i32)
    (local $k i32) (local $i i32) (local $b i32) (local $l i32) (local $r i32) (local $left i32)
    (local.set $l (local.get $start))
    (local.set $k (local.get $start))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (local.set $i (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $b (i32.load8_u (i32.add (local.get $col) (local.get $i))))
        (if (local.get $set)
          (then
            (local.set $left
              (i32.and
                (i32.shr_u
                  (i32.load (i32.add (local.get $set) (i32.shl (i32.shr_u (local.get $b) (i32.const 5)) (i32.const 2))))
                  (i32.and (local.get $b) (i32.const 31)))
                (i32.const 1))))
          (else
            (local.set $left
              (select
                (local.get $missing_left)
                (i32.le_u (local.get $b) (local.get $bin))
                (i32.eq (local.get $b) (i32.const 255))))))
        (if (local.get $left)
          (then
            (i32.store (i32.add (local.get $idx) (i32.shl (local.get $l) (i32.const 2))) (local.get $i))
            (local.set $l (i32.add (local.get $l) (i32.const 1))))
          (else
            (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 2))) (local.get $i))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each)))
    (memory.copy
      (i32.add (local.get $idx) (i32.shl (local.get $l) (i32.const 2)))
      (local.get $scratch)
      (i32.shl (local.get $r) (i32.const 2)))
    (local.get $l))

;; Bins one numeric column: values (f64, $rows of them) against the increasing thresholds t[0..$n):
  ;; the bin of v is the number of thresholds below it, 255 for NaN, written to $out (u8 per row).
  (func (export "bin_numeric")
    (param $values i32) (param $rows i32) (param $t i32) (param $n i32) (param $out i32)
    (local $i i32) (local $v f64) (local $lo i32) (local $hi i32) (local $mid i32) (local $c i32) (local $b i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $v (f64.load (i32.add (local.get $values) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.ne (local.get $v) (local.get $v))
          (then (local.set $b (i32.const 255)))
          (else
            (local.set $lo (i32.const 0))
            (local.set $hi (local.get $n))
            (block $found
              (loop $search
                (br_if $found (i32.ge_u (local.get $lo) (local.get $hi)))
                (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
                (local.set $c
                  (f64.le (local.get $v) (f64.load (i32.add (local.get $t) (i32.shl (local.get $mid) (i32.const 3))))))
                (local.set $hi (select (local.get $mid) (local.get $hi) (local.get $c)))
                (local.set $lo (select (local.get $lo) (i32.add (local.get $mid) (i32.const 1)) (local.get $c)))
                (br $search)))
            (local.set $b (local.get $lo))))
        (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $b))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))
)
