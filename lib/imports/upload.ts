import "server-only";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import Papa from "papaparse";
import { AppError, validationError } from "@/lib/errors";

import { MAX_IMPORT_BYTES } from "./limits";

export { MAX_IMPORT_BYTES };
/** Columns of a row beyond this are dropped (a lead has nine importable fields). */
const MAX_COLUMNS = 200;

export function payloadTooLarge(): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The CSV file must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`, { maxBytes: MAX_IMPORT_BYTES });
}

/**
 * Bytes in, UTF-8 text out: counts the bytes against the limit, decodes characters split across
 * chunks correctly, and drops a leading byte order mark (Excel writes one).
 */
class LimitedUtf8Decoder extends Transform {
  private size = 0;
  private readonly decoder = new StringDecoder("utf8");
  private first = true;

  constructor(private readonly maxBytes: number) {
    super({ readableObjectMode: false, decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.byteLength;
    if (this.size > this.maxBytes) return callback(payloadTooLarge());
    let text = this.decoder.write(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text) this.push(text);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const rest = this.decoder.end();
    if (rest) this.push(rest);
    callback();
  }
}

export interface ParsedCsv {
  headers: string[];
  /** Data rows, in order, as batches of at most `batchSize`. */
  rows: AsyncIterable<string[][]>;
}

/** Blank headers get a name; repeated ones a number, so every column can be told apart. */
export function uniqueHeaders(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((cell, i) => {
    const base = cell.trim() || `Column ${i + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

/**
 * Parses a CSV request body as it arrives (papaparse's streaming parser: the delimiter is detected
 * from the first lines, quoted fields may hold delimiters and line breaks, blank lines are
 * skipped). The first row is the header. Throws 413 beyond `maxBytes`, 400 for an empty file.
 */
export async function parseCsvStream(body: ReadableStream<Uint8Array> | null, options: { maxBytes?: number; batchSize?: number } = {}): Promise<ParsedCsv> {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  const batchSize = options.batchSize ?? 2000;
  if (!body) throw validationError([{ field: "", message: "The request has no body; send the CSV file as the body" }]);
  const source = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  const decoder = new LimitedUtf8Decoder(maxBytes);
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: "greedy", delimitersToGuess: [",", ";", "\t", "|"] });
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    parser.destroy();
  };
  source.on("error", () => fail(validationError([{ field: "", message: "The request body could not be read completely" }])));
  decoder.on("error", fail);
  source.pipe(decoder).pipe(parser);

  const iterator = (parser as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const next = async (): Promise<string[] | null> => {
    let result: IteratorResult<unknown>;
    try {
      result = await iterator.next();
    } catch (error) {
      throw failure ?? error;
    }
    if (failure) throw failure;
    if (result.done) return null;
    const row = Array.isArray(result.value) ? result.value : [];
    return row.slice(0, MAX_COLUMNS).map((cell) => (typeof cell === "string" ? cell : String(cell ?? "")));
  };

  const header = await next();
  if (!header || header.every((cell) => cell.trim() === "")) {
    throw validationError([{ field: "", message: "The file is empty: the first line must name the columns" }]);
  }
  const headers = uniqueHeaders(header);

  async function* batches(): AsyncGenerator<string[][]> {
    let batch: string[][] = [];
    for (let row = await next(); row; row = await next()) {
      batch.push(row);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { headers, rows: batches() };
}

/**
 * The body of a CSV upload: refused at once when its declared length is over the limit (the
 * stream is counted as well, for clients that send none), or when it is a form rather than a file.
 */
export function csvRequestBody(req: Request): ReadableStream<Uint8Array> | null {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_IMPORT_BYTES) throw payloadTooLarge();
  const type = req.headers.get("content-type")?.toLowerCase() ?? "";
  if (type.startsWith("multipart/") || type.startsWith("application/json") || type.startsWith("application/x-www-form-urlencoded")) {
    throw validationError([
      { field: "", message: "Send the CSV file itself as the request body, with Content-Type: text/csv (curl --data-binary @leads.csv)" },
    ]);
  }
  return req.body;
}

/** Headers of a CSV download. */
export function csvResponseHeaders(fileName: string): Record<string, string> {
  const ascii = fileName.replace(/[^\w.-]/g, "_");
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
