// MP4 boxes written by hand for the M4B's chapter marks: a box, a full box, big-endian fields.

export function box(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A box whose body starts with a version byte and 24 bits of flags. */
export function fullBox(type: string, version: number, flags: number, ...fields: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE((((version & 0xff) << 24) | (flags & 0xff_ffff)) >>> 0);
  return box(type, Buffer.concat([head, ...fields]));
}

export function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}

export function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

export function u64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(value));
  return out;
}

/** At most `max` bytes of UTF-8, cut at a character boundary. */
export function truncateUtf8(text: string, max: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return bytes;
  let end = max;
  // Continuation bytes are 10xxxxxx: back up to the start of the character that does not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
