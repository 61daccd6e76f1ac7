import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isWardenError } from '../errors.js';
import { redact } from '../audit/redact.js';

/** RFC 9457 problem details, always with Warden's stable `code` and the request id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  request_id: string;
  [k: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 410: 'Gone', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  423: 'Locked', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extra: Record<string, unknown> = {}): FastifyReply {
  const body: Problem = {
    type: `https://warden.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    request_id: String(reply.request.id),
    ...(redact(extra) as Record<string, unknown>),
  };
  return reply.status(status).type('application/problem+json').send(body);
}

/** Names the field a schema error is about: `body.email`, `querystring.limit` … */
function fieldOf(err: FastifyError): string {
  const v = err.validation?.[0];
  if (!v) return 'body';
  const where = err.validationContext ?? 'body';
  const path = v.instancePath ? v.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
  const params = v.params as Record<string, string>;
  const leaf = params.additionalProperty ?? params.missingProperty ?? '';
  return [where, path, leaf].filter(Boolean).join('.');
}

function describe(err: FastifyError): string {
  const v = err.validation?.[0];
  if (!v) return err.message;
  const params = v.params as Record<string, string>;
  if (params.additionalProperty) return `unknown field "${params.additionalProperty}"`;
  if (params.missingProperty) return `missing required field "${params.missingProperty}"`;
  return v.message ?? 'is invalid';
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (isWardenError(err)) {
      if (err.status >= 500) req.log.error({ err: { code: err.code, message: err.message, cause: err.cause } }, 'request failed');
      if (err.status === 401) void reply.header('www-authenticate', 'Bearer');
      if (err.status === 429 && typeof err.fields.retry_after === 'number') void reply.header('retry-after', String(err.fields.retry_after));
      return sendProblem(reply, err.status, err.code, err.message, err.fields);
    }
    if (err.validation) {
      const field = fieldOf(err);
      return sendProblem(reply, 400, 'VALIDATION_FAILED', `${field}: ${describe(err)}`, { field });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, 400, 'MALFORMED_BODY', 'The request body is not valid JSON');
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return sendProblem(reply, 429, 'RATE_LIMITED', 'Too many requests; retry later');
    if (status >= 400 && status < 500) {
      const malformed = err instanceof SyntaxError || /JSON/i.test(err.message);
      return sendProblem(reply, status, malformed ? 'MALFORMED_BODY' : 'BAD_REQUEST', malformed ? 'The request body is not valid JSON' : 'The request could not be understood');
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, 500, 'INTERNAL_ERROR', 'An internal error occurred; it has been logged with this request id');
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, 404, 'NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`));
}

/** A reusable problem-details response schema for OpenAPI. */
export const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' },
    detail: { type: 'string' }, code: { type: 'string' }, request_id: { type: 'string' },
  },
  additionalProperties: true,
} as const;
