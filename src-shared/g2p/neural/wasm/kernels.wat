;; The neural G2P's matrix products and attention with 128-bit SIMD. scripts/g2p-model/assemble-kernels.ts
;; turns this text into kernels-wasm.ts. Plain JavaScript loops are scalar: these do four products
;; per instruction.
(module
  ;; The softmax's exponential is JavaScript's Math.exp: the same numbers as before these kernels.
  (import "math" "exp" (func $exp (param f64) (result f64)))
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
        (br $tLoop))))

  ;; Multi-head attention of one query: for each head h (a contiguous slice of dh = d / heads
  ;; floats, dh a multiple of 4), out_h = sum over j < len of softmax_j(q_h . k_jh * scale) v_jh.
  ;; k and v hold len rows of d floats; s is scratch for len floats.
  (func (export "attend")
    (param $q i32) (param $k i32) (param $v i32) (param $s i32) (param $out i32)
    (param $len i32) (param $d i32) (param $heads i32) (param $scale f32)
    (local $h i32) (local $hb i32) (local $dhBytes i32) (local $rowBytes i32) (local $j i32)
    (local $i i32) (local $kp i32) (local $sp i32) (local $sEnd i32)
    (local $acc v128) (local $score f32) (local $max f32) (local $sum f32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (local.set $dhBytes (i32.div_u (local.get $rowBytes) (local.get $heads)))
    (local.set $sEnd (i32.add (local.get $s) (i32.shl (local.get $len) (i32.const 2))))
    (block $hDone
      (loop $hLoop
        (br_if $hDone (i32.ge_u (local.get $h) (local.get $heads)))
        (local.set $hb (i32.mul (local.get $h) (local.get $dhBytes)))
        ;; Scores and their maximum.
        (local.set $max (f32.const -inf))
        (local.set $kp (i32.add (local.get $k) (local.get $hb)))
        (local.set $sp (local.get $s))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.ge_u (local.get $sp) (local.get $sEnd)))
            (local.set $acc (v128.const f32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (block $iDone
              (loop $iLoop
                (br_if $iDone (i32.ge_u (local.get $i) (local.get $dhBytes)))
                (local.set $acc (f32x4.add (local.get $acc)
                  (f32x4.mul (v128.load (i32.add (i32.add (local.get $q) (local.get $hb)) (local.get $i)))
                             (v128.load (i32.add (local.get $kp) (local.get $i))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $iLoop)))
            (local.set $score (f32.mul (local.get $scale)
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                       (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
            (f32.store (local.get $sp) (local.get $score))
            (local.set $max (f32.max (local.get $max) (local.get $score)))
            (local.set $kp (i32.add (local.get $kp) (local.get $rowBytes)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
            (br $jLoop)))
        ;; exp(score - max) and their sum, then the weights.
        (local.set $sum (f32.const 0))
        (local.set $sp (local.get $s))
        (block $eDone
          (loop $eLoop
            (br_if $eDone (i32.ge_u (local.get $sp) (local.get $sEnd)))
            (local.set $score (f32.demote_f64 (call $exp (f64.promote_f32 (f32.sub (f32.load (local.get $sp)) (local.get $max))))))
            (f32.store (local.get $sp) (local.get $score))
            (local.set $sum (f32.add (local.get $sum) (local.get $score)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
            (br $eLoop)))
        (local.set $sp (local.get $s))
        (block $wDone
          (loop $wLoop
            (br_if $wDone (i32.ge_u (local.get $sp) (local.get $sEnd)))
            (f32.store (local.get $sp) (f32.div (f32.load (local.get $sp)) (local.get $sum)))
            (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
            (br $wLoop)))
        ;; The weighted sum of the values, four floats of the head at a time.
        (local.set $i (i32.const 0))
        (block $oDone
          (loop $oLoop
            (br_if $oDone (i32.ge_u (local.get $i) (local.get $dhBytes)))
            (local.set $acc (v128.const f32x4 0 0 0 0))
            (local.set $kp (i32.add (i32.add (local.get $v) (local.get $hb)) (local.get $i)))
            (local.set $sp (local.get $s))
            (block $vDone
              (loop $vLoop
                (br_if $vDone (i32.ge_u (local.get $sp) (local.get $sEnd)))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load32_splat (local.get $sp)) (v128.load (local.get $kp)))))
                (local.set $kp (i32.add (local.get $kp) (local.get $rowBytes)))
                (local.set $sp (i32.add (local.get $sp) (i32.const 4)))
                (br $vLoop)))
            (v128.store (i32.add (i32.add (local.get $out) (local.get $hb)) (local.get $i)) (local.get $acc))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $oLoop)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $hLoop)))))
