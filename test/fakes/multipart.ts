import type { Json } from './telegram-bot-api.ts';

/**
 * A multipart upload (sendPhoto with a file) as a JSON-like body: text fields
 * as sent (JSON values parsed, like reply_markup), each file as
 * { filename, size, bytes } so tests can look at what was uploaded.
 */
export async function multipartBody(bytes: Buffer, contentType: string): Promise<Json> {
  // A small parser of our own: grammY writes "content-disposition:form-data;name=…" without the
  // spaces Node's FormData parser insists on.
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) throw new Error('multipart without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const body: Json = {};
  let at = bytes.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (bytes.subarray(start, start + 2).toString() === '--') break;
    const next = bytes.indexOf(delimiter, start);
    if (next < 0) break;
    const part = bytes.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /;\s*name="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    const filename = /;\s*filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) body[name] = { filename, size: content.length, bytes: Buffer.from(content) };
      else {
        const value = content.toString('utf8');
        try {
          body[name] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
        } catch {
          body[name] = value;
        }
      }
    }
    at = next;
  }
  return Promise.resolve(body);
}
