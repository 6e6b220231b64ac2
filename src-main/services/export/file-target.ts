import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { StreamTarget, StreamTargetChunk } from 'mediabunny';
import type { Mediabunny } from './codecs';

/** mediabunny gathers its writes into chunks of this size before they reach the file. */
const CHUNK_BYTES = 1 << 20;

/**
 * A mediabunny target writing to a file, like its FilePathTarget but safe on a full disk: that
 * one takes a short write (what a full disk or a file size limit gives first) for success and
 * leaves a cut file behind as if complete. Here a short write is continued, so the disk's
 * refusal (ENOSPC, EFBIG) comes back as an error from the muxer's next flush or finalize. The
 * file is created before this returns, so a target that cannot be written fails here.
 */
export async function fileTarget({ StreamTarget: Target }: Mediabunny, path: string): Promise<{ target: StreamTarget; close: () => Promise<void> }> {
  let handle: FileHandle | undefined = await open(path, 'w');
  const close = async () => {
    const opened = handle;
    handle = undefined;
    await opened?.close();
  };
  const writable = new WritableStream<StreamTargetChunk>({
    write: async (chunk) => {
      if (!handle) throw new Error('the file is closed');
      await writeFully(handle, chunk.data, chunk.position);
    },
    close,
    abort: close,
  });
  return { target: new Target(writable, { chunked: true, chunkSize: CHUNK_BYTES }), close };
}

/** Writes all of `data` at `position`: a short write is continued until the disk refuses. */
export async function writeFully(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.byteLength) {
    const { bytesWritten } = await handle.write(data, done, data.byteLength - done, position + done);
    done += bytesWritten;
  }
}
