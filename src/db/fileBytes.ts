/**
 * A database file as an image may hold it: one array of bytes, or a file kept some other way that
 * gives its bytes back when asked (a checkpoint keeps its files as pages shared with the files of
 * other checkpoints: replay/pagedFiles.ts). A database is opened from the bytes, and never changes
 * them.
 */
export interface KeptFile {
  /** The file's length in bytes. */
  readonly length: number;
  /** The file's bytes, in an array made for the caller. */
  read(): Uint8Array;
}

export type FileBytes = Uint8Array | KeptFile;

export function bytesOf(file: FileBytes): Uint8Array {
  return file instanceof Uint8Array ? file : file.read();
}
