;; The neural G2P's matrix products with 128-bit SIMD. scripts/g2p-model/assemble-kernel.ts turns
;; this text into linear-wasm.ts. Plain JavaScript loops are scalar: these do four products per
;; instruction.
(module
  (memory (export "memory") 1)

  ;; y[t][o] = b[o] + sum over i of x[t][i] * w[i][o], for t < n and o < out (out a multiple of 4).
  ;; w is torch's weight transposed (in x out, row-major), so each x[t][i] is multiplied into a run
  ;; of outputs at once and no horizontal sums are needed. Pointers are byte offsets, 16-byte
  ;; aligned; y must not overlap x.
  (func (export "linear")
    (param $w i32) (param $b i32) (param $x i32) (param $y i32)
    (param $n i32) (param $in i32) (param $out i32)
    (local $t i32) (local $o i32) (local $xp i32) (local $xEnd i32) (local $ip i32)
    (local $yp i32) (local $wp i32) (local $rowBytes i32) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowBytes (i32.shl (local.get $out) (i32.const 2)))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $t) (local.get $in)) (i32.const 2))))
        (local.set $xEnd (i32.add (local.get $xp) (i32.shl (local.get $in) (i32.const 2))))
        (local.set $yp (i32.add (local.get $y) (i32.mul (local.get $t) (local.get $rowBytes))))
        (local.set $o (i32.const 0))
        ;; Sixteen outputs at a time: four accumulators stay in registers over the row of x.
        (block $o16Done
          (loop $o16Loop
            (br_if $o16Done (i32.gt_u (i32.add (local.get $o) (i32.const 16)) (local.get $out)))
            (local.set $wp (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $a0 (v128.load (local.get $wp)))
            (local.set $a1 (v128.load offset=16 (local.get $wp)))
            (local.set $a2 (v128.load offset=32 (local.get $wp)))
            (local.set $a3 (v128.load offset=48 (local.get $wp)))
            (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $ip (local.get $xp))
            (block $i16Done
              (loop $i16Loop
                (br_if $i16Done (i32.ge_u (local.get $ip) (local.get $xEnd)))
                (local.set $xv (v128.load32_splat (local.get $ip)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load (local.get $wp)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=16 (local.get $wp)))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=32 (local.get $wp)))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=48 (local.get $wp)))))
                (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
                (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
                (br $i16Loop)))
            (local.set $wp (i32.add (local.get $yp) (i32.shl (local.get $o) (i32.const 2))))
            (v128.store (local.get $wp) (local.get $a0))
            (v128.store offset=16 (local.get $wp) (local.get $a1))
            (v128.store offset=32 (local.get $wp) (local.get $a2))
            (v128.store offset=48 (local.get $wp) (local.get $a3))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $o16Loop)))
        ;; The last outputs, four at a time (an output count of 4, 8 or 12 past the sixteens).
        (block $o4Done
          (loop $o4Loop
            (br_if $o4Done (i32.ge_u (local.get $o) (local.get $out)))
            (local.set $a0 (v128.load (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 2)))))
            (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $ip (local.get $xp))
            (block $i4Done
              (loop $i4Loop
                (br_if $i4Done (i32.ge_u (local.get $ip) (local.get $xEnd)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat (local.get $ip)) (v128.load (local.get $wp)))))
                (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
                (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
                (br $i4Loop)))
            (v128.store (i32.add (local.get $yp) (i32.shl (local.get $o) (i32.const 2))) (local.get $a0))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $o4Loop)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tLoop)))))
