import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { Problem, type FieldError } from '../shared/problem.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, body: ProblemBody) {
  return reply.code(body.status).type('application/problem+json').send(body);
}

interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: { keys?: string[] };
}

/** Names each bad field as `<part>.<path>`, e.g. body.subscription.tier, and each unknown key it was sent. */
function fieldErrors(context: string, issues: ValidationIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = [context, ...(issue.instancePath ?? '').split('/').filter(Boolean)].join('.');
    const keys = issue.keyword === 'unrecognized_keys' ? (issue.params?.keys ?? []) : [];
    if (keys.length > 0)
      for (const key of keys) out.push({ field: `${base}.${key}`, message: 'unknown field' });
    else out.push({ field: base, message: issue.message ?? 'invalid' });
  }
  return out;
}

function toProblem(error: FastifyError | Problem | Error): ProblemBody {
  if (error instanceof Problem) {
    return {
      ...(error.extensions ?? {}),
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.detail,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = fieldErrors(error.validationContext ?? 'body', error.validation as ValidationIssue[]);
    return {
      type: 'urn:accord:problem:validation',
      title: 'Bad Request',
      status: 400,
      detail: `The request is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`,
      errors,
    };
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        type: 'urn:accord:problem:malformed-json',
        title: 'Bad Request',
        status: 400,
        detail: `The body is not valid JSON: ${fe.message}`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        type: 'urn:accord:problem:malformed-json',
        title: 'Bad Request',
        status: 400,
        detail: 'The body is empty; send a JSON object.',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return {
        type: 'about:blank',
        title: TITLES[413]!,
        status: 413,
        detail: `The request is too large: ${fe.message}`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return {
        type: 'about:blank',
        title: TITLES[415]!,
        status: 415,
        detail: `Unsupported content type: ${fe.message}`,
      };
    default:
      break;
  }
  if (error instanceof SyntaxError || fe.statusCode === 400) {
    return { type: 'about:blank', title: 'Bad Request', status: 400, detail: fe.message };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      type: 'about:blank',
      title: TITLES[fe.statusCode] ?? 'Client Error',
      status: fe.statusCode,
      detail: fe.message,
    };
  }
  return {
    type: 'about:blank',
    title: TITLES[500]!,
    status: 500,
    detail: 'Something went wrong on our side; it has been logged.',
  };
}

/** Every failure leaves as problem+json; only server faults are logged as errors, with their stack. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply) => {
    const body = toProblem(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: body.status, type: body.type }, body.detail);
    if (body.status === 429 && typeof body.retryAfter === 'number')
      void reply.header('retry-after', String(body.retryAfter));
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `No route for ${request.method} ${request.url.split('?')[0]}.`,
    }),
  );
}

/** Errors the router raises before any route runs (bad URL encoding, over-long parameters). */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void sendProblem(reply, {
    type: 'about:blank',
    title: TITLES[status] ?? 'Bad Request',
    status,
    detail: error.message,
  });
}
