/**
 * Answers for requests Node's HTTP parser refuses before Express sees them (a URL or headers over Node's
 * size limit, a malformed request line or header, a bad chunk): with the same status Node would send, but
 * with an OperationOutcome that says what and where, as every other refusal of the facade does. Node's
 * own answer has no body at all.
 */
import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { FHIR_JSON, HTTP_PART, operationOutcome, type IssueType } from './operation-outcome.js';

/** One kind of refusal: the HTTP status, the FHIR issue type, which part of the request, and why. */
interface ClientErrorAnswer {
  readonly status: number;
  readonly reason: string;
  readonly code: IssueType;
  readonly where?: string;
  readonly diagnostics: string;
}

const BAD_REQUEST = 'Bad Request';

/** By the parser's error code (llhttp's `HPE_…`, Node's `ERR_…`); statuses as Node's own answers have them. */
const ANSWERS: Readonly<Record<string, ClientErrorAnswer>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431, reason: 'Request Header Fields Too Large', code: 'too-costly', where: HTTP_PART.headers,
    diagnostics: `The request line and headers (the URL included) are longer than the ${maxHeaderSize} bytes the server reads`,
  },
  HPE_INVALID_METHOD: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.method, diagnostics: 'The request does not start with an HTTP method' },
  HPE_INVALID_URL: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.path, diagnostics: 'The URL holds characters HTTP does not allow' },
  HPE_INVALID_VERSION: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.version, diagnostics: 'The request line does not end in HTTP/1.0 or HTTP/1.1' },
  HPE_INVALID_HEADER_TOKEN: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.headers, diagnostics: 'A header name or value holds characters HTTP does not allow' },
  HPE_INVALID_CONTENT_LENGTH: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.contentLength, diagnostics: 'Content-Length is not a number of bytes' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.contentLength, diagnostics: 'Content-Length cannot be sent with Transfer-Encoding: chunked' },
  HPE_INVALID_TRANSFER_ENCODING: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.transferEncoding, diagnostics: 'Transfer-Encoding is not valid here (it cannot be sent with Content-Length, and chunked must come last)' },
  HPE_INVALID_CHUNK_SIZE: { status: 400, reason: BAD_REQUEST, code: 'invalid', where: HTTP_PART.body, diagnostics: 'The chunked body has a malformed chunk size' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'Payload Too Large', code: 'too-costly', where: HTTP_PART.body, diagnostics: 'The chunked body has chunk extensions longer than the server reads' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'timeout', diagnostics: 'The request was not received in time' },
};

const MALFORMED: ClientErrorAnswer = { status: 400, reason: BAD_REQUEST, code: 'invalid', diagnostics: 'The request is not valid HTTP/1.1' };

/**
 * The answer to a request Node's parser refused.
 * @param code the error's `code` (e.g. `HPE_HEADER_OVERFLOW`)
 * @example clientErrorAnswer('HPE_HEADER_OVERFLOW').status // 431
 */
export function clientErrorAnswer(code: string | undefined): { readonly status: number; readonly reason: string; readonly outcome: OperationOutcome } {
  const answer = (code !== undefined && Object.hasOwn(ANSWERS, code) ? ANSWERS[code] : undefined) ?? MALFORMED;
  return { status: answer.status, reason: answer.reason, outcome: operationOutcome(answer.code, answer.diagnostics, answer.where) };
}

/** The raw HTTP/1.1 response for {@link clientErrorAnswer}: the connection is closed after it. */
function rawResponse(code: string | undefined): string {
  const { status, reason, outcome } = clientErrorAnswer(code);
  const body = JSON.stringify(outcome);
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${FHIR_JSON}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Makes `server` answer requests its parser refuses with an OperationOutcome, then close the connection
 * (after a parse error the rest of the bytes cannot be trusted to start a request).
 * @example answerClientErrors(app.listen(8080))
 */
export function answerClientErrors(server: Server): void {
  // The request being answered on each connection: the refused bytes may be its own body, or a later request
  // sent behind it (pipelining), whose refusal must come after its answer, never inside it.
  const underWay = new WeakMap<Socket, { readonly req: IncomingMessage; readonly res: ServerResponse }>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    underWay.set(socket, { req, res });
    res.once('close', () => {
      if (underWay.get(socket)?.res === res) underWay.delete(socket);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // Closed once the answer is flushed: destroying it at once could drop what is still buffered.
    const refuse = () => socket.end(rawResponse(err.code), () => socket.destroy());
    const current = underWay.get(socket);
    if (!current) refuse();
    else if (current.req.complete) {
      // A later request is malformed: the answer under way is finished first, then the refusal follows it.
      current.res.once('close', () => (current.res.writableFinished ? refuse() : socket.destroy()));
    } else if (!current.res.headersSent) refuse();
    // Its own body broke after its answer had started: nothing clean can be written any more.
    else socket.destroy();
  });
}
