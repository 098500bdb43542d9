// The one crash-safe file write: temp file in the same folder, fsync, rename — readers see the old file or the new one.
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * write-file-atomic writes a uniquely named temp file beside the target, fsyncs it, renames it over the target and
 * removes the temp file on failure. Progress files that a resume trusts, fusion.json that a server reloads, caches and
 * bundle files all go through here, so none of them can be torn by a crash or a full disk.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileAtomic.sync(
    file,
    typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    {
      fsync: true,
    },
  );
}

export function writeJsonAtomicSync(file: string, value: unknown, indent?: number): void {
  writeFileAtomicSync(file, `${JSON.stringify(value, null, indent)}\n`);
}
