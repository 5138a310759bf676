import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export type Lang = 'zh' | 'en';
export interface Text {
  zh: string;
  en: string;
}

/** An error the user can act on: a status, a stable code, a message in both languages and the field at fault. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
    readonly field?: string,
  ) {
    super(text.en);
    this.name = 'AppError';
  }
}

export const badRequest = (field: string, zh: string, en: string, code = 'invalid') => new AppError(400, code, { zh, en }, field);
export const notFound = (zh: string, en: string) => new AppError(404, 'not_found', { zh, en });
export const conflict = (field: string | undefined, zh: string, en: string) => new AppError(409, 'conflict', { zh, en }, field);
export const forbidden = () => new AppError(403, 'forbidden', { zh: '无权执行此操作', en: 'You are not allowed to do this' });
export const unauthorized = () => new AppError(401, 'unauthenticated', { zh: '请先登录', en: 'Please sign in' });

export function langOf(request: FastifyRequest): Lang {
  const header = request.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldOf(e: AjvError): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') return [base, String(e.params.missingProperty)].filter(Boolean).join('.');
  if (e.keyword === 'additionalProperties') return [base, String(e.params.additionalProperty)].filter(Boolean).join('.');
  return base;
}

function validationText(e: AjvError, field: string): Text {
  const f = field || '(body)';
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return { zh: `缺少必填字段 ${f}`, en: `Field ${f} is required` };
    case 'type':
      return { zh: `字段 ${f} 类型错误，应为 ${String(p.type)}`, en: `Field ${f} must be of type ${String(p.type)}` };
    case 'minLength':
      return { zh: `字段 ${f} 至少 ${String(p.limit)} 个字符`, en: `Field ${f} must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { zh: `字段 ${f} 最多 ${String(p.limit)} 个字符`, en: `Field ${f} must have at most ${String(p.limit)} characters` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { zh: `字段 ${f} 不能小于 ${String(p.limit)}`, en: `Field ${f} must be >= ${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { zh: `字段 ${f} 不能大于 ${String(p.limit)}`, en: `Field ${f} must be <= ${String(p.limit)}` };
    case 'minItems':
      return { zh: `字段 ${f} 至少需要 ${String(p.limit)} 项`, en: `Field ${f} needs at least ${String(p.limit)} items` };
    case 'maxItems':
      return { zh: `字段 ${f} 最多 ${String(p.limit)} 项`, en: `Field ${f} allows at most ${String(p.limit)} items` };
    case 'pattern':
    case 'format':
      return { zh: `字段 ${f} 格式不正确`, en: `Field ${f} has an invalid format` };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { zh: `字段 ${f} 取值无效`, en: `Field ${f} has an invalid value` };
    case 'additionalProperties':
      return { zh: `不允许的字段 ${f}`, en: `Field ${f} is not allowed` };
    default:
      return { zh: `字段 ${f} 无效：${e.message ?? ''}`, en: `Field ${f} is invalid: ${e.message ?? ''}` };
  }
}

/**
 * Database refusals caused by the input (a value out of range, a reference to nothing, text the server cannot
 * store) are the caller's mistake: 4xx, never 500. Their transaction has rolled back, so nothing is half-written.
 */
function databaseError(error: unknown): { status: number; code: string; text: Text } | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  switch (code) {
    case '22003':
    case '22008':
    case '22009':
    case '22007':
    case '22P02':
    case '22021':
    case '22P05':
    case '22001':
      return { status: 400, code: 'invalid', text: { zh: '请求中的某个值超出范围或格式无效', en: 'A value in the request is out of range or malformed' } };
    case '23503':
      return { status: 400, code: 'unknown_code', text: { zh: '请求引用了不存在的记录', en: 'The request refers to a record that does not exist' } };
    case '23505':
      return { status: 409, code: 'conflict', text: { zh: '该记录已存在', en: 'This record already exists' } };
    case '40001':
    case '40P01':
      return { status: 409, code: 'conflict', text: { zh: '操作冲突，请重试', en: 'The operation conflicted with another; retry' } };
    default:
      return null;
  }
}

/** An error the input caused below the validation layer: a database refusal or an impossible date. */
export function inputFault(error: unknown): { status: number; code: string; text: Text } | null {
  if (error instanceof RangeError && /Invalid time value/.test(error.message)) {
    return { status: 400, code: 'invalid', text: { zh: '日期或时间无效', en: 'Invalid date or time' } };
  }
  return databaseError(error);
}

export function errorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const lang = langOf(request);
  if (error instanceof AppError) {
    return reply.status(error.status).send({ error: { code: error.code, message: error.text[lang], field: error.field ?? null } });
  }
  const validation = (error as FastifyError).validation as AjvError[] | undefined;
  if (validation && validation.length > 0) {
    // anyOf failures are reported after their branches; the branch errors name the field better
    const first = validation.find((v) => v.keyword !== 'anyOf') ?? validation[0]!;
    const field = fieldOf(first);
    return reply
      .status(400)
      .send({ error: { code: 'validation', message: validationText(first, field)[lang], field: field || null } });
  }
  const fault = inputFault(error);
  if (fault) return reply.status(fault.status).send({ error: { code: fault.code, message: fault.text[lang], field: null } });
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = (error as FastifyError).code ?? 'bad_request';
    const zh =
      code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? '不支持的内容类型，请发送 JSON'
        : code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? '请求体不是有效的 JSON'
          : code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? '请求体过大'
            : '请求无效';
    return reply.status(status).send({ error: { code: 'bad_request', message: lang === 'zh' ? zh : error.message, field: null } });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({
    error: { code: 'internal', message: lang === 'zh' ? '服务器内部错误，请稍后再试' : 'Internal server error; please try again later', field: null },
  });
}
