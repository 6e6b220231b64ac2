#!/bin/sh
# npm run train:g2p [-- train.py options]: retrains the neural G2P into models/g2p/.
# Training needs PyTorch (Debian's python3-torch); the app never needs Python.
set -e
here=$(dirname "$0")
py=/usr/bin/python3
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch (and OpenBLAS: torch's generic BLAS is ~5x slower)" >&2
  apt-get install -y python3-torch libopenblas0-serial
fi
# A model that reads eSpeak's or CMUdict's output (--hints) learns from what the app would give
# it: hints.ts runs that code over every training word first (about 8.5 minutes).
case " $* " in
  *" --hints "*)
    hints=$(mktemp -d)/g2p-hints.tsv
    npx tsx "$here/hints.ts" "$hints"
    set -- "$@" --hints-file "$hints"
    ;;
esac
# One thread: the result is the same on every machine with the same packages, and the other core stays free.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 exec "$py" "$here/train.py" "$@"
