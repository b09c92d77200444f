/** A stored index or vector file of another format version, or damaged: the caller drops it and rebuilds. */
export class IndexFormatError extends Error {
  override readonly name = 'IndexFormatError';
}
