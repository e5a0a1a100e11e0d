import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { invalid } from '../core/index.js';

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/** True when a file in `encoding` can go to DuckDB as it is (DuckDB's readers expect UTF-8). */
export function isUtf8(encoding: string | undefined): boolean {
  return encoding === undefined || UTF8_LABELS.has(encoding.trim().toLowerCase());
}

// Enough to see a byte-order mark and the pattern of NUL bytes that UTF-16 text has.
const SNIFF_BYTES = 4096;

/**
 * The encoding of a text file given without one: UTF-16 (LE or BE) when it starts with that byte-order
 * mark, or, without a mark, when its first bytes are mostly ASCII in UTF-16 (a NUL byte beside every
 * character); else undefined, meaning UTF-8 (a UTF-8 mark is skipped as it is). Anything else
 * (Latin-1, Shift-JIS...) cannot be told from UTF-8 with confidence and must be given: it then fails as
 * invalid UTF-8, naming the file, instead of being guessed wrong.
 */
export async function detectEncoding(path: string): Promise<'utf-16le' | 'utf-16be' | undefined> {
  const handle = await open(path, 'r');
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const pairs = bytes.length >>> 1;
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] !== 0) evenNul++;
    else if (bytes[i] !== 0 && bytes[i + 1] === 0) oddNul++;
  }
  // Text in UTF-8 has no NUL bytes at all; ASCII-range text in UTF-16 has one in every pair.
  if (oddNul >= pairs * 0.9) return 'utf-16le';
  if (evenNul >= pairs * 0.9) return 'utf-16be';
  return undefined;
}

/**
 * Rewrites a text file as UTF-8, streaming. DuckDB's CSV reader knows only UTF-8, UTF-16 and Latin-1
 * without a downloadable extension, and its JSON reader only UTF-8; TextDecoder knows every WHATWG
 * encoding (note: WHATWG maps the label 'latin1' to windows-1252, a superset in practice). `fatal`
 * makes bytes that are invalid in the declared encoding an error instead of silent U+FFFD.
 */
export async function transcodeToUtf8(
  path: string,
  encoding: string,
  outPath: string,
  file: string,
): Promise<void> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw invalid(`${file}: unsupported encoding '${encoding}'`, { file, field: 'encoding' });
  }
  try {
    await pipeline(
      createReadStream(path),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) yield decoder.decode(chunk, { stream: true });
        yield decoder.decode();
      },
      createWriteStream(outPath),
    );
  } catch (err) {
    if (err instanceof TypeError) {
      throw invalid(`${file}: the file is not valid ${encoding}`, { file, field: 'encoding' });
    }
    throw err;
  }
}

// A header longer than this is not a header we can check; DuckDB still reads the file.
const HEADER_PROBE_BYTES = 1 << 20;

/**
 * The fields of a CSV file's first record, parsed with the file's own dialect. DuckDB silently renames
 * duplicate and empty header names (`a_1`, `column1`), so the raw names must be read before it does.
 * Returns null when the first record does not end within the probe window.
 */
export async function readFirstRecord(
  path: string,
  delimiter: string,
  quote: string,
): Promise<string[] | null> {
  const handle = await open(path, 'r');
  let text: string;
  let whole: boolean;
  try {
    const buffer = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_PROBE_BYTES, 0);
    text = new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead));
    whole = bytesRead < HEADER_PROBE_BYTES;
  } finally {
    await handle.close();
  }
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === quote && text[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) inQuotes = false;
      else field += ch;
    } else if (quote !== '' && ch === quote) inQuotes = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      fields.push(field);
      return fields;
    } else field += ch;
  }
  // A header-only file may end without a newline.
  if (whole && !inQuotes) {
    fields.push(field);
    return fields;
  }
  return null;
}
