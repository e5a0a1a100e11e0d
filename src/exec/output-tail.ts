import { StringDecoder } from 'node:string_decoder';

/**
 * Decodes a byte stream as UTF-8 (never splitting a character across chunks) and keeps only its last
 * `limit` characters, so a chatty process cannot grow our memory without bound.
 */
export class OutputTail {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';

  constructor(private readonly limit: number) {}

  /** Adds a chunk and returns it decoded. */
  push(chunk: Buffer): string {
    return this.keep(this.decoder.write(chunk));
  }

  end(): string {
    this.keep(this.decoder.end());
    return this.text.length > this.limit ? this.text.slice(-this.limit) : this.text;
  }

  private keep(decoded: string): string {
    this.text += decoded;
    // Trimming only past twice the limit keeps this linear instead of slicing on every chunk.
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
    return decoded;
  }
}
