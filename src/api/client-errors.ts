// Requests Node's HTTP parser refuses before Express sees them (oversized headers, malformed framing) still get a JSON error.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

function refusalFor(code: string | undefined): { status: number; code: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, code: 'headers_too_large', message: 'request headers (or the URL) exceed the server limit' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, code: 'request_timeout', message: 'the request was not received in time' };
  return { status: 400, code: 'bad_request', message: 'malformed HTTP request' };
}

/**
 * Replaces Node's default clientError answer (a bare status line) with the API's JSON error shape, so a client
 * never has to parse two kinds of refusal. Sockets already answering a request, or gone, are just closed.
 */
export function answerClientErrorsWithJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const busy = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || busy) {
      socket.destroy();
      return;
    }
    const r = refusalFor(err.code);
    const body = JSON.stringify({ error: { code: r.code, message: r.message } });
    socket.end(
      `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        `X-Request-Id: ${randomUUID()}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}
