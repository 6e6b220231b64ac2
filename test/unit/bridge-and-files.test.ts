import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeChunkFrame, encodeChunkFrame, parseWithBytes, stringifyWithBytes } from '../../src-shared/ipc/bridge-frames';
import { contentTypeOf, resolveInside } from '../../src-main/services/static-files';

describe('bridge chunk frames', () => {
  it('carry samples and spans intact for any header length', () => {
    for (const session of ['s', 's1', 's12', 's123']) {
      const chunk = {
        sequence: 3,
        sampleRate: 24000,
        samples: new Float32Array([0.25, -0.5, 1e-7, 0.999]),
        sentences: [{ sentence: 2, startSample: 0, endSample: 4, start: 10, end: 20 }],
        words: [{ startSample: 1, endSample: 3, start: 12, end: 15 }],
      };
      const frame = encodeChunkFrame(session, chunk);
      const decoded = decodeChunkFrame(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer);
      expect(decoded.session).toBe(session);
      expect(decoded.chunk).toEqual(chunk);
    }
  });
});

describe('resolveInside', () => {
  const root = resolve('/srv/app');
  it('serves files inside the folder', () => {
    expect(resolveInside(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
  });
  it('refuses every way out of the folder', () => {
    for (const path of ['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2fsecret', '/%00', '/', '/%E0%A4%A']) {
      expect(resolveInside(root, path), path).toBeUndefined();
    }
  });
});

describe('contentTypeOf', () => {
  it('names the renderer\'s file types, whatever the case of the extension, and plain bytes otherwise', () => {
    expect(contentTypeOf('/srv/app/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/srv/app/assets/index-0SE.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/srv/app/assets/index-0SE.js.map')).toBe('application/json');
    expect(contentTypeOf('/srv/app/assets/STYLE.CSS')).toBe('text/css; charset=utf-8');
    for (const path of ['/srv/app/LICENSE', '/srv/app/archive.tar.gz', '/srv/app.d/readme']) expect(contentTypeOf(path), path).toBe('application/octet-stream');
  });
});

describe('bridge JSON with bytes', () => {
  it('carries byte arrays of any size through JSON, and leaves look-alike objects alone', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 31) & 0xff);
    const back = parseWithBytes(stringifyWithBytes({ id: 1, params: { name: 'a.epub', bytes }, other: { $bytes: 'x', extra: 1 } })) as {
      params: { bytes: Uint8Array };
      other: unknown;
    };
    expect(back.params.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.params.bytes)).toEqual(Array.from(bytes));
    expect(back.other).toEqual({ $bytes: 'x', extra: 1 });
  });
});
