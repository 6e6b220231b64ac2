;; The neural G2P's layers with 128-bit SIMD: matrix products, attention, LayerNorm.
;; scripts/g2p-model/assemble-kernels.ts turns this text into kernels-wasm.ts. Plain JavaScript loops
;; are scalar: these do four products per instruction.
(module
  (memory (export "memory") 1)

  ;; exp(x) for the softmax (x <= 0): 2^k e^r with |r| <= ln 2 / 2 and e^r from its Taylor series to
  ;; r^7 (truncation below 1e-8, under float32's own rounding). A call out to Math.exp cost more
  ;; than the attention around it. NaN gives NaN (the saturating conversion does not trap), as
  ;; Math.exp did.
  (func $exp (param $x f32) (result f32)
    (local $k f32) (local $r f32) (local $p f32)
    (if (f32.lt (local.get $x) (f32.const -87.3)) (then (return (f32.const 0))))
    (local.set $k (f32.nearest (f32.mul (local.get $x) (f32.const 1.44269504))))
    (local.set $r (f32.sub (f32.sub (local.get $x) (f32.mul (local.get $k) (f32.const 0.693145751953125)))
                           (f32.mul (local.get $k) (f32.const 1.428606765330187e-6))))
    (local.set $p (f32.const 0.0001984127))
    (local.set $p (f32.add (f32.const 0.0013888889) (f32.mul (local.get $r) (local.get $p))))
    (local.set $p (f32.add (f32.const 0.008333334) (f32.mul (local.get $r) (local.get $p))))
    (local.set $p (f32.add (f32.const 0.041666668) (f32.mul (local.get $r) (local.get $p))))
    (local.set $p (f32.add (f32.const 0.16666667) (f32.mul (local.get $r) (local.get $p))))
    (local.set $p (f32.add (f32.const 0.5) (f32.mul (local.get $r) (local.get $p))))
    (local.set $p (f32.add (f32.const 1) (f32.mul (local.get $r) (local.get $p))))
    (local.set $p (f32.add (f32.const 1) (f32.mul (local.get $r) (local.get $p))))
    (f32.mul (local.get $p)
      (f32.reinterpret_i32 (i32.shl (i32.add (i32.trunc_sat_f32_s (local.get $k)) (i32.const 127)) (i32.const 23)))))

  ;; What a linear layer writes for four outputs: the sum itself (mode 0), its ReLU (mode 1), or
  ;; the sum added to what y holds there (mode 2: a residual connection).
  (func $finish (param $sum v128) (param $at i32) (param $mode i32) (result v128)
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (return (f32x4.max (local.get $sum) (v128.const f32x4 0 0 0 0)))))
    (if (i32.eq (local.get $mode) (i32.const 2)) (then (return (f32x4.add (local.get $sum) (v128.load (local.get $at))))))
    (local.get $sum))

  ;; y[t][o] = b[o] + sum over i of x[t][i] * w[i][o], for t < n and o < out (out a multiple of 4),
  ;; written as $finish's mode says. w is torch's weight transposed (in x out, row-major), so each
  ;; x[t][i] is multiplied into a run of outputs at once and no horizontal sums are needed.
  ;; Pointers are byte offsets, 16-byte aligned; y must not overlap x.
  (func (export "linear")
    (param $w i32) (param $b i32) (param $x i32) (param $y i32)
    (param $n i32) (param $in i32) (param $out i32) (param $mode i32)
    (local $t i32) (local $o i32) (local $xp i32) (local $xEnd i32) (local $ip i32)
    (local $yp i32) (local $wp i32) (local $rowBytes i32) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $inBytes i32) (local $yq i32) (local $xw v128) (local $wv v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $rowBytes (i32.shl (local.get $out) (i32.const 2)))
    (local.set $inBytes (i32.shl (local.get $in) (i32.const 2)))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $t) (local.get $in)) (i32.const 2))))
        (local.set $xEnd (i32.add (local.get $xp) (i32.shl (local.get $in) (i32.const 2))))
        (local.set $yp (i32.add (local.get $y) (i32.mul (local.get $t) (local.get $rowBytes))))
        (local.set $o (i32.const 0))
        ;; Two rows at once (out a multiple of 16): each weight load serves both, which the
        ;; encoder's rows of letters make the common case.
        (if (i32.and (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $n)) (i32.eqz (i32.and (local.get $out) (i32.const 15))))
          (then
            (block $p16Done
              (loop $p16Loop
                (br_if $p16Done (i32.ge_u (local.get $o) (local.get $out)))
                (local.set $wp (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 2))))
                (local.set $a0 (v128.load (local.get $wp)))
                (local.set $a1 (v128.load offset=16 (local.get $wp)))
                (local.set $a2 (v128.load offset=32 (local.get $wp)))
                (local.set $a3 (v128.load offset=48 (local.get $wp)))
                (local.set $c0 (local.get $a0))
                (local.set $c1 (local.get $a1))
                (local.set $c2 (local.get $a2))
                (local.set $c3 (local.get $a3))
                (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
                (local.set $ip (local.get $xp))
                (block $piDone
                  (loop $piLoop
                    (br_if $piDone (i32.ge_u (local.get $ip) (local.get $xEnd)))
                    (local.set $xv (v128.load32_splat (local.get $ip)))
                    (local.set $xw (v128.load32_splat (i32.add (local.get $ip) (local.get $inBytes))))
                    (local.set $wv (v128.load (local.get $wp)))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (local.get $wv))))
                    (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $xw) (local.get $wv))))
                    (local.set $wv (v128.load offset=16 (local.get $wp)))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (local.get $wv))))
                    (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $xw) (local.get $wv))))
                    (local.set $wv (v128.load offset=32 (local.get $wp)))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (local.get $wv))))
                    (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $xw) (local.get $wv))))
                    (local.set $wv (v128.load offset=48 (local.get $wp)))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (local.get $wv))))
                    (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $xw) (local.get $wv))))
                    (local.set $wp (i32.add (local.get $wp) (local.get $rowBytes)))
                    (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
                    (br $piLoop)))
                (local.set $wp (i32.add (local.get $yp) (i32.shl (local.get $o) (i32.const 2))))
                (v128.store (local.get $wp) (call $finish (local.get $a0) (local.get $wp) (local.get $mode)))
                (v128.store offset=16 (local.get $wp) (call $finish (local.get $a1) (i32.add (local.get $wp) (i32.const 16)) (local.get $mode)))
                (v128.store offset=32 (local.get $wp) (call $finish (local.get $a2) (i32.add (local.get $wp) (i32.const 32)) (local.get $mode)))
                (v128.store offset=48 (local.get $wp) (call $finish (local.get $a3) (i32.add (local.get $wp) (i32.const 48)) (local.get $mode)))
                (local.set $yq (i32.add (local.get $wp) (local.get $rowBytes)))
                (v128.store (local.get $yq) (call $finish (local.get $c0) (local.get $yq) (local.get $mode)))
                (v128.store offset=16 (local.get $yq) (call $finish (local.get $c1) (i32.add (local.get $yq) (i32.const 16)) (local.get $mode)))
                (v128.store offset=32 (local.get $yq) (call $finish (local.get $c2) (i32.add (local.get $yq) (i32.const 32)) (local.get $mode)))
                (v128.store offset=48 (local.get $yq) (call $finish (local.get $c3) (i32.add (local.get $yq) (i32.const 48)) (local.get $mode)))
                (local.set $o (i32.add (local.get $o) (i32.const 16)))
                (br $p16Loop)))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br $tLoop)))
        ;; One row: sixteen outputs at a time: four accumulators stay in registers over the row of x.
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
            (v128.store (local.get $wp) (call $finish (local.get $a0) (local.get $wp) (local.get $mode)))
            (v128.store offset=16 (local.get $wp) (call $finish (local.get $a1) (i32.add (local.get $wp) (i32.const 16)) (local.get $mode)))
            (v128.store offset=32 (local.get $wp) (call $finish (local.get $a2) (i32.add (local.get $wp) (i32.const 32)) (local.get $mode)))
            (v128.store offset=48 (local.get $wp) (call $finish (local.get $a3) (i32.add (local.get $wp) (i32.const 48)) (local.get $mode)))
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
            (local.set $wp (i32.add (local.get $yp) (i32.shl (local.get $o) (i32.const 2))))
            (v128.store (local.get $wp) (call $finish (local.get $a0) (local.get $wp) (local.get $mode)))
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
            (local.set $score (call $exp (f32.sub (f32.load (local.get $sp)) (local.get $max))))
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
        (br $hLoop))))

  ;; LayerNorm of n rows of d floats (d a multiple of 4): y = (x - mean) / sqrt(variance + 1e-5) * g + b,
  ;; as torch's (biased variance). y may be x.
  (func (export "layerNorm")
    (param $x i32) (param $y i32) (param $g i32) (param $b i32) (param $n i32) (param $d i32)
    (local $t i32) (local $rowBytes i32) (local $i i32) (local $xp i32) (local $yp i32)
    (local $acc v128) (local $c v128) (local $mean v128) (local $inv v128) (local $sum f32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $rowBytes))))
        (local.set $yp (i32.add (local.get $y) (i32.mul (local.get $t) (local.get $rowBytes))))
        ;; The mean.
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $mDone
          (loop $mLoop
            (br_if $mDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $xp) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $mLoop)))
        (local.set $sum (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                                 (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $mean (f32x4.splat (f32.div (local.get $sum) (f32.convert_i32_u (local.get $d)))))
        ;; The variance about it.
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $vDone
          (loop $vLoop
            (br_if $vDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (local.set $c (f32x4.sub (v128.load (i32.add (local.get $xp) (local.get $i))) (local.get $mean)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $c) (local.get $c))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $vLoop)))
        (local.set $sum (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                                 (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $inv (f32x4.splat (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.div (local.get $sum) (f32.convert_i32_u (local.get $d))) (f32.const 1e-5))))))
        ;; Normalised, scaled and shifted.
        (local.set $i (i32.const 0))
        (block $yDone
          (loop $yLoop
            (br_if $yDone (i32.ge_u (local.get $i) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $yp) (local.get $i))
              (f32x4.add
                (f32x4.mul (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $xp) (local.get $i))) (local.get $mean)) (local.get $inv))
                           (v128.load (i32.add (local.get $g) (local.get $i))))
                (v128.load (i32.add (local.get $b) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $yLoop)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tLoop)))))
